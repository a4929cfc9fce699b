// Bounds on the work one SCIM request may ask for, so a PATCH (or a group POST/PUT)
// costs at most a fixed amount whatever its body holds. Past a bound the answer is
// 400 scimType "tooMany" with the count and the limit, and nothing changes. Operations
// and attribute values are far above what identity providers send. Members are
// bounded by cost: each named member is a user read and a membership write, about
// 0.2 ms through the host, so 200 keep a request under 50 ms of CPU at 100,000 users
// (bench/hostile_cost_bench.mjs); identity providers send fewer per PATCH (AWS IAM
// Identity Center takes at most 100), and a client sends more in several PATCHes:
//   kMaxPatchOperations          operations in one PATCH (scim/patch_operations.h)
//   kMaxMembersPerRequest        member values in one request: the members a group
//                                PATCH adds, replaces or removes, summed over its
//                                operations (scim/member_plan.h), or the "members" of
//                                a group POST/PUT body
//   kMaxAttributeValuesPerRequest  values one PATCH adds to (or lists for removal
//                                from) one multi-valued attribute, summed over its
//                                operations (scim/patch_apply.h)
// The stored records have their own, smaller bounds (provision/record_limits.h: a
// user keeps at most 100 values per attribute, answered with invalidValue).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dirbridge::scim {

inline constexpr std::size_t kMaxPatchOperations = 1000;
inline constexpr std::size_t kMaxMembersPerRequest = 200;
inline constexpr std::size_t kMaxAttributeValuesPerRequest = 1000;

// 400 tooMany: "<what> has <count> <things>; the limit is <limit> per request".
// `what_has` reads as the start of the sentence ("the PATCH has"), `things` names the
// counted items ("operations").
inline Error TooManyError(std::string_view what_has, std::size_t count, std::string_view things,
                          std::size_t limit) {
  return InvalidInput(std::string(what_has) + " " + std::to_string(count) + " " + std::string(things) +
                          "; the limit is " + std::to_string(limit) + " per request",
                      "tooMany");
}

}  // namespace dirbridge::scim
