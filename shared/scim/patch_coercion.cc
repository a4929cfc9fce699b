#include "scim/patch_coercion.h"

#include <string>
#include <vector>

namespace dirbridge::scim {
namespace {

using json = nlohmann::json;

void CoerceIn(json& value, const AttributeDef& def) {
  if (value.is_array() && def.multi_valued) {
    for (auto& v : value) CoerceIn(v, def);
    return;
  }
  if (def.type == AttributeType::kBoolean) {
    if (auto b = BooleanFromString(value)) value = *b;
    return;
  }
  if (def.is_complex() && value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (const AttributeDef* sub = def.FindSubAttribute(it.key())) CoerceIn(it.value(), *sub);
    }
  }
}

void CoerceObject(json& object, const std::vector<AttributeDef>& defs) {
  if (!object.is_object()) return;
  for (auto it = object.begin(); it != object.end(); ++it) {
    for (const auto& d : defs) {
      if (EqualsIgnoreCase(d.name, it.key())) {
        CoerceIn(it.value(), d);
        break;
      }
    }
  }
}

}  // namespace

std::optional<bool> BooleanFromString(const json& v) {
  if (!v.is_string()) return std::nullopt;
  const auto& s = v.get_ref<const std::string&>();
  if (EqualsIgnoreCase(s, "true")) return true;
  if (EqualsIgnoreCase(s, "false")) return false;
  return std::nullopt;
}

void CoerceBooleanStrings(json& resource, const ResourceSchema& schema) {
  if (!resource.is_object()) return;
  CoerceObject(resource, CommonAttributes());
  if (schema.core != nullptr) CoerceObject(resource, schema.core->attributes);
  for (const auto& ext : schema.extensions) {
    if (json* c = json_fields::Find(resource, ext.schema->id)) CoerceObject(*c, ext.schema->attributes);
  }
}

}  // namespace dirbridge::scim
