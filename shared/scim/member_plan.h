// What a Group PATCH does to the membership, computed without the member list, so a
// store can update a large membership without loading it.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "scim/patch_operations.h"
#include "scim/patch_options.h"

namespace dirbridge::scim {

// If `replace_all` is set the new membership is exactly `replacement` (in order,
// without duplicates) and `add`/`remove` are empty; otherwise the new membership is
// the current one plus `add` minus `remove` (the two never share an id). `group` is
// the group with every operation on other attributes applied; it never has "members".
struct MemberChanges {
  bool replace_all = false;
  std::vector<std::string> replacement;
  std::vector<std::string> add;
  std::vector<std::string> remove;
  nlohmann::json group;
};

// `group` is the current group without its members (a "members" key is ignored).
// Member operations supported: add/replace members (value: member objects with a
// string "value"), remove members (everything), remove members with "value" items
// (Entra ID), remove members[value eq "id"] (also or-ed: value eq "a" or value eq "b"),
// and members inside a path-less add/replace value. A member filter on anything but
// value, or a path into a member's sub-attributes, is invalidPath / invalidFilter
// because it would need the member list.
Result<MemberChanges> PlanMemberChanges(const nlohmann::json& group, const std::vector<PatchOperation>& operations,
                                        const PatchOptions& options = {});

}  // namespace dirbridge::scim
