#include "sync_state.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "crypto/base64.h"
#include "state_json.h"

namespace dirbridge::ad {
namespace {

using nlohmann::json;
using state_json::Number;
using state_json::Text;

constexpr int kFormatVersion = 1;

Error Bad(const std::string& path, const std::string& what) {
  return Corrupt("the state file " + path + " " + what +
                 "; move it away to start again with a full run (dirbridge keeps the users; the connector adopts "
                 "them by externalId)");
}

}  // namespace

std::string PushedState::UserId(const std::string& guid) const {
  auto it = users.find(guid);
  return it == users.end() ? std::string() : it->second.id;
}

Result<SyncState> LoadState(const std::string& path) {
  if (::access(path.c_str(), F_OK) != 0 && errno == ENOENT) return SyncState{};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Bad(path, "cannot be read");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Bad(path, "is not JSON");
  if (Number(j, "version") != kFormatVersion) return Bad(path, "has an unknown format version");
  SyncState s;
  if (auto w = j.find("watermark"); w != j.end() && w->is_object()) {
    s.watermark.server = Text(*w, "server");
    s.watermark.invocation_id = Text(*w, "invocationId");
    s.watermark.usn = Number(*w, "usn");
    s.watermark.full_sync_at = Number(*w, "fullSyncAt");
    if (std::string cookie = Text(*w, "dirsyncCookie"); !cookie.empty()) {
      auto bytes = crypto::Base64Decode(cookie);
      if (!bytes) return Bad(path, "holds a DirSync cookie that is not base64");
      s.watermark.dirsync_cookie = std::move(*bytes);
    }
  }
  auto mirror = MirrorFromJson(j.contains("mirror") ? j["mirror"] : json());
  if (!mirror.ok()) return Bad(path, "holds a broken mirror (" + mirror.error().detail + ")");
  s.mirror = std::move(*mirror);
  const json* pushed = j.contains("pushed") && j["pushed"].is_object() ? &j["pushed"] : nullptr;
  if (pushed == nullptr) return Bad(path, "has no 'pushed' section");
  if (auto users = pushed->find("users"); users != pushed->end() && users->is_object()) {
    for (auto it = users->begin(); it != users->end(); ++it) {
      PushedUser u;
      u.id = Text(it.value(), "id");
      if (auto scim = it.value().find("scim"); scim != it.value().end() && scim->is_object()) u.scim = *scim;
      if (u.id.empty()) return Bad(path, "has a pushed user without an id");
      s.pushed.users[it.key()] = std::move(u);
    }
  }
  if (auto groups = pushed->find("groups"); groups != pushed->end() && groups->is_object()) {
    for (auto it = groups->begin(); it != groups->end(); ++it) {
      PushedGroup g;
      g.id = Text(it.value(), "id");
      g.name = Text(it.value(), "name");
      if (auto members = it.value().find("members"); members != it.value().end() && members->is_array()) {
        for (const auto& m : *members) {
          if (m.is_string()) g.members.push_back(m.get<std::string>());
        }
      }
      if (g.id.empty()) return Bad(path, "has a pushed group without an id");
      s.pushed.groups[it.key()] = std::move(g);
    }
  }
  return s;
}

Status SaveState(const std::string& path, const SyncState& state) {
  json j = json::object();
  j["version"] = kFormatVersion;
  json w = json::object();
  w["server"] = state.watermark.server;
  w["invocationId"] = state.watermark.invocation_id;
  w["usn"] = state.watermark.usn;
  w["fullSyncAt"] = state.watermark.full_sync_at;
  if (!state.watermark.dirsync_cookie.empty()) w["dirsyncCookie"] = crypto::Base64Encode(state.watermark.dirsync_cookie);
  j["watermark"] = std::move(w);
  j["mirror"] = MirrorToJson(state.mirror);
  json users = json::object();
  for (const auto& [guid, u] : state.pushed.users) {
    json o = json::object();
    o["id"] = u.id;
    o["scim"] = u.scim;
    users[guid] = std::move(o);
  }
  json groups = json::object();
  for (const auto& [guid, g] : state.pushed.groups) {
    json o = json::object();
    o["id"] = g.id;
    o["name"] = g.name;
    o["members"] = g.members;
    groups[guid] = std::move(o);
  }
  json pushed = json::object();
  pushed["users"] = std::move(users);
  pushed["groups"] = std::move(groups);
  j["pushed"] = std::move(pushed);

  std::string text = j.dump(-1, ' ', false, json::error_handler_t::replace);
  std::string temp = path + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Unavailable("cannot write the state file " + temp + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return Unavailable("cannot write the state file " + temp + ": " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced || ::rename(temp.c_str(), path.c_str()) != 0) {
    return Unavailable("cannot replace the state file " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace dirbridge::ad
