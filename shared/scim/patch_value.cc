#include "scim/patch_value.h"

#include <optional>
#include <utility>

namespace dirbridge::scim::patch_internal {
namespace {

using json = nlohmann::json;

bool IsPrimaryTrue(const json& element) {
  const json* p = json_fields::Find(element, "primary");
  return p != nullptr && p->is_boolean() && p->get<bool>();
}

}  // namespace

bool Equivalent(const json& a, const json& b, const AttributeDef* def) {
  if (a.is_object() && b.is_object()) {
    std::size_t na = 0, nb = 0;
    for (auto it = a.begin(); it != a.end(); ++it) {
      if (it.value().is_null()) continue;
      ++na;
      const json* other = json_fields::Find(b, it.key());
      if (other == nullptr || other->is_null()) return false;
      if (!Equivalent(it.value(), *other, def != nullptr ? def->FindSubAttribute(it.key()) : nullptr)) return false;
    }
    for (auto it = b.begin(); it != b.end(); ++it) nb += it.value().is_null() ? 0 : 1;
    return na == nb;
  }
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!Equivalent(a[i], b[i], def)) return false;
    }
    return true;
  }
  if (a.is_string() && b.is_string()) {
    const bool exact = def != nullptr && def->case_exact;
    return exact ? a == b : EqualsIgnoreCase(a.get_ref<const std::string&>(), b.get_ref<const std::string&>());
  }
  if (a.is_number() && b.is_number()) return a == b || a.get<double>() == b.get<double>();
  return a == b;
}

bool ItemSelects(const json& item, const json& element, const AttributeDef* def) {
  if (!item.is_object() || !element.is_object()) return Equivalent(item, element, def);
  for (auto it = item.begin(); it != item.end(); ++it) {
    const json* have = json_fields::Find(element, it.key());
    const bool present = have != nullptr && !have->is_null();
    if (it.value().is_null()) {
      if (present) return false;
      continue;
    }
    if (!present) return false;
    if (!Equivalent(it.value(), *have, def != nullptr ? def->FindSubAttribute(it.key()) : nullptr)) return false;
  }
  return true;
}

void EraseIgnoreCase(json& object, std::string_view name) {
  if (!object.is_object()) return;
  std::vector<std::string> keys;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (EqualsIgnoreCase(it.key(), name)) keys.push_back(it.key());
  }
  for (const auto& k : keys) object.erase(k);
}

void PutIgnoreCase(json& object, const std::string& canonical, json value) {
  EraseIgnoreCase(object, canonical);
  object[canonical] = std::move(value);
}

void EnforceSinglePrimary(json& array, const std::vector<std::size_t>& written) {
  std::optional<std::size_t> keep;
  for (std::size_t i : written) {
    if (i < array.size() && IsPrimaryTrue(array[i])) keep = i;
  }
  if (!keep) return;
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (i != *keep && IsPrimaryTrue(array[i])) PutIgnoreCase(array[i], "primary", false);
  }
}

}  // namespace dirbridge::scim::patch_internal
