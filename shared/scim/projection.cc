#include "scim/projection.h"

#include "core/utf8.h"

#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "scim/attribute_path.h"
#include "scim/filter.h"
#include "scim/filter_evaluator.h"
#include "scim/filter_parser.h"

namespace dirbridge::scim {
namespace {

using json = nlohmann::json;

// What a list names of one attribute.
struct Mask {
  bool whole = false;                // the attribute itself (all sub-attributes)
  std::set<std::string> subs;        // lower-case sub-attribute names
  bool all_values = false;           // some entry had no value filter
  std::vector<FilterPtr> filters;    // value filters of the other entries
};

struct Selection {
  std::set<std::string> whole_extensions;        // lower-case extension URNs
  std::map<std::string, Mask> masks;             // key: lower(container urn) + "|" + lower(attribute)
};

std::string MaskKey(std::string_view container_urn, std::string_view attribute) {
  return ToLowerAscii(container_urn) + "|" + ToLowerAscii(attribute);
}

std::vector<std::string_view> SplitList(std::string_view list) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  int brackets = 0;
  bool quoted = false;
  for (std::size_t i = 0; i <= list.size(); ++i) {
    if (i == list.size() || (list[i] == ',' && brackets == 0 && !quoted)) {
      std::string_view item = list.substr(start, i - start);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (!item.empty()) out.push_back(item);
      start = i + 1;
      continue;
    }
    const char c = list[i];
    if (quoted) {
      if (c == '\\') ++i;
      else if (c == '"') quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == '[') {
      ++brackets;
    } else if (c == ']') {
      --brackets;
    }
  }
  return out;
}

Result<Selection> ParseList(std::string_view list, const ResourceSchema& schema, std::string_view parameter) {
  Selection sel;
  for (std::string_view item : SplitList(list)) {
    if (const SchemaDef* ext = schema.FindExtension(item)) {
      sel.whole_extensions.insert(ToLowerAscii(ext->id));
      continue;
    }
    std::size_t pos = 0;
    auto scanned = ScanAttrPath(item, pos, "invalidValue");
    if (!scanned.ok()) {
      return InvalidInput(std::string(parameter) + " entry \"" + std::string(item) + "\": " + scanned.error().detail,
                          "invalidValue");
    }
    AttrPath path = std::move(scanned).value();
    FilterPtr filter;
    if (pos < item.size() && item[pos] == '[' && path.sub_attribute.empty()) {
      auto parsed = ParseBracketedValueFilter(item, pos);
      if (!parsed.ok()) {
        return InvalidInput(std::string(parameter) + " entry \"" + std::string(item) + "\": " + parsed.error().detail,
                            "invalidFilter");
      }
      filter = std::move(parsed).value();
      if (pos < item.size() && item[pos] == '.') {
        ++pos;
        std::size_t start = pos;
        while (pos < item.size() && item[pos] != ' ' && item[pos] != ',') ++pos;
        path.sub_attribute = std::string(item.substr(start, pos - start));
      }
    }
    if (pos != item.size()) {
      return InvalidInput(std::string(parameter) + " entry \"" + std::string(item) + "\": unexpected " +
                              QuoteCharAt(item, pos) + " at position " + std::to_string(pos) +
                              "; expected ',' or the end of the entry",
                          "invalidValue");
    }
    auto resolved = schema.Resolve(path.urn, path.attribute, path.sub_attribute);
    if (!resolved) continue;  // names nothing this resource type has
    Mask& mask = sel.masks[MaskKey(resolved->extension_urn, resolved->top()->name)];
    if (resolved->parent != nullptr) {
      mask.subs.insert(ToLowerAscii(resolved->attribute->name));
    } else {
      mask.whole = true;
    }
    if (filter != nullptr) {
      mask.filters.push_back(filter);
    } else {
      mask.all_values = true;
    }
  }
  return sel;
}

bool SelectedValue(const Mask& mask, const json& element, const AttributeDef* def) {
  if (mask.all_values) return true;
  for (const auto& f : mask.filters) {
    if (MatchesValue(*f, element, def)) return true;
  }
  return false;
}

// A complex value with only the sub-attributes `keep` accepts.
template <typename Keep>
json FilterMembers(const json& value, const AttributeDef* def, Keep keep) {
  if (!value.is_object()) return value;
  json out = json::object();
  for (auto it = value.begin(); it != value.end(); ++it) {
    const AttributeDef* sub = def != nullptr ? def->FindSubAttribute(it.key()) : nullptr;
    if (sub != nullptr && sub->returned == Returned::kNever) continue;
    if (keep(it.key(), sub)) out[it.key()] = it.value();
  }
  return out;
}

template <typename Fn>
json MapValues(const json& value, Fn fn) {
  if (!value.is_array()) return fn(value);
  json out = json::array();
  for (const auto& v : value) out.push_back(fn(v));
  return out;
}

bool IsEmpty(const json& v) { return v.is_null() || ((v.is_object() || v.is_array()) && v.empty()); }

// "attributes" given: only what is named, plus what is returned always.
std::optional<json> Include(const json& value, const AttributeDef* def, const Mask* mask, bool container_whole) {
  if (def != nullptr && def->returned == Returned::kNever) return std::nullopt;
  const bool always = def != nullptr && def->returned == Returned::kAlways;
  if (always || container_whole || (mask != nullptr && mask->whole && mask->all_values)) {
    if (def != nullptr && def->is_complex()) {
      return MapValues(value, [&](const json& v) { return FilterMembers(v, def, [](auto&, auto) { return true; }); });
    }
    return value;
  }
  auto sub_kept = [&](const std::string& key, const AttributeDef* sub) {
    if (sub != nullptr && sub->returned == Returned::kAlways) return true;
    if (mask == nullptr) return false;
    if (mask->whole) return true;
    return mask->subs.count(ToLowerAscii(sub != nullptr ? sub->name : key)) != 0;
  };
  if (value.is_array()) {
    json out = json::array();
    for (const auto& element : value) {
      if (mask != nullptr && !SelectedValue(*mask, element, def)) continue;
      json kept = FilterMembers(element, def, sub_kept);
      if (element.is_object() ? !kept.empty() : mask != nullptr) out.push_back(std::move(kept));
    }
    if (out.empty()) return std::nullopt;
    return out;
  }
  if (!value.is_object()) {
    if (mask != nullptr) return value;
    return std::nullopt;
  }
  json kept = FilterMembers(value, def, sub_kept);
  if (kept.empty()) return std::nullopt;
  return kept;
}

// "attributes" not given: everything returned by default, minus what is excluded.
std::optional<json> Exclude(const json& value, const AttributeDef* def, const Mask* mask) {
  if (def != nullptr && (def->returned == Returned::kNever || def->returned == Returned::kRequest)) {
    return std::nullopt;
  }
  const bool always = def != nullptr && def->returned == Returned::kAlways;
  auto sub_kept = [&](const std::string& key, const AttributeDef* sub) {
    if (sub != nullptr && sub->returned == Returned::kRequest) return false;
    if (sub != nullptr && sub->returned == Returned::kAlways) return true;
    if (always || mask == nullptr) return true;
    return mask->subs.count(ToLowerAscii(sub != nullptr ? sub->name : key)) == 0;
  };
  if (mask == nullptr || always) {
    return MapValues(value, [&](const json& v) { return FilterMembers(v, def, sub_kept); });
  }
  if (mask->whole && mask->all_values) return std::nullopt;
  if (value.is_array()) {
    json out = json::array();
    for (const auto& element : value) {
      const bool selected = !mask->filters.empty() && SelectedValue(*mask, element, def);
      if (selected && mask->whole) continue;  // emails[type eq "work"] drops those values
      if (selected || mask->all_values) {
        json kept = FilterMembers(element, def, sub_kept);
        if (!IsEmpty(kept)) out.push_back(std::move(kept));
      } else {
        out.push_back(FilterMembers(element, def, [](auto&, auto) { return true; }));
      }
    }
    if (out.empty()) return std::nullopt;
    return out;
  }
  json kept = FilterMembers(value, def, sub_kept);
  if (IsEmpty(kept)) return std::nullopt;
  return kept;
}

const AttributeDef* FindDef(const std::vector<AttributeDef>& defs, std::string_view name) {
  for (const auto& d : defs) {
    if (EqualsIgnoreCase(d.name, name)) return &d;
  }
  return nullptr;
}

void ProjectObject(const json& source, json& out, const ResourceSchema& schema, const SchemaDef* extension,
                   const Selection* include, const Selection* exclude) {
  const std::string urn = extension != nullptr ? extension->id : std::string();
  const bool container_whole = include != nullptr && include->whole_extensions.count(ToLowerAscii(urn)) != 0;
  for (auto it = source.begin(); it != source.end(); ++it) {
    const std::string& key = it.key();
    const AttributeDef* def = nullptr;
    if (extension != nullptr) {
      def = extension->FindAttribute(key);
    } else {
      def = FindDef(CommonAttributes(), key);
      if (def == nullptr && schema.core != nullptr) def = schema.core->FindAttribute(key);
    }
    const Selection* sel = include != nullptr ? include : exclude;
    const Mask* mask = nullptr;
    if (sel != nullptr && def != nullptr) {
      auto found = sel->masks.find(MaskKey(urn, def->name));
      if (found != sel->masks.end()) mask = &found->second;
    }
    std::optional<json> kept;
    if (include != nullptr) {
      kept = Include(it.value(), def, mask, container_whole);
    } else {
      kept = Exclude(it.value(), def, mask);
    }
    if (kept) out[key] = std::move(*kept);
  }
}

// The sort value of one resource, or nullptr.
const json* SortValue(const json& resource, const SortKey& key) {
  const json* container = &resource;
  if (!key.extension_urn.empty()) container = json_fields::Find(resource, key.extension_urn);
  if (container == nullptr) return nullptr;
  const json* value = json_fields::Find(*container, key.attribute);
  if (value == nullptr || value->is_null()) return nullptr;
  if (value->is_array()) {
    const json* chosen = nullptr;
    for (const auto& e : *value) {
      const json* p = e.is_object() ? json_fields::Find(e, "primary") : nullptr;
      if (p != nullptr && p->is_boolean() && p->get<bool>()) {
        chosen = &e;
        break;
      }
    }
    if (chosen == nullptr && !value->empty()) chosen = &(*value)[0];
    value = chosen;
    if (value == nullptr) return nullptr;
  }
  if (value->is_object()) {
    value = json_fields::Find(*value, key.sub_attribute.empty() ? std::string_view("value") : key.sub_attribute);
  }
  if (value == nullptr || value->is_null()) return nullptr;
  return value;
}

}  // namespace

Status CheckProjection(const ResourceSchema& schema, std::string_view attributes,
                       std::string_view excluded_attributes) {
  if (!SplitList(attributes).empty()) return ParseList(attributes, schema, "attributes").status();
  if (!SplitList(excluded_attributes).empty()) {
    return ParseList(excluded_attributes, schema, "excludedAttributes").status();
  }
  return Status::Ok();
}

Result<json> ProjectResource(const json& resource, const ResourceSchema& schema, std::string_view attributes,
                             std::string_view excluded_attributes) {
  if (!resource.is_object()) return Internal("ProjectResource needs a resource object");
  std::optional<Selection> include, exclude;
  if (!SplitList(attributes).empty()) {
    DB_ASSIGN_OR_RETURN(include, ParseList(attributes, schema, "attributes"));
  } else if (!SplitList(excluded_attributes).empty()) {
    DB_ASSIGN_OR_RETURN(exclude, ParseList(excluded_attributes, schema, "excludedAttributes"));
  }
  const Selection* inc = include ? &*include : nullptr;
  const Selection* exc = exclude ? &*exclude : nullptr;
  json out = json::object();
  json core = json::object();
  for (auto it = resource.begin(); it != resource.end(); ++it) {
    if (const SchemaDef* ext = schema.FindExtension(it.key())) {
      if (!it.value().is_object()) continue;
      if (exc != nullptr && exc->whole_extensions.count(ToLowerAscii(ext->id)) != 0) continue;
      json projected = json::object();
      ProjectObject(it.value(), projected, schema, ext, inc, exc);
      if (!projected.empty()) out[it.key()] = std::move(projected);
    } else {
      core[it.key()] = it.value();
    }
  }
  ProjectObject(core, out, schema, nullptr, inc, exc);
  return out;
}

Result<SortKey> ParseSortKey(std::string_view sort_by, const ResourceSchema& schema) {
  DB_ASSIGN_OR_RETURN(AttrPath path, ParseAttrPath(sort_by, "invalidPath"));
  auto resolved = schema.Resolve(path.urn, path.attribute, path.sub_attribute);
  if (!resolved) {
    return InvalidInput("sortBy \"" + std::string(sort_by) + "\" names no attribute of " + schema.name + " resources",
                        "invalidPath");
  }
  SortKey key;
  key.extension_urn = resolved->extension_urn;
  key.top = resolved->top();
  key.attribute = key.top->name;
  if (resolved->parent != nullptr) {
    key.sub_attribute = resolved->attribute->name;
    key.leaf = resolved->attribute;
  } else if (key.top->is_complex()) {
    key.leaf = key.top->FindSubAttribute("value");
    if (key.leaf == nullptr) {
      return InvalidInput("sortBy \"" + std::string(sort_by) +
                              "\" is a complex attribute without a \"value\"; name a sub-attribute (e.g. name.familyName)",
                          "invalidPath");
    }
  } else {
    key.leaf = key.top;
  }
  return key;
}

int CompareForSort(const json& a, const json& b, const SortKey& key, bool descending) {
  const json* va = SortValue(a, key);
  const json* vb = SortValue(b, key);
  int c;
  if (va == nullptr && vb == nullptr) {
    c = 0;
  } else if (va == nullptr) {
    c = 1;  // missing sorts last in ascending order
  } else if (vb == nullptr) {
    c = -1;
  } else {
    c = CompareAttributeValues(*va, *vb, key.leaf);
  }
  return descending ? -c : c;
}

int CompareForSort(const json& a, const json& b, std::string_view attribute_path, const ResourceSchema& schema) {
  auto key = ParseSortKey(attribute_path, schema);
  if (!key.ok()) return 0;
  return CompareForSort(a, b, *key, false);
}

}  // namespace dirbridge::scim
