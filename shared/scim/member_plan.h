// What a Group PATCH does to the membership, computed without the member list, so a
// store can update a large membership without loading it.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "model/membership_change.h"
#include "scim/patch_operations.h"
#include "scim/patch_options.h"

namespace dirbridge::scim {

// `membership`: when `replace_all` is set the new membership is exactly `add` (the
// replacement's members followed by any later adds, in order, without duplicate ids)
// and `remove` is empty; otherwise the new membership is the current one plus `add`
// minus `remove` (the two never share an id). Each member keeps the "display" the
// request gave it (the first one, when an id is added twice). `group` is the group
// with every operation on other attributes applied; it never has "members".
struct MemberPlan {
  MembershipChange membership;
  nlohmann::json group;
};

// `group` is the current group without its members (a "members" key is ignored).
// Member operations supported: add/replace members (value: member objects with a
// string "value" and an optional string "display"), remove members (everything),
// remove members with "value" items (Entra ID), remove members[value eq "id"] (also
// or-ed: value eq "a" or value eq "b"), and members inside a path-less add/replace
// value. A member filter on anything but
// value, or a path into a member's sub-attributes, is invalidPath / invalidFilter
// because it would need the member list. More than kMaxMembersPerRequest member
// values in all (scim/patch_limits.h) is tooMany, before any is read. The cost is
// linear in the number of member values.
Result<MemberPlan> PlanMemberChanges(const nlohmann::json& group, const std::vector<PatchOperation>& operations,
                                     const PatchOptions& options = {});

}  // namespace dirbridge::scim
