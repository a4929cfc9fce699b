#include "sync_plan.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "model/schema_urns.h"
#include "run_log.h"

namespace dirbridge::ad {
namespace {

using nlohmann::json;

bool IsActive(const json& scim) {
  auto it = scim.find("active");
  return it == scim.end() || !it->is_boolean() || it->get<bool>();
}

std::string UserLabel(const json& scim) {
  auto it = scim.find("userName");
  return it != scim.end() && it->is_string() ? it->get<std::string>() : std::string("?");
}

// The desired representation with the manager as dirbridge knows it.
json WithManager(const DesiredUser& user, const PushedState& pushed) {
  json scim = user.scim;
  std::string manager_id = user.manager_guid.empty() ? std::string() : pushed.UserId(user.manager_guid);
  if (!manager_id.empty()) {
    json& ext = scim[std::string(kEnterpriseUserSchemaUrn)];
    if (!ext.is_object()) ext = json::object();
    json manager = json::object();
    manager["value"] = manager_id;
    ext["manager"] = std::move(manager);
  }
  return scim;
}

// A complex attribute (name, the enterprise extension) changes sub-attribute by
// sub-attribute: a PATCH replace of a complex value leaves the sub-attributes it does
// not name (RFC 7644 §3.5.2.3), so a cleared `sn` must be its own remove.
std::string SubPath(const std::string& attribute, const std::string& sub) {
  return attribute == std::string(kEnterpriseUserSchemaUrn) ? attribute + ":" + sub : attribute + "." + sub;
}

std::vector<AttributeChange> Diff(const json& before, const json& after) {
  std::vector<AttributeChange> changes;
  std::set<std::string> keys;
  for (auto it = before.begin(); it != before.end(); ++it) keys.insert(it.key());
  for (auto it = after.begin(); it != after.end(); ++it) keys.insert(it.key());
  const json none;
  for (const auto& key : keys) {
    const json& b = before.contains(key) ? before[key] : none;
    const json& a = after.contains(key) ? after[key] : none;
    if (b == a) continue;
    bool complex = (b.is_object() || b.is_null()) && (a.is_object() || a.is_null());
    if (!complex) {
      changes.push_back({key, b, a});
      continue;
    }
    std::set<std::string> subs;
    if (b.is_object()) for (auto it = b.begin(); it != b.end(); ++it) subs.insert(it.key());
    if (a.is_object()) for (auto it = a.begin(); it != a.end(); ++it) subs.insert(it.key());
    for (const auto& sub : subs) {
      const json& bs = b.is_object() && b.contains(sub) ? b[sub] : none;
      const json& as = a.is_object() && a.contains(sub) ? a[sub] : none;
      if (bs != as) changes.push_back({SubPath(key, sub), bs, as});
    }
  }
  return changes;
}

std::vector<std::string> Minus(const std::set<std::string>& a, const std::set<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

std::string Short(const json& value) {
  if (value.is_null()) return "(none)";
  return Printable(value.dump(-1, ' ', false, json::error_handler_t::replace), 120);
}

}  // namespace

long SyncPlan::Disables() const {
  return static_cast<long>(std::count_if(steps.begin(), steps.end(), [](const PlanStep& s) { return s.disables; }));
}

SyncPlan MakePlan(const DesiredState& desired, const PushedState& pushed, const SyncSettings& settings) {
  SyncPlan plan;
  std::vector<PlanStep> takes_access;

  for (const auto& [guid, user] : desired.users) {
    json want = WithManager(user, pushed);
    auto have = pushed.users.find(guid);
    PlanStep step;
    step.guid = guid;
    step.label = UserLabel(want);
    step.scim = want;
    if (have == pushed.users.end()) {
      step.kind = PlanStep::Kind::kCreateUser;
      plan.steps.push_back(std::move(step));
      continue;
    }
    step.kind = PlanStep::Kind::kUpdateUser;
    step.changes = Diff(have->second.scim, want);
    if (step.changes.empty()) continue;
    if (IsActive(have->second.scim) && !IsActive(want)) {
      step.disables = true;
      step.reason = std::string(AbsenceReason(Absence::kDisabled));
      takes_access.push_back(std::move(step));
    } else {
      plan.steps.push_back(std::move(step));
    }
  }

  for (const auto& [guid, group] : desired.groups) {
    auto have = pushed.groups.find(guid);
    PlanStep step;
    step.guid = guid;
    step.label = group.name;
    if (have == pushed.groups.end()) {
      step.kind = PlanStep::Kind::kCreateGroup;
      step.add_members.assign(group.members.begin(), group.members.end());
      plan.steps.push_back(std::move(step));
      continue;
    }
    std::set<std::string> had(have->second.members.begin(), have->second.members.end());
    step.kind = PlanStep::Kind::kUpdateGroup;
    step.label = have->second.name;
    if (have->second.name != group.name) step.new_name = group.name;
    step.add_members = Minus(group.members, had);
    step.remove_members = Minus(had, group.members);
    if (!step.new_name.empty() || !step.add_members.empty() || !step.remove_members.empty()) {
      plan.steps.push_back(std::move(step));
    }
  }
  for (const auto& [guid, group] : pushed.groups) {
    if (desired.groups.count(guid)) continue;
    PlanStep step;
    step.kind = PlanStep::Kind::kDeleteGroup;
    step.guid = guid;
    step.label = group.name;
    plan.steps.push_back(std::move(step));
  }

  for (const auto& [guid, user] : pushed.users) {
    if (desired.users.count(guid) || desired.held.count(guid)) continue;
    auto why = desired.absent.find(guid);
    Absence absence = why == desired.absent.end() ? Absence::kOutOfScope : why->second;
    AccountAction action = absence == Absence::kDisabled  ? settings.on_disabled
                           : absence == Absence::kDeleted ? settings.on_deleted
                                                          : settings.on_out_of_scope;
    PlanStep step;
    step.guid = guid;
    step.label = UserLabel(user.scim);
    step.reason = std::string(AbsenceReason(absence));
    if (action == AccountAction::kDelete) {
      step.kind = PlanStep::Kind::kDeleteUser;
      step.disables = true;
    } else {
      if (!IsActive(user.scim)) continue;  // already disabled
      step.kind = PlanStep::Kind::kUpdateUser;
      step.scim = user.scim;
      step.scim["active"] = false;
      step.changes.push_back({"active", true, false});
      step.disables = true;
    }
    takes_access.push_back(std::move(step));
  }
  for (auto& step : takes_access) plan.steps.push_back(std::move(step));
  return plan;
}

std::string DescribeStep(const PlanStep& step) {
  std::string label = "'" + Printable(step.label, 200) + "'";
  switch (step.kind) {
    case PlanStep::Kind::kCreateUser: {
      std::string line = "create user " + label + " (";
      bool first = true;
      for (auto it = step.scim.begin(); it != step.scim.end(); ++it) {
        if (it.key() == "userName") continue;
        line += (first ? "" : ", ") + it.key() + "=" + Short(it.value());
        first = false;
      }
      return line + ")";
    }
    case PlanStep::Kind::kUpdateUser: {
      std::string line = (step.disables ? "disable user " : "update user ") + label;
      if (step.disables) line += " (" + step.reason + ")";
      line += ":";
      for (const auto& c : step.changes) {
        line += " " + c.attribute + " " + Short(c.before) + " -> " + Short(c.after) + ";";
      }
      line.pop_back();
      return line;
    }
    case PlanStep::Kind::kDeleteUser:
      return "delete user " + label + " (" + step.reason + ")";
    case PlanStep::Kind::kCreateGroup:
      return "create group " + label + " with " + std::to_string(step.add_members.size()) + " members";
    case PlanStep::Kind::kUpdateGroup: {
      std::string line = "update group " + label + ":";
      if (!step.new_name.empty()) line += " rename to '" + Printable(step.new_name, 200) + "';";
      if (!step.add_members.empty()) line += " add " + std::to_string(step.add_members.size()) + " members;";
      if (!step.remove_members.empty()) line += " remove " + std::to_string(step.remove_members.size()) + " members;";
      line.pop_back();
      return line;
    }
    case PlanStep::Kind::kDeleteGroup:
      return "delete group " + label + " (no longer in AD's scope)";
  }
  return "?";
}

bool WithinMassChangeLimit(long disables, long active, const SyncSettings& settings) {
  double share_limit = std::floor(settings.mass_change_max_share * static_cast<double>(active));
  long limit = std::max<long>(settings.mass_change_min_count, static_cast<long>(share_limit));
  return disables <= limit;
}

}  // namespace dirbridge::ad
