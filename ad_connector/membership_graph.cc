#include "membership_graph.h"

#include <vector>

#include "dn_scope.h"

namespace dirbridge::ad {

MembershipGraph::MembershipGraph(const DirectoryMirror& mirror) : mirror_(mirror) {
  for (const auto& [guid, u] : mirror.users) {
    if (!u.deleted) users_by_dn_[DnKey(u.dn)] = guid;
  }
  for (const auto& [guid, g] : mirror.groups) {
    if (!g.deleted) groups_by_dn_[DnKey(g.dn)] = guid;
  }
}

std::set<std::string> MembershipGraph::UsersOf(const std::string& group_guid) const {
  std::set<std::string> users;
  std::set<std::string> visited = {group_guid};
  std::vector<std::string> pending = {group_guid};
  while (!pending.empty()) {
    std::string current = std::move(pending.back());
    pending.pop_back();
    auto g = mirror_.groups.find(current);
    if (g == mirror_.groups.end() || g->second.deleted) continue;
    for (const auto& key : g->second.member_keys) {
      if (auto u = users_by_dn_.find(key); u != users_by_dn_.end()) {
        users.insert(u->second);
      } else if (auto nested = groups_by_dn_.find(key); nested != groups_by_dn_.end()) {
        if (visited.insert(nested->second).second) pending.push_back(nested->second);
      }
    }
  }
  return users;
}

std::optional<std::string> MembershipGraph::GroupWithDn(const std::string& dn) const {
  auto it = groups_by_dn_.find(DnKey(dn));
  if (it == groups_by_dn_.end()) return std::nullopt;
  return it->second;
}

}  // namespace dirbridge::ad
