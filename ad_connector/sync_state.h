// The connector's one local file (sync.stateFile): where the last successful run left
// off, and what dirbridge holds from this connector.
//
//   watermark  the DC it read (its NTDS Settings DN and invocationId) and that DC's
//              highestCommittedUSN when the run began: the next run reads only
//              objects whose uSNChanged is above it. uSNChanged is per DC, and a new
//              invocationId (a restore, or another DC) means a full run. With DirSync,
//              also the DC's cookie, taken before the run read anything.
//   mirror     directory_mirror.h
//   pushed     per objectGUID, the dirbridge id and what was last sent: a user's SCIM
//              attributes, a group's name and members. A plan is the difference
//              between what AD says and this, so a run that stopped half way is
//              finished by the next one.
//
// The watermark and the mirror move together, and only when a run's changes were all
// accepted; `pushed` is saved as changes are accepted. The file is replaced
// atomically (write, fsync, rename): a crash leaves the old one or the new one.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "directory_mirror.h"

namespace dirbridge::ad {

struct Watermark {
  std::string server;         // dsServiceName of the DC
  std::string invocation_id;  // of that DC's database
  std::int64_t usn = 0;       // 0: no run has finished; the next is a full one
  std::int64_t full_sync_at = 0;  // Unix seconds of the last full run
  std::string dirsync_cookie;     // ldap.changeTracking "dirsync": the DC's cookie (bytes)
};

struct PushedUser {
  std::string id;
  nlohmann::json scim = nlohmann::json::object();
};

struct PushedGroup {
  std::string id;
  std::string name;
  std::vector<std::string> members;  // objectGUIDs of users, sorted
};

struct PushedState {
  std::map<std::string, PushedUser> users;
  std::map<std::string, PushedGroup> groups;
  // The dirbridge id of a user this connector pushed, or "".
  std::string UserId(const std::string& guid) const;
};

struct SyncState {
  Watermark watermark;
  DirectoryMirror mirror;
  PushedState pushed;
};

// A missing file is an empty state (the first run); a file that does not parse is an
// error (never silently a full resync that could re-create what an admin removed).
Result<SyncState> LoadState(const std::string& path);
Status SaveState(const std::string& path, const SyncState& state);

}  // namespace dirbridge::ad
