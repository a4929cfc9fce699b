// The difference between what AD says (desired_state.h) and what dirbridge holds
// from this connector (sync_state.h's `pushed`): the steps of one run, in the order
// they are sent. `--dry-run` prints them and stops.
//
//   1. users created and updated (attributes that changed, by top-level SCIM
//      attribute; re-enabling is an update of `active`)
//   2. groups created, renamed, members added and removed, deleted
//   3. users disabled (active false) or deleted, per sync.onDisabled / onDeleted /
//      onOutOfScope: last, so a bad run stops before it takes anyone's access
//
// A manager is the manager's dirbridge id, so it is sent once the manager exists: a
// run plans again after its steps and sends what that second plan finds.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "connector_config.h"
#include "desired_state.h"
#include "sync_state.h"

namespace dirbridge::ad {

struct AttributeChange {
  std::string attribute;  // top-level SCIM attribute (or the enterprise extension URN)
  nlohmann::json before;  // null: was not set
  nlohmann::json after;   // null: is removed
};

struct PlanStep {
  enum class Kind { kCreateUser, kUpdateUser, kDeleteUser, kCreateGroup, kUpdateGroup, kDeleteGroup };
  Kind kind = Kind::kCreateUser;
  std::string guid;
  std::string label;             // userName or group name, for people
  nlohmann::json scim;           // users: the whole desired representation
  std::vector<AttributeChange> changes;
  bool disables = false;         // takes access away: active true -> false, or a delete
  std::string reason;            // why a user is disabled or deleted
  std::string new_name;          // a group's rename ("" when none)
  std::vector<std::string> add_members, remove_members;  // user objectGUIDs
};

struct SyncPlan {
  std::vector<PlanStep> steps;
  long Disables() const;
  bool empty() const { return steps.empty(); }
};

SyncPlan MakePlan(const DesiredState& desired, const PushedState& pushed, const SyncSettings& settings);

// One line per step, for --dry-run and the log: "create user ada@corp.example",
// "update user bob@corp.example: title \"Engineer\" -> \"Lead\"", ...
std::string DescribeStep(const PlanStep& step);

// Whether a run may take access from `disables` users when dirbridge has `active`
// users from AD: at most max(minCount, maxShare x active).
bool WithinMassChangeLimit(long disables, long active, const SyncSettings& settings);

}  // namespace dirbridge::ad
