// What dirbridge should hold, by AD: computed from the mirror and the configuration
// alone, so every run (full, incremental, or resumed after a failure) aims at the same
// state.
//
//   a user is present when its entry normalizes, is in OU scope and (with scope
//   groups) a member of one of them, directly or nested; a disabled account is
//   present and inactive, unless sync.onDisabled is "delete"
//   a user is absent, with a reason, when AD deleted it, it left the scope, or it is
//   disabled under a "delete" policy
//   a user whose entry cannot be normalized is held: dirbridge keeps what it has
//   a group is present when it is in OU scope; its members are its present users,
//   nested groups flattened
#pragma once

#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "connector_config.h"
#include "core/result.h"
#include "directory_mirror.h"

namespace dirbridge::ad {

enum class Absence { kDisabled, kDeleted, kOutOfScope };
std::string_view AbsenceReason(Absence absence);  // "disabled in AD", ...

struct DesiredUser {
  nlohmann::json scim;       // without manager
  std::string manager_guid;  // "" when none (or not a synced user)
};

struct DesiredGroup {
  std::string name;
  std::set<std::string> members;  // user objectGUIDs
};

struct DesiredState {
  std::map<std::string, DesiredUser> users;
  std::map<std::string, Absence> absent;
  std::set<std::string> held;
  std::map<std::string, DesiredGroup> groups;
};

// An error when a scope group is not in the mirror: scoping by a group that cannot
// be read would take everyone out of scope.
Result<DesiredState> ComputeDesired(const DirectoryMirror& mirror, const ConnectorConfig& config);

}  // namespace dirbridge::ad
