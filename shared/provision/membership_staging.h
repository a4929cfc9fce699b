// Internal to the engine: one membership is a pair of keys (group -> user and user ->
// group), so adding or removing one member of a 50,000-member group stages O(1)
// writes and one event, whatever the group's size. The caller bumps the group's
// version when anything changed.
#pragma once

#include <string_view>

#include "core/env.h"
#include "core/result.h"
#include "model/group.h"
#include "model/lifecycle_event.h"
#include "model/membership_change.h"
#include "store/transaction.h"

namespace dirbridge {

struct MembershipStaging {
  Transaction& txn;
  std::string_view tenant;
  const ChangeSource& source;
  Env& env;

  // 400 invalidValue when the member is not a user of the tenant. An existing member
  // is no change (a new display is refreshed).
  Status Add(const Group& group, const MemberRef& member, bool* changed);
  // Removing a non-member is no change.
  Status Remove(const Group& group, std::string_view user_id, bool* changed);
  // Applies `change` to `group` (replace_all, then remove, then add).
  Status Apply(const Group& group, const MembershipChange& change, bool* changed);
  // Ends every membership of a user who is being deleted: one member_removed event
  // and a new version per group.
  Status EndAllOf(std::string_view user_id);
};

}  // namespace dirbridge
