// The connector's copy of the part of AD it syncs: every user the user filter finds
// under the base DN (in OU scope or not: a move between OUs is a change of scope,
// not a new person) and every group the group filter finds, keyed by objectGUID,
// which survives renames and moves. Incremental runs patch it with what changed; a
// full run rebuilds it. What dirbridge should hold is computed from it
// (desired_state.h), never from one run's changes alone.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace dirbridge::ad {

struct MirrorUser {
  std::string dn;
  nlohmann::json scim = nlohmann::json::object();  // normalized (no id, no manager); active = !disabled
  std::string manager_dn;
  bool deleted = false;  // a tombstone: AD deleted the account
  std::string invalid;   // why the entry could not be normalized ("" when it could)
};

struct MirrorGroup {
  std::string dn;
  std::string name;
  std::vector<std::string> member_keys;  // DnKey (dn_scope.h) of each direct member
  bool deleted = false;
};

struct DirectoryMirror {
  std::map<std::string, MirrorUser> users;    // by objectGUID text
  std::map<std::string, MirrorGroup> groups;  // by objectGUID text

  // A user read again: when its DN changed (a rename or a move), groups that list
  // the old DN list the new one (AD rewrites `member` values without touching the
  // group's uSNChanged).
  void PutUser(const std::string& guid, MirrorUser user);
  void PutGroup(const std::string& guid, MirrorGroup group) { groups[guid] = std::move(group); }
  void MarkDeleted(const std::string& guid);
  void Forget(const std::string& guid);
};

nlohmann::json MirrorToJson(const DirectoryMirror& mirror);
Result<DirectoryMirror> MirrorFromJson(const nlohmann::json& json);

}  // namespace dirbridge::ad
