#include "directory_mirror.h"

#include "dn_scope.h"
#include "state_json.h"

namespace dirbridge::ad {

using nlohmann::json;

void DirectoryMirror::PutUser(const std::string& guid, MirrorUser user) {
  auto it = users.find(guid);
  if (it != users.end() && !it->second.deleted && !it->second.dn.empty()) {
    std::string old_key = DnKey(it->second.dn), new_key = DnKey(user.dn);
    if (old_key != new_key) {
      for (auto& [g, group] : groups) {
        for (auto& key : group.member_keys) {
          if (key == old_key) key = new_key;
        }
      }
    }
  }
  users[guid] = std::move(user);
}

void DirectoryMirror::MarkDeleted(const std::string& guid) {
  if (auto u = users.find(guid); u != users.end()) {
    u->second = MirrorUser{};
    u->second.deleted = true;
  }
  if (auto g = groups.find(guid); g != groups.end()) {
    g->second = MirrorGroup{};
    g->second.deleted = true;
  }
}

void DirectoryMirror::Forget(const std::string& guid) {
  users.erase(guid);
  groups.erase(guid);
}

json MirrorToJson(const DirectoryMirror& mirror) {
  json users = json::object();
  for (const auto& [guid, u] : mirror.users) {
    json j = json::object();
    if (u.deleted) {
      j["deleted"] = true;
    } else {
      j["dn"] = u.dn;
      j["scim"] = u.scim;
      if (!u.manager_dn.empty()) j["managerDn"] = u.manager_dn;
      if (!u.invalid.empty()) j["invalid"] = u.invalid;
    }
    users[guid] = std::move(j);
  }
  json groups = json::object();
  for (const auto& [guid, g] : mirror.groups) {
    json j = json::object();
    if (g.deleted) {
      j["deleted"] = true;
    } else {
      j["dn"] = g.dn;
      j["name"] = g.name;
      j["members"] = g.member_keys;
    }
    groups[guid] = std::move(j);
  }
  json out = json::object();
  out["users"] = std::move(users);
  out["groups"] = std::move(groups);
  return out;
}

Result<DirectoryMirror> MirrorFromJson(const json& j) {
  auto bad = [](const std::string& what) { return Corrupt("the state file's mirror: " + what); };
  if (!j.is_object() || !j.contains("users") || !j.contains("groups") || !j["users"].is_object() ||
      !j["groups"].is_object()) {
    return bad("'users' and 'groups' must be objects");
  }
  using state_json::Flag;
  using state_json::Text;
  DirectoryMirror m;
  for (auto it = j["users"].begin(); it != j["users"].end(); ++it) {
    const json& v = it.value();
    if (!v.is_object()) return bad("user " + it.key() + " is not an object");
    MirrorUser u;
    u.deleted = Flag(v, "deleted");
    u.dn = Text(v, "dn");
    u.manager_dn = Text(v, "managerDn");
    u.invalid = Text(v, "invalid");
    if (auto s = v.find("scim"); s != v.end()) {
      if (!s->is_object()) return bad("user " + it.key() + " has no SCIM object");
      u.scim = *s;
    }
    if (!u.deleted && u.dn.empty()) return bad("user " + it.key() + " has no DN");
    m.users[it.key()] = std::move(u);
  }
  for (auto it = j["groups"].begin(); it != j["groups"].end(); ++it) {
    const json& v = it.value();
    if (!v.is_object()) return bad("group " + it.key() + " is not an object");
    MirrorGroup g;
    g.deleted = Flag(v, "deleted");
    g.dn = Text(v, "dn");
    g.name = Text(v, "name");
    if (auto members = v.find("members"); members != v.end()) {
      if (!members->is_array()) return bad("group " + it.key() + " has no member list");
      for (const auto& key : *members) {
        if (!key.is_string()) return bad("group " + it.key() + " has a member that is not a DN");
        g.member_keys.push_back(key.get<std::string>());
      }
    }
    m.groups[it.key()] = std::move(g);
  }
  return m;
}

}  // namespace dirbridge::ad
