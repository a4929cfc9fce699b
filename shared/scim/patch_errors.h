// How a PATCH failure is worded: an error per scimType, names and values quoted for
// messages, and the operation the error belongs to ("Operations[2] (replace
// emails[type eq "work"].value): ..."). Internal to the PATCH implementation
// (scim/patch_*.cc, scim/member_plan.cc); callers include scim/patch.h.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "scim/patch_operations.h"

namespace dirbridge::scim::patch_internal {

Error PathError(std::string detail);        // invalidPath
Error ValueError(std::string detail);       // invalidValue
Error MutabilityError(std::string detail);  // mutability
Error NoTargetError(std::string detail);    // noTarget

// 'name'
std::string Quote(std::string_view s);
// A value's type and (shortened) JSON text: `string "abc"`, `object {...}`.
std::string Describe(const nlohmann::json& v);

// "add", "replace" or "remove".
std::string_view OpName(PatchOperation::Op op);
// `e` with its detail prefixed by the operation's index, op name and path.
Error WithOperation(const Error& e, const PatchOperation& op);

}  // namespace dirbridge::scim::patch_internal
