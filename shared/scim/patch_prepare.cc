#include "scim/patch_prepare.h"

#include "scim/patch_coercion.h"
#include "scim/patch_errors.h"
#include "scim/patch_value.h"

namespace dirbridge::scim::patch_internal {

using json = nlohmann::json;

Result<json> ValuePreparer::Scalar(const json& v, const AttributeDef& def, const std::string& where) const {
  switch (def.type) {
    case AttributeType::kBoolean:
      if (v.is_boolean()) return v;
      if (options_.coerce_boolean_strings) {
        if (auto b = BooleanFromString(v)) return json(*b);
      }
      return ValueError(Quote(where) + " must be a boolean, got " + Describe(v));
    case AttributeType::kInteger:
      if (v.is_number_integer()) return v;
      return ValueError(Quote(where) + " must be an integer, got " + Describe(v));
    case AttributeType::kDecimal:
      if (v.is_number()) return v;
      return ValueError(Quote(where) + " must be a number, got " + Describe(v));
    case AttributeType::kDateTime:
      if (v.is_string() && ParseDateTime(v.get_ref<const std::string&>())) return v;
      return ValueError(Quote(where) + " must be an RFC 3339 date-time such as \"2024-05-01T12:00:00Z\", got " +
                        Describe(v));
    case AttributeType::kComplex:
      return Single(v, def, where);
    case AttributeType::kString:
    case AttributeType::kReference:
    case AttributeType::kBinary:
      if (v.is_string()) return v;
      return ValueError(Quote(where) + " must be a string, got " + Describe(v));
  }
  return v;
}

Result<json> ValuePreparer::Single(const json& v, const AttributeDef& def, const std::string& where) const {
  if (!def.is_complex()) return Scalar(v, def, where);
  json input = v;
  if (!input.is_object() && !input.is_array() && !input.is_null() && def.FindSubAttribute("value") != nullptr) {
    input = json{{"value", v}};  // Entra ID: "manager": "id"
  }
  if (!input.is_object()) {
    return ValueError(Quote(where) + " is complex and needs an object of sub-attributes, got " + Describe(v));
  }
  json out = json::object();
  for (auto it = input.begin(); it != input.end(); ++it) {
    const AttributeDef* sub = def.FindSubAttribute(it.key());
    if (it.value().is_null()) continue;
    if (sub == nullptr) {
      out[it.key()] = it.value();
      continue;
    }
    if (sub->mutability == Mutability::kWriteOnly) continue;
    DB_ASSIGN_OR_RETURN(json prepared, Scalar(it.value(), *sub, where + "." + sub->name));
    PutIgnoreCase(out, sub->name, std::move(prepared));
  }
  return out;
}

Result<json> ValuePreparer::Whole(const json& v, const AttributeDef& def, const std::string& where) const {
  if (def.multi_valued) {
    json items = v.is_array() ? v : json::array({v});
    json out = json::array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (items[i].is_null()) continue;
      DB_ASSIGN_OR_RETURN(json one, Single(items[i], def, where + "[" + std::to_string(i) + "]"));
      out.push_back(std::move(one));
    }
    return out;
  }
  if (v.is_array()) {
    if (options_.single_element_array_for_complex && def.is_complex() && v.size() == 1) {
      return Single(v[0], def, where);
    }
    return ValueError(Quote(where) + " is single-valued, got an array");
  }
  return Single(v, def, where);
}

}  // namespace dirbridge::scim::patch_internal
