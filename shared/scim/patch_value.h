// Values as PATCH compares and writes them: equivalence by the attribute's rules,
// member names in any case, and the one-primary rule. Internal to the PATCH
// implementation (scim/patch_*.cc, scim/member_plan.cc).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "scim/schema.h"

namespace dirbridge::scim::patch_internal {

// Two values that mean the same (strings by the attribute's caseExact; objects by
// their non-null members, in any key case).
bool Equivalent(const nlohmann::json& a, const nlohmann::json& b, const AttributeDef* def);

// A text that two values share exactly when they are Equivalent (under the same
// `def`), so equivalence can be looked up in a hash set. nullopt when `v` cannot be
// keyed (an object with two member names that differ only in case, for which
// Equivalent is not symmetric): compare such a value with Equivalent instead.
std::optional<std::string> CanonicalKey(const nlohmann::json& v, const AttributeDef* def);

// Whether a "remove" value item selects `element`: every member of the item equals
// the element's (a null member means the element must not have it).
bool ItemSelects(const nlohmann::json& item, const nlohmann::json& element, const AttributeDef* def);

// Erases every member of `object` called `name` in any case (no-op on a non-object).
void EraseIgnoreCase(nlohmann::json& object, std::string_view name);
// Sets object[canonical] = value, dropping other spellings of the same name.
void PutIgnoreCase(nlohmann::json& object, const std::string& canonical, nlohmann::json value);

// After values at `written` changed: at most one value keeps primary true, the last
// written one that has it (RFC 7643 §2.4). Returns the positions whose primary was
// set to false.
std::vector<std::size_t> EnforceSinglePrimary(nlohmann::json& array, const std::vector<std::size_t>& written);

}  // namespace dirbridge::scim::patch_internal
