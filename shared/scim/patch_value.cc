#include "scim/patch_value.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <utility>

namespace dirbridge::scim::patch_internal {
namespace {

using json = nlohmann::json;

bool IsPrimaryTrue(const json& element) {
  const json* p = json_fields::Find(element, "primary");
  return p != nullptr && p->is_boolean() && p->get<bool>();
}

// Appends `s` so that no two different strings append the same text.
void AppendString(std::string_view s, std::string& out) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
}

// Appends v's canonical form (see CanonicalKey); false when it has none.
bool AppendKey(const json& v, const AttributeDef* def, std::string& out) {
  switch (v.type()) {
    case json::value_t::null:
      out += 'z';
      return true;
    case json::value_t::boolean:
      out += v.get<bool>() ? 't' : 'f';
      return true;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: {
      // Equivalent compares numbers as doubles.
      double d = v.get<double>();
      if (d == 0) d = 0;  // -0 and 0 are equal
      std::uint64_t bits = 0;
      std::memcpy(&bits, &d, sizeof bits);
      out += 'n';
      out += std::to_string(bits);
      out += ';';
      return true;
    }
    case json::value_t::string: {
      const bool exact = def != nullptr && def->case_exact;
      const auto& s = v.get_ref<const std::string&>();
      out += 's';
      AppendString(exact ? s : ToLowerAscii(s), out);
      return true;
    }
    case json::value_t::array:
      out += '[';
      for (const auto& item : v) {
        if (!AppendKey(item, def, out)) return false;
      }
      out += ']';
      return true;
    case json::value_t::object: {
      // Members in any key case, null ones ignored, in a fixed order.
      std::vector<std::pair<std::string, const json*>> members;
      members.reserve(v.size());
      for (auto it = v.begin(); it != v.end(); ++it) members.emplace_back(ToLowerAscii(it.key()), &it.value());
      std::sort(members.begin(), members.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      for (std::size_t i = 1; i < members.size(); ++i) {
        if (members[i].first == members[i - 1].first) return false;
      }
      out += '{';
      for (const auto& [name, value] : members) {
        if (value->is_null()) continue;
        AppendString(name, out);
        if (!AppendKey(*value, def != nullptr ? def->FindSubAttribute(name) : nullptr, out)) return false;
      }
      out += '}';
      return true;
    }
    case json::value_t::binary:
    case json::value_t::discarded:
      return false;
  }
  return false;
}

}  // namespace

std::optional<std::string> CanonicalKey(const json& v, const AttributeDef* def) {
  std::string key;
  if (!AppendKey(v, def, key)) return std::nullopt;
  return key;
}

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

std::vector<std::size_t> EnforceSinglePrimary(json& array, const std::vector<std::size_t>& written) {
  std::vector<std::size_t> cleared;
  std::optional<std::size_t> keep;
  for (std::size_t i : written) {
    if (i < array.size() && IsPrimaryTrue(array[i])) keep = i;
  }
  if (!keep) return cleared;
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (i != *keep && IsPrimaryTrue(array[i])) {
      PutIgnoreCase(array[i], "primary", false);
      cleared.push_back(i);
    }
  }
  return cleared;
}

}  // namespace dirbridge::scim::patch_internal
