// A PatchOp request body (RFC 7644 §3.5.2) read into operations: op names in any case
// ("Add", "Replace", "Remove" as Entra ID sends), the path parsed, the value kept as
// given. Nothing here looks at a schema; scim/patch_apply.h applies the operations.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "model/schema_urns.h"
#include "scim/attribute_path.h"

namespace dirbridge::scim {

struct PatchOperation {
  enum class Op { kAdd, kReplace, kRemove };
  Op op = Op::kAdd;
  std::optional<PatchPath> path;
  bool has_value = false;
  nlohmann::json value;
  std::size_t index = 0;  // position in the request's Operations, for messages
};

// Reads a PatchOp request body ({"schemas":[PatchOp URN], "Operations":[...]}; the
// "Operations" key is matched case-insensitively) into operations. Errors are
// invalidSyntax for a malformed message, invalidPath for a malformed path, and say
// which operation (by index) is wrong; more than kMaxPatchOperations operations
// (scim/patch_limits.h) is tooMany.
Result<std::vector<PatchOperation>> ParsePatchRequest(const nlohmann::json& body);
// The same for just the Operations array.
Result<std::vector<PatchOperation>> ParsePatchOperations(const nlohmann::json& operations);

}  // namespace dirbridge::scim
