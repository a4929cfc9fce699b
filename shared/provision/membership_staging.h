// Internal to the engine: one membership is a pair of keys (group -> user and user ->
// group), so adding or removing one member of a 50,000-member group stages O(1)
// writes and one event, whatever the group's size. The caller bumps the group's
// version when anything changed.
//
// Group automation (provision/entitlement_rules.h): each membership that actually
// changes reads the rule of the group's displayName (one get) and, when there is one,
// appends one entitlement.granted (added) or entitlement.revoked (removed) event
// listing the rule's entitlements, after the membership's own event: a membership
// change costs at most two events, whatever the rule's size. A
// stored rule that does not parse does not stop the change: the membership applies,
// no entitlement event is written, and the membership's event says why
// (data.entitlementRuleError), so the admin sees it in the audit log.
#pragma once

#include <string_view>

#include "core/env.h"
#include "core/result.h"
#include "model/group.h"
#include "model/lifecycle_event.h"
#include "model/membership_change.h"
#include "provision/entitlement_rules.h"
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
  // Removing a non-member is no change. `user_name`, when the caller has it, goes on
  // the entitlement.revoked events.
  Status Remove(const Group& group, std::string_view user_id, bool* changed, std::string_view user_name = {});
  // Applies `change` to `group` (replace_all, then remove, then add).
  Status Apply(const Group& group, const MembershipChange& change, bool* changed);
  // Ends every membership of a user who is being deleted: one member_removed event
  // and a new version per group (and the entitlements of each group's rule revoked).
  Status EndAllOf(std::string_view user_id, std::string_view user_name = {});

 private:
  // The rule of the group's displayName for a membership change, or nullopt; a corrupt
  // rule is nullopt with its error noted on `member_event`.
  Result<std::optional<EntitlementRule>> RuleFor(const Group& group, LifecycleEvent& member_event);
};

}  // namespace dirbridge
