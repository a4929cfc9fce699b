// Boolean strings: Entra ID sends "True" / "False" where the schema says boolean.
// PATCH values are coerced as they are checked (scim/patch_prepare.h, when
// PatchOptions::coerce_boolean_strings is set); POST and PUT bodies through
// CoerceBooleanStrings.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "scim/schema.h"

namespace dirbridge::scim {

// The boolean a string "true" / "false" (any case) stands for; nullopt for anything else.
std::optional<bool> BooleanFromString(const nlohmann::json& v);

// Turns "True"/"False" strings (any case) into booleans wherever the schema says an
// attribute or sub-attribute is boolean, including inside extension objects and
// multi-valued values. For POST and PUT bodies from Entra ID. Other values are left
// alone for validation to report.
void CoerceBooleanStrings(nlohmann::json& resource, const ResourceSchema& schema);

}  // namespace dirbridge::scim
