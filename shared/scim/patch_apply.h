// Applying PATCH operations to a resource in its SCIM JSON shape; the semantics are
// described in scim/patch.h. The input is never modified: the work happens on a copy,
// so a request that fails half-way changes nothing.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "scim/patch_operations.h"
#include "scim/patch_options.h"
#include "scim/schema.h"

namespace dirbridge::scim {

// Applies `operations` in order to a copy of `resource`.
Result<nlohmann::json> ApplyPatch(const nlohmann::json& resource, const std::vector<PatchOperation>& operations,
                                  const ResourceSchema& schema, const PatchOptions& options = {});
// Convenience: parses a PatchOp request body, then applies it.
Result<nlohmann::json> ApplyPatchRequest(const nlohmann::json& resource, const nlohmann::json& body,
                                         const ResourceSchema& schema, const PatchOptions& options = {});

}  // namespace dirbridge::scim
