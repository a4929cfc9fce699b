#include "scim/member_plan.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "scim/filter.h"
#include "scim/patch_apply.h"
#include "scim/patch_errors.h"
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

// Member ids from a value holding member objects (one or an array of them).
Result<std::vector<std::string>> MemberIds(const json& value, const std::string& where) {
  std::vector<std::string> ids;
  const json items = value.is_array() ? value : json::array({value});
  for (std::size_t i = 0; i < items.size(); ++i) {
    const json* id = items[i].is_object() ? json_fields::Find(items[i], "value") : nullptr;
    if (id == nullptr || !id->is_string() || id->get_ref<const std::string&>().empty()) {
      return ValueError(where + "[" + std::to_string(i) + "] must be an object with a non-empty string \"value\" " +
                        "(the member's id), got " + Describe(items[i]));
    }
    ids.push_back(id->get<std::string>());
  }
  return ids;
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

// The member changes gathered operation by operation.
class MemberPlanBuilder {
 public:
  void Add(const std::vector<std::string>& ids) {
    for (const auto& id : ids) {
      if (replace_all_) {
        if (std::find(replacement_.begin(), replacement_.end(), id) == replacement_.end()) replacement_.push_back(id);
        continue;
      }
      Erase(remove_, id);
      if (std::find(add_.begin(), add_.end(), id) == add_.end()) add_.push_back(id);
    }
  }
  void Remove(const std::vector<std::string>& ids) {
    for (const auto& id : ids) {
      if (replace_all_) {
        Erase(replacement_, id);
        continue;
      }
      Erase(add_, id);
      if (std::find(remove_.begin(), remove_.end(), id) == remove_.end()) remove_.push_back(id);
    }
  }
  void ReplaceAll(const std::vector<std::string>& ids) {
    replace_all_ = true;
    add_.clear();
    remove_.clear();
    replacement_.clear();
    Add(ids);
  }
  void Into(MemberChanges& out) {
    out.replace_all = replace_all_;
    out.replacement = std::move(replacement_);
    out.add = std::move(add_);
    out.remove = std::move(remove_);
  }

 private:
  static void Erase(std::vector<std::string>& v, const std::string& id) {
    v.erase(std::remove(v.begin(), v.end(), id), v.end());
  }
  bool replace_all_ = false;
  std::vector<std::string> replacement_, add_, remove_;
};

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
    std::string_view key = it.key();
    std::string_view urn, name = key;
    if (SplitUrnPrefix(key, &urn, &name) && !EqualsIgnoreCase(urn, kGroupSchemaUrn)) name = key;
    if (!EqualsIgnoreCase(name, "members")) {
      rest.value[it.key()] = it.value();
      continue;
    }
    if (it.value().is_null()) {
      if (op.op == Op::kReplace) plan.ReplaceAll({});
      continue;
    }
    DB_ASSIGN_OR_RETURN(auto ids, MemberIds(it.value(), "value.members"));
    if (op.op == Op::kReplace) {
      plan.ReplaceAll(ids);
    } else {
      plan.Add(ids);
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
      DB_ASSIGN_OR_RETURN(auto ids, MemberIds(op.value, "value"));
      plan.Add(ids);
      break;
    }
    case Op::kReplace: {
      std::vector<std::string> ids;
      if (!op.value.is_null()) {
        DB_ASSIGN_OR_RETURN(ids, MemberIds(op.value, "value"));
      }
      plan.ReplaceAll(ids);
      break;
    }
    case Op::kRemove: {
      if (!op.has_value || op.value.is_null()) {
        plan.ReplaceAll({});
        break;
      }
      DB_ASSIGN_OR_RETURN(auto ids, MemberIds(op.value, "value"));
      plan.Remove(ids);
      break;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<MemberChanges> PlanMemberChanges(const json& group, const std::vector<PatchOperation>& operations,
                                        const PatchOptions& options) {
  if (!group.is_object()) return Internal("PlanMemberChanges needs a group object");
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
  MemberChanges out;
  plan.Into(out);
  out.group = std::move(patched);
  return out;
}

}  // namespace dirbridge::scim
