// One change to a group's members, whatever expressed it: a SCIM POST / PUT /
// PATCH, a hook, a push notification, the custom API or the AD connector. The
// provisioning engine applies it in one batch (shared/provision/directory.h).
//
// Order of application: with `replace_all`, every current member not named in `add`
// leaves first; then `remove`; then `add`. Adding a member twice or removing a
// non-member is a no-op. A member's `display` is what the source sent, echoed
// back on reads and never trusted for anything.
#pragma once

#include <string>
#include <vector>

namespace dirbridge {

struct MemberRef {
  std::string user_id;
  std::string display;
};

struct MembershipChange {
  bool replace_all = false;
  std::vector<MemberRef> add;
  std::vector<std::string> remove;  // user ids

  bool empty() const { return !replace_all && add.empty() && remove.empty(); }
};

}  // namespace dirbridge
