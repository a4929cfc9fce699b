// A PATCH value checked against its attribute's definition and shaped as it is stored:
// types checked (invalidValue), boolean strings coerced when the options say so,
// writeOnly and null sub-attributes dropped, known sub-attributes spelled as the
// schema spells them. Internal to the PATCH implementation (scim/patch_apply.cc).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "scim/patch_options.h"
#include "scim/schema.h"

namespace dirbridge::scim::patch_internal {

class ValuePreparer {
 public:
  explicit ValuePreparer(const PatchOptions& options) : options_(options) {}

  // A simple (non-complex) value of `def`. `where` names the value in messages.
  Result<nlohmann::json> Scalar(const nlohmann::json& v, const AttributeDef& def, const std::string& where) const;

  // One value of `def` (a single value of a multi-valued attribute, or the value of a
  // single-valued one). Complex values keep unknown members as given, drop writeOnly
  // and null members, and use the schema's spelling of known ones. A string given for
  // a complex attribute with a "value" sub-attribute stands for {"value": string}.
  Result<nlohmann::json> Single(const nlohmann::json& v, const AttributeDef& def, const std::string& where) const;

  // The whole value of an attribute: an array for a multi-valued one (a single value
  // given alone is wrapped). For a single-valued complex one, a one-element array is
  // its element when PatchOptions::single_element_array_for_complex says so.
  Result<nlohmann::json> Whole(const nlohmann::json& v, const AttributeDef& def, const std::string& where) const;

 private:
  const PatchOptions& options_;
};

}  // namespace dirbridge::scim::patch_internal
