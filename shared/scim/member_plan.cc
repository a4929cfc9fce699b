#include "scim/member_plan.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "scim/filter.h"
#include "scim/patch_apply.h"
#include "scim/patch_errors.h"
#include "scim/patch_limits.h"
#include "scim/patch_value.h"
#include "scim/schema.h"

namespace dirbridge::scim {
namespace {

using json = nlohmann::json;
using Op = PatchOperation::Op;
using namespace patch_internal;

bool IsMembersPath(const PatchPath& path) {
  return EqualsIgnoreCase(path.attribute, "members") &&
         (path.urn.empty() || EqualsIgnoreCase(path.urn, kGroupSchemaUrn));
}

// The members in a value holding member objects (one or an array of them): a
// non-empty string "value" (the user id) and, for members being added, an optional
// string "display" (a remove reads only the ids).
Result<std::vector<MemberRef>> MemberRefs(const json& value, const std::string& where, bool with_display = true) {
  std::vector<MemberRef> refs;
  const json items = value.is_array() ? value : json::array({value});
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string at = where + "[" + std::to_string(i) + "]";
    const json* id = items[i].is_object() ? json_fields::Find(items[i], "value") : nullptr;
    if (id == nullptr || !id->is_string() || id->get_ref<const std::string&>().empty()) {
      return ValueError(at + " must be an object with a non-empty string \"value\" (the member's id), got " +
                        Describe(items[i]));
    }
    MemberRef ref{id->get<std::string>(), {}};
    const json* display = with_display ? json_fields::Find(items[i], "display") : nullptr;
    if (display != nullptr && !display->is_null()) {
      if (!display->is_string()) return ValueError(at + ".display must be a string, got " + Describe(*display));
      ref.display = display->get<std::string>();
    }
    refs.push_back(std::move(ref));
  }
  return refs;
}

// Ids named by a member filter of the form value eq "a" [or value eq "b" ...].
bool CollectFilterIds(const FilterNode& f, std::vector<std::string>& ids) {
  if (f.kind == FilterNode::Kind::kOr) return CollectFilterIds(*f.left, ids) && CollectFilterIds(*f.right, ids);
  if (f.kind == FilterNode::Kind::kCompare && f.op == CompareOp::kEq && EqualsIgnoreCase(f.path.attribute, "value") &&
      f.path.sub_attribute.empty() && f.value.is_string()) {
    ids.push_back(f.value.get<std::string>());
    return true;
  }
  return false;
}

// The membership change gathered operation by operation, in O(1) per member: `add`
// and `remove` keep their order in vectors whose erased entries are left empty (and
// dropped by Take), with a hash index from id to position.
class MemberPlanBuilder {
 public:
  // An id already in `add` keeps its place and its first display.
  void Add(const std::vector<MemberRef>& refs) {
    for (const auto& ref : refs) {
      Erase(remove_, remove_at_, ref.user_id);
      if (add_at_.count(ref.user_id) != 0) continue;
      add_at_.emplace(ref.user_id, add_.size());
      add_.emplace_back(ref);
    }
  }
  void Remove(const std::vector<std::string>& ids) {
    for (const auto& id : ids) {
      Erase(add_, add_at_, id);
      // After a replace of the whole set, a member not in `add` is gone already.
      if (replace_all_ || remove_at_.count(id) != 0) continue;
      remove_at_.emplace(id, remove_.size());
      remove_.emplace_back(id);
    }
  }
  void ReplaceAll(const std::vector<MemberRef>& refs) {
    add_.clear();
    add_at_.clear();
    remove_.clear();
    remove_at_.clear();
    replace_all_ = true;
    Add(refs);
  }
  MembershipChange Take() {
    MembershipChange change;
    change.replace_all = replace_all_;
    for (auto& ref : add_) {
      if (ref) change.add.push_back(std::move(*ref));
    }
    for (auto& id : remove_) {
      if (id) change.remove.push_back(std::move(*id));
    }
    return change;
  }

 private:
  template <typename T>
  static void Erase(std::vector<std::optional<T>>& entries, std::unordered_map<std::string, std::size_t>& at,
                    const std::string& id) {
    auto it = at.find(id);
    if (it == at.end()) return;
    entries[it->second].reset();
    at.erase(it);
  }

  bool replace_all_ = false;
  std::vector<std::optional<MemberRef>> add_;
  std::unordered_map<std::string, std::size_t> add_at_;
  std::vector<std::optional<std::string>> remove_;
  std::unordered_map<std::string, std::size_t> remove_at_;
};

// Whether a key of a path-less value names the group's members ("members", or with
// the Group schema's URN).
bool NamesMembers(std::string_view key) {
  std::string_view urn, name = key;
  if (SplitUrnPrefix(key, &urn, &name) && !EqualsIgnoreCase(urn, kGroupSchemaUrn)) name = key;
  return EqualsIgnoreCase(name, "members");
}

// How many member values a members value holds (one member object or an array).
std::size_t CountItems(const json& value) {
  if (value.is_null()) return 0;
  return value.is_array() ? value.size() : 1;
}

// How many member values an operation names, counted before any is read, so a
// request naming too many is refused at once (kMaxMembersPerRequest).
std::size_t CountMemberValues(const PatchOperation& op) {
  if (!op.path) {
    if (!op.value.is_object()) return 0;
    std::size_t n = 0;
    for (auto it = op.value.begin(); it != op.value.end(); ++it) {
      if (NamesMembers(it.key())) n += CountItems(it.value());
    }
    return n;
  }
  if (!IsMembersPath(*op.path) || !op.path->sub_attribute.empty()) return 0;
  if (op.path->has_filter()) {
    std::vector<std::string> ids;
    return CollectFilterIds(*op.path->value_filter, ids) ? ids.size() : 0;
  }
  return op.has_value ? CountItems(op.value) : 0;
}

// A path-less add/replace: "members" in the value goes to the plan, the rest into
// `others` for ApplyPatch.
Status PlanPathless(const PatchOperation& op, MemberPlanBuilder& plan, std::vector<PatchOperation>& others) {
  if (!op.value.is_object()) {
    others.push_back(op);  // ApplyPatch reports the error
    return Status::Ok();
  }
  PatchOperation rest = op;
  rest.value = json::object();
  for (auto it = op.value.begin(); it != op.value.end(); ++it) {
    if (!NamesMembers(it.key())) {
      rest.value[it.key()] = it.value();
      continue;
    }
    if (it.value().is_null()) {
      if (op.op == Op::kReplace) plan.ReplaceAll({});
      continue;
    }
    DB_ASSIGN_OR_RETURN(auto refs, MemberRefs(it.value(), "value.members"));
    if (op.op == Op::kReplace) {
      plan.ReplaceAll(refs);
    } else {
      plan.Add(refs);
    }
  }
  if (!rest.value.empty()) others.push_back(std::move(rest));
  return Status::Ok();
}

// An operation whose path is "members", "members[filter]" or "members.sub".
Status PlanMembersPath(const PatchOperation& op, MemberPlanBuilder& plan) {
  if (!op.path->sub_attribute.empty()) {
    return PathError("changing a member's sub-attribute (" + Quote(op.path->text) +
                     ") is not supported; add or remove the member instead");
  }
  if (op.path->has_filter()) {
    std::vector<std::string> ids;
    if (op.op != Op::kRemove || !CollectFilterIds(*op.path->value_filter, ids)) {
      return InvalidInput("a member filter must be value eq \"id\" (optionally or-ed) in a remove operation, got " +
                              Quote(op.path->text),
                          "invalidFilter");
    }
    plan.Remove(ids);
    return Status::Ok();
  }
  switch (op.op) {
    case Op::kAdd: {
      if (op.value.is_null()) return Status::Ok();
      DB_ASSIGN_OR_RETURN(auto refs, MemberRefs(op.value, "value"));
      plan.Add(refs);
      break;
    }
    case Op::kReplace: {
      std::vector<MemberRef> refs;
      if (!op.value.is_null()) {
        DB_ASSIGN_OR_RETURN(refs, MemberRefs(op.value, "value"));
      }
      plan.ReplaceAll(refs);
      break;
    }
    case Op::kRemove: {
      if (!op.has_value || op.value.is_null()) {
        plan.ReplaceAll({});
        break;
      }
      DB_ASSIGN_OR_RETURN(auto refs, MemberRefs(op.value, "value", /*with_display=*/false));
      std::vector<std::string> ids;
      for (const auto& ref : refs) ids.push_back(ref.user_id);
      plan.Remove(ids);
      break;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<MemberPlan> PlanMemberChanges(const json& group, const std::vector<PatchOperation>& operations,
                                     const PatchOptions& options) {
  if (!group.is_object()) return Internal("PlanMemberChanges needs a group object");
  std::size_t member_values = 0;
  for (const auto& op : operations) member_values += CountMemberValues(op);
  if (member_values > kMaxMembersPerRequest) {
    return TooManyError("the PATCH names", member_values, "member values", kMaxMembersPerRequest);
  }
  MemberPlanBuilder plan;
  std::vector<PatchOperation> others;
  for (const auto& op : operations) {
    Status s = Status::Ok();
    if (!op.path) {
      s = PlanPathless(op, plan, others);
    } else if (IsMembersPath(*op.path)) {
      s = PlanMembersPath(op, plan);
    } else {
      others.push_back(op);
    }
    if (!s.ok()) return WithOperation(s.error(), op);
  }
  json without_members = group;
  EraseIgnoreCase(without_members, "members");
  DB_ASSIGN_OR_RETURN(json patched, ApplyPatch(without_members, others, GroupResource(), options));
  EraseIgnoreCase(patched, "members");
  MemberPlan out;
  out.membership = plan.Take();
  out.group = std::move(patched);
  return out;
}

}  // namespace dirbridge::scim
