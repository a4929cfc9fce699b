// What a PATCH path points at, resolved against the resource's schema: a top-level
// attribute (of the core schema or an extension), optionally one of its
// sub-attributes and a value filter, or a whole extension. Unknown names are
// invalidPath. Internal to the PATCH implementation (scim/patch_apply.cc).
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "scim/filter.h"
#include "scim/schema.h"

namespace dirbridge::scim::patch_internal {

struct Target {
  const AttributeDef* attribute = nullptr;  // top-level attribute
  const AttributeDef* sub = nullptr;        // sub-attribute, if the path names one
  FilterPtr filter;                         // value filter, if any
  std::string container_urn;                // "" or the extension URN
  const SchemaDef* whole_extension = nullptr;
  std::string shown;                        // the path, for messages
};

// `urn` may be empty; a URN with an attribute that together name an extension of
// `schema` (and no sub-attribute or filter) is that whole extension. `shown` is the
// path as the client wrote it.
Result<Target> ResolveTarget(std::string_view urn, std::string_view attribute, std::string_view sub,
                             FilterPtr filter, const ResourceSchema& schema, std::string shown);

// The target that is the whole extension `ext` (a path-less value's extension key).
Target WholeExtensionTarget(const SchemaDef& ext, std::string shown);

}  // namespace dirbridge::scim::patch_internal
