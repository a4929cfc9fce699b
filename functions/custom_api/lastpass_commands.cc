#include "lastpass_commands.h"

#include <string_view>

#include "model/json_fields.h"

namespace dirbridge::custom_api {
namespace {

using nlohmann::json;

std::string TooLong(std::string_view what, std::size_t bytes, std::size_t limit) {
  return std::string(what) + " is " + std::to_string(bytes) + " bytes; the limit is " + std::to_string(limit);
}

// A required string member of at most `limit` bytes, not empty; "" when it is, else the error.
std::string ReadRequiredString(const json& item, const char* name, std::size_t limit, std::string* out) {
  const json* v = json_fields::Find(item, name);
  if (v == nullptr || v->is_null()) return std::string("'") + name + "' is required";
  if (!v->is_string()) return std::string("'") + name + "' must be a string";
  *out = v->get<std::string>();
  if (out->empty()) return std::string("'") + name + "' must not be empty";
  if (out->size() > limit) return TooLong(std::string("'") + name + "'", out->size(), limit);
  return {};
}

// An optional array of group names (strings, not empty, each an indexed value).
std::string ReadGroupNames(const json& item, const char* name, std::vector<std::string>* out) {
  const json* v = json_fields::Find(item, name);
  if (v == nullptr || v->is_null()) return {};
  if (!v->is_array()) return std::string("'") + name + "' must be an array of group names";
  for (std::size_t i = 0; i < v->size(); ++i) {
    const json& g = (*v)[i];
    const std::string where = std::string("'") + name + "'[" + std::to_string(i) + "]";
    if (!g.is_string() || g.get_ref<const std::string&>().empty()) return where + " must be a group name (a non-empty string)";
    if (g.get_ref<const std::string&>().size() > kMaxIndexedValueBytes) {
      return TooLong(where, g.get_ref<const std::string&>().size(), kMaxIndexedValueBytes);
    }
    out->push_back(g.get<std::string>());
  }
  return {};
}

std::string ReadAttributes(const json& item, std::vector<std::pair<std::string, std::string>>* out) {
  const json* v = json_fields::Find(item, "attribs");
  if (v == nullptr || v->is_null()) v = json_fields::Find(item, "attributes");
  if (v == nullptr || v->is_null()) return {};
  if (!v->is_object()) return "'attribs' must be an object of names to strings";
  if (v->size() > kMaxAttributesPerItem) {
    return "'attribs' has " + std::to_string(v->size()) + " attributes; the limit is " +
           std::to_string(kMaxAttributesPerItem);
  }
  for (auto it = v->begin(); it != v->end(); ++it) {
    if (it.key().empty() || it.key().size() > kMaxAttributeNameBytes) {
      return "an attribute name must be 1 to " + std::to_string(kMaxAttributeNameBytes) + " bytes";
    }
    if (it.value().is_null()) continue;
    if (!it.value().is_string()) return "attribute " + std::to_string(out->size()) + " of 'attribs' must be a string";
    if (it.value().get_ref<const std::string&>().size() > kMaxValueBytes) {
      return TooLong("an attribute value", it.value().get_ref<const std::string&>().size(), kMaxValueBytes);
    }
    out->emplace_back(it.key(), it.value().get<std::string>());
  }
  return {};
}

// The username of an item for its error message, whatever else is wrong with it.
std::string UsernameOf(const json& item) {
  if (item.is_string()) return item.get<std::string>();
  if (!item.is_object()) return {};
  const json* v = json_fields::Find(item, "username");
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

Status CheckListSize(std::size_t items) {
  if (items > kMaxItemsPerCall) {
    return PayloadTooLarge("'data' has " + std::to_string(items) + " items; one call takes at most " +
                           std::to_string(kMaxItemsPerCall) + ": split the batch");
  }
  return Status::Ok();
}

// Parses each element of the array `data` with `parse` (which returns "" or an error).
template <typename T, typename Parse>
Result<ParsedItems<T>> ParseList(const json& data, const char* shape, Parse parse) {
  if (!data.is_array()) return InvalidInput(std::string("'data' must be an array of ") + shape);
  DB_RETURN_IF_ERROR(CheckListSize(data.size()));
  ParsedItems<T> out;
  out.reserve(data.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    ParsedItem<T> p;
    p.index = i;
    p.username = UsernameOf(data[i]);
    T item;
    if (!data[i].is_object()) {
      p.error = std::string("must be an object: ") + shape;
    } else {
      p.error = parse(data[i], &item);
    }
    if (p.error.empty()) p.item = std::move(item);
    out.push_back(std::move(p));
  }
  return out;
}

std::string ParseBatchAddItem(const json& item, BatchAddItem* out) {
  if (auto e = ReadRequiredString(item, "username", kMaxIndexedValueBytes, &out->username); !e.empty()) return e;
  if (const json* f = json_fields::Find(item, "fullname"); f != nullptr && !f->is_null()) {
    if (!f->is_string()) return "'fullname' must be a string";
    if (f->get_ref<const std::string&>().size() > kMaxValueBytes) {
      return TooLong("'fullname'", f->get_ref<const std::string&>().size(), kMaxValueBytes);
    }
    out->fullname = f->get<std::string>();
  }
  if (auto e = ReadGroupNames(item, "groups", &out->groups); !e.empty()) return e;
  if (out->groups.size() > kMaxGroupsPerItem) {
    return "'groups' names " + std::to_string(out->groups.size()) + " groups; the limit is " +
           std::to_string(kMaxGroupsPerItem);
  }
  return ReadAttributes(item, &out->attributes);
}

std::string ParseGroupChangeItem(const json& item, GroupChangeItem* out) {
  if (auto e = ReadRequiredString(item, "username", kMaxIndexedValueBytes, &out->username); !e.empty()) return e;
  if (auto e = ReadGroupNames(item, "add", &out->add); !e.empty()) return e;
  if (auto e = ReadGroupNames(item, "del", &out->del); !e.empty()) return e;
  if (out->add.size() + out->del.size() > kMaxGroupsPerItem) {
    return "'add' and 'del' name " + std::to_string(out->add.size() + out->del.size()) + " groups; the limit is " +
           std::to_string(kMaxGroupsPerItem);
  }
  return {};
}

std::string ParseDeleteItem(const json& item, DeleteItem* out) {
  if (auto e = ReadRequiredString(item, "username", kMaxIndexedValueBytes, &out->username); !e.empty()) return e;
  const json* a = json_fields::Find(item, "deleteaction");
  if (a == nullptr || a->is_null()) return {};
  int action = -1;
  if (a->is_number_integer()) {
    action = a->get<int64_t>() >= 0 && a->get<int64_t>() <= 3 ? static_cast<int>(a->get<int64_t>()) : -1;
  } else if (a->is_string() && a->get_ref<const std::string&>().size() == 1) {
    const char c = a->get_ref<const std::string&>()[0];
    if (c >= '0' && c <= '3') action = c - '0';
  }
  if (action < 0) return "'deleteaction' must be 0 (deactivate), 1 (remove from the company), 2 (delete) or 3 (uninvite)";
  out->action = static_cast<DeleteAction>(action);
  return {};
}

}  // namespace

Result<ParsedItems<BatchAddItem>> ParseBatchAdd(const json& data) {
  return ParseList<BatchAddItem>(data, "users ({username, fullname?, groups?, attribs?})", ParseBatchAddItem);
}

Result<ParsedItems<GroupChangeItem>> ParseBatchChangeGroups(const json& data) {
  return ParseList<GroupChangeItem>(data, "group changes ({username, add?, del?})", ParseGroupChangeItem);
}

Result<ParsedItems<DeleteItem>> ParseDeleteUsers(const json& data) {
  const char* shape = "deletions ({username, deleteaction?})";
  if (data.is_object()) return ParseList<DeleteItem>(json::array({data}), shape, ParseDeleteItem);
  return ParseList<DeleteItem>(data, shape, ParseDeleteItem);
}

Result<ParsedItems<std::string>> ParseUsernames(const json& data) {
  json list;
  if (data.is_string()) {
    list = json::array({data});
  } else if (data.is_object()) {
    if (const json* many = json_fields::Find(data, "usernames"); many != nullptr && !many->is_null()) {
      list = *many;
    } else {
      list = json::array({data});
    }
  } else {
    list = data;
  }
  if (!list.is_array()) return InvalidInput("'data' must be a list of usernames");
  DB_RETURN_IF_ERROR(CheckListSize(list.size()));
  ParsedItems<std::string> out;
  out.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    ParsedItem<std::string> p;
    p.index = i;
    p.username = UsernameOf(list[i]);
    if (list[i].is_object()) {
      std::string name;
      p.error = ReadRequiredString(list[i], "username", kMaxIndexedValueBytes, &name);
    } else if (!list[i].is_string() || p.username.empty()) {
      p.error = "must be a username (a non-empty string) or {\"username\": ...}";
    } else if (p.username.size() > kMaxIndexedValueBytes) {
      p.error = TooLong("the username", p.username.size(), kMaxIndexedValueBytes);
    }
    if (p.error.empty()) p.item = p.username;
    out.push_back(std::move(p));
  }
  return out;
}

Result<UserDataQuery> ParseUserDataQuery(const json& data) {
  UserDataQuery q;
  if (data.is_null()) return q;
  if (!data.is_object()) return InvalidInput("'data' must be an object: {}, {username}, {disabled: 1} or {admin: 1}");
  auto flag = [&](const char* name) {
    const json* v = json_fields::Find(data, name);
    if (v == nullptr || v->is_null()) return false;
    if (v->is_boolean()) return v->get<bool>();
    if (v->is_number()) return v->get<double>() != 0;
    return v->is_string() && v->get_ref<const std::string&>() != "0" && !v->get_ref<const std::string&>().empty();
  };
  if (const json* u = json_fields::Find(data, "username"); u != nullptr && !u->is_null()) {
    if (!u->is_string() || u->get_ref<const std::string&>().empty()) return InvalidInput("'username' must be a non-empty string");
    if (u->get_ref<const std::string&>().size() > kMaxIndexedValueBytes) {
      return InvalidInput(TooLong("'username'", u->get_ref<const std::string&>().size(), kMaxIndexedValueBytes));
    }
    q.kind = UserDataQuery::Kind::kUser;
    q.username = u->get<std::string>();
  } else if (flag("admin")) {
    q.kind = UserDataQuery::Kind::kAdmins;
  } else if (flag("disabled")) {
    q.kind = UserDataQuery::Kind::kDisabled;
  }
  if (auto s = json_fields::ReadString(data, "after", "", &q.after); !s.ok()) return s.error();
  if (q.after.size() > 64) return InvalidInput("'after' is not a cursor this API gave");
  return q;
}

}  // namespace dirbridge::custom_api
