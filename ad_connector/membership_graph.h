// Group membership as AD stores it (a group's `member` values are DNs of users and
// of other groups) flattened to users: dirbridge's groups hold people, so a nested
// group's members are members of every group that contains it. Cycles (A in B, B in
// A) are legal in AD and end the walk, never loop it.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include "directory_mirror.h"

namespace dirbridge::ad {

class MembershipGraph {
 public:
  explicit MembershipGraph(const DirectoryMirror& mirror);

  // The users (objectGUIDs) in `group_guid`, directly or through nested groups.
  std::set<std::string> UsersOf(const std::string& group_guid) const;
  // The group whose DN is `dn` (any case), if the mirror has it.
  std::optional<std::string> GroupWithDn(const std::string& dn) const;

 private:
  const DirectoryMirror& mirror_;
  std::map<std::string, std::string> users_by_dn_;   // DnKey -> guid
  std::map<std::string, std::string> groups_by_dn_;  // DnKey -> guid
};

}  // namespace dirbridge::ad
