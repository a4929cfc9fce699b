#include "provision/stored_records.h"

#include "core/json_input.h"
#include "provision/record_limits.h"
#include "store/key_layout.h"
#include "store/record_text.h"

namespace dirbridge::stored {
namespace {

Result<nlohmann::json> ParseStored(std::string_view text, std::string_view what, std::string_view id) {
  auto doc = ParseRecordJson(text);
  if (!doc.ok()) return Corrupt("stored " + std::string(what) + " " + std::string(id) + " is not JSON");
  return doc;
}

}  // namespace

Result<User> UserFromText(std::string_view text, std::string_view id) {
  DB_ASSIGN_OR_RETURN(auto doc, ParseStored(text, "user", id));
  auto user = UserFromJson(doc);
  if (!user.ok()) return Corrupt("stored user " + std::string(id) + " is corrupt: " + user.error().detail);
  return user;
}

Result<Group> GroupFromText(std::string_view text, std::string_view id) {
  DB_ASSIGN_OR_RETURN(auto doc, ParseStored(text, "group", id));
  auto group = GroupFromJson(doc);
  if (!group.ok()) return Corrupt("stored group " + std::string(id) + " is corrupt: " + group.error().detail);
  return group;
}

Result<std::optional<User>> LoadUser(Transaction& txn, std::string_view tenant, std::string_view id) {
  DB_ASSIGN_OR_RETURN(auto raw, txn.Get(keys::User(tenant, id)));
  if (!raw) return std::optional<User>();
  DB_ASSIGN_OR_RETURN(auto user, UserFromText(*raw, id));
  return std::optional<User>(std::move(user));
}

Result<std::optional<Group>> LoadGroup(Transaction& txn, std::string_view tenant, std::string_view id) {
  DB_ASSIGN_OR_RETURN(auto raw, txn.Get(keys::Group(tenant, id)));
  if (!raw) return std::optional<Group>();
  DB_ASSIGN_OR_RETURN(auto group, GroupFromText(*raw, id));
  return std::optional<Group>(std::move(group));
}

Status PutUser(Transaction& txn, std::string_view tenant, const User& user) {
  // The user's SCIM JSON with its schemas, so a list page can be spliced from the text.
  nlohmann::json body = UserToJson(user);
  body["schemas"] = UserSchemas(user);
  std::string text = EncodeRecordText(body, user.meta);
  DB_RETURN_IF_ERROR(CheckRecordSize("user", text.size()));
  txn.Put(keys::User(tenant, user.id), std::move(text));
  return Status::Ok();
}

Status PutGroup(Transaction& txn, std::string_view tenant, const Group& group) {
  // With its schemas, as users are, so a list page can be spliced from the text.
  nlohmann::json body = GroupToJson(group);
  body["schemas"] = {kGroupSchemaUrn};
  std::string text = EncodeRecordText(body, group.meta);
  DB_RETURN_IF_ERROR(CheckRecordSize("group", text.size()));
  txn.Put(keys::Group(tenant, group.id), std::move(text));
  return Status::Ok();
}

Result<RecordText> RecordTextOf(std::string text, std::string_view id) {
  auto view = ViewRecordText(text);
  if (!view) return Corrupt("stored record " + std::string(id) + " is not in the layout of store/record_text.h");
  const auto part = [&text](std::string_view of) {
    return RecordText::Part{static_cast<std::size_t>(of.data() - text.data()), of.size()};
  };
  RecordText out;
  out.id = std::string(id);
  out.created = part(view->created);
  out.last_modified = part(view->last_modified);
  out.version = view->version;
  out.members_tail = part(view->rest);
  out.text = std::move(text);
  return out;
}

Status CheckVersion(std::optional<uint64_t> expected, uint64_t actual) {
  if (expected && *expected != actual) {
    return PreconditionFailed("resource version is " + std::to_string(actual) + ", not " +
                              std::to_string(*expected));
  }
  return Status::Ok();
}

}  // namespace dirbridge::stored
