#include "desired_state.h"

#include <optional>

#include "dn_scope.h"
#include "membership_graph.h"
#include "run_log.h"

namespace dirbridge::ad {

std::string_view AbsenceReason(Absence absence) {
  switch (absence) {
    case Absence::kDisabled: return "disabled in AD";
    case Absence::kDeleted: return "deleted in AD";
    case Absence::kOutOfScope: return "out of scope";
  }
  return "?";
}

Result<DesiredState> ComputeDesired(const DirectoryMirror& mirror, const ConnectorConfig& config) {
  const OuScope scope{config.ldap.base_dn, config.ldap.include_ous, config.ldap.exclude_ous};
  MembershipGraph graph(mirror);

  std::optional<std::set<std::string>> scoped_members;
  if (!config.ldap.scope_groups.empty()) {
    scoped_members.emplace();
    for (const auto& dn : config.ldap.scope_groups) {
      auto group = graph.GroupWithDn(dn);
      if (!group) {
        return Unavailable("the scope group '" + Printable(dn) +
                           "' is not among the groups read (check ldap.scopeGroups, ldap.baseDn and "
                           "ldap.groupFilter); refusing to take everyone out of scope");
      }
      auto members = graph.UsersOf(*group);
      scoped_members->insert(members.begin(), members.end());
    }
  }

  std::map<std::string, std::string> user_by_dn;
  for (const auto& [guid, u] : mirror.users) {
    if (!u.deleted) user_by_dn[DnKey(u.dn)] = guid;
  }

  DesiredState d;
  for (const auto& [guid, u] : mirror.users) {
    if (u.deleted) {
      d.absent[guid] = Absence::kDeleted;
      continue;
    }
    if (!u.invalid.empty()) {
      d.held.insert(guid);
      continue;
    }
    if (!scope.Contains(u.dn) || (scoped_members && !scoped_members->count(guid))) {
      d.absent[guid] = Absence::kOutOfScope;
      continue;
    }
    bool disabled = u.scim.contains("active") && u.scim["active"].is_boolean() && !u.scim["active"].get<bool>();
    if (disabled && config.sync.on_disabled == AccountAction::kDelete) {
      d.absent[guid] = Absence::kDisabled;
      continue;
    }
    DesiredUser want{u.scim, {}};
    if (!u.manager_dn.empty()) {
      if (auto m = user_by_dn.find(DnKey(u.manager_dn)); m != user_by_dn.end() && m->first != DnKey(u.dn)) {
        want.manager_guid = m->second;
      }
    }
    d.users[guid] = std::move(want);
  }

  for (const auto& [guid, g] : mirror.groups) {
    if (g.deleted || !scope.Contains(g.dn)) continue;
    DesiredGroup want{g.name, {}};
    for (const auto& member : graph.UsersOf(guid)) {
      if (d.users.count(member)) want.members.insert(member);
    }
    d.groups[guid] = std::move(want);
  }
  return d;
}

}  // namespace dirbridge::ad
