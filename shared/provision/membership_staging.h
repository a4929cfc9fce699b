// Internal to the engine: one membership is a pair of keys (group -> user and user ->
// group), so adding or removing one member of a 50,000-member group stages O(1)
// writes and one event, whatever the group's size. The caller bumps the group's
// version when anything changed.
//
// Group automation (provision/entitlement_rules.h): a change reads the rule of the
// group's displayName once (one get, one parse, its entitlements rendered once) and,
// when there is one, each membership that actually changes appends one
// entitlement.granted (added) or entitlement.revoked (removed) event listing them,
// after the membership's own event: at most two events per membership, whatever the
// rule's size. A stored rule that does not parse does not stop the change: the
// membership applies, no entitlement event is written, and the membership's event
// says why (data.entitlementRuleError), so the admin sees it in the audit log.
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

  // Applies `change` to `group` (replace_all, then remove, then add). 400 invalidValue
  // when an added member is not a user of the tenant. An existing member is no change
  // (a new display is refreshed); removing a non-member is no change. The group's rule
  // is read once for the whole change.
  Status Apply(const Group& group, const MembershipChange& change, bool* changed);
  // Ends every membership of a user who is being deleted: one member_removed event
  // and a new version per group (and the entitlements of each group's rule revoked).
  // `user_name` goes on the entitlement.revoked events.
  Status EndAllOf(std::string_view user_id, std::string_view user_name);

 private:
  // A group's automation rule as its membership events need it: the entitlements
  // rendered once ([{type, name}]), or none; a corrupt rule is none with its error,
  // noted on each membership event.
  struct GroupRule {
    std::optional<nlohmann::json> entitlements;
    std::string error;
  };
  Result<GroupRule> RuleOf(const Group& group);
  Status Add(const Group& group, const GroupRule& rule, const MemberRef& member, bool* changed);
  Status Remove(const Group& group, const GroupRule& rule, std::string_view user_id, std::string_view user_name,
                bool* changed);
  Status AppendMembershipEvents(EventType member_type, EventType entitlement_type, const Group& group,
                                const GroupRule& rule, std::string_view user_id, std::string_view user_name);
};

}  // namespace dirbridge
