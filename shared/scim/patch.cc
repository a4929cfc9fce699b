#include "scim/patch.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "scim/filter.h"
#include "scim/filter_evaluator.h"
#include "scim/filter_parser.h"

namespace dirbridge::scim {
namespace {

using json = nlohmann::json;
using Op = PatchOperation::Op;

std::string_view OpName(Op op) {
  switch (op) {
    case Op::kAdd: return "add";
    case Op::kReplace: return "replace";
    case Op::kRemove: return "remove";
  }
  return "add";
}

Error PathError(std::string detail) { return InvalidInput(std::move(detail), "invalidPath"); }
Error ValueError(std::string detail) { return InvalidInput(std::move(detail), "invalidValue"); }
Error MutabilityError(std::string detail) { return InvalidInput(std::move(detail), "mutability"); }
Error NoTargetError(std::string detail) { return InvalidInput(std::move(detail), "noTarget"); }

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string Describe(const json& v) {
  std::string d = v.dump();
  if (d.size() > 60) d = d.substr(0, 57) + "...";
  return std::string(v.type_name()) + " " + d;
}

// ---- Values

// Two values that mean the same (strings by the attribute's caseExact; objects by
// their non-null members, in any key case).
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

// Whether a "remove" value item selects `element`: every member of the item equals
// the element's (a null member means the element must not have it).
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

// Sets object[canonical] = value, dropping other spellings of the same name.
void PutIgnoreCase(json& object, const std::string& canonical, json value) {
  EraseIgnoreCase(object, canonical);
  object[canonical] = std::move(value);
}

bool IsPrimaryTrue(const json& element) {
  const json* p = json_fields::Find(element, "primary");
  return p != nullptr && p->is_boolean() && p->get<bool>();
}

// After values at `written` changed: at most one value keeps primary true, the last
// written one that has it.
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

std::optional<bool> BooleanFromString(const json& v) {
  if (!v.is_string()) return std::nullopt;
  const auto& s = v.get_ref<const std::string&>();
  if (EqualsIgnoreCase(s, "true")) return true;
  if (EqualsIgnoreCase(s, "false")) return false;
  return std::nullopt;
}

class ValuePreparer {
 public:
  explicit ValuePreparer(const PatchOptions& options) : options_(options) {}

  // A simple (non-complex) value of `def`.
  Result<json> Scalar(const json& v, const AttributeDef& def, const std::string& where) const {
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

  // One value of `def` (a single value of a multi-valued attribute, or the value of a
  // single-valued one). Complex values keep unknown members as given, drop writeOnly
  // and null members, and use the schema's spelling of known ones.
  Result<json> Single(const json& v, const AttributeDef& def, const std::string& where) const {
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

  // The whole value of an attribute: an array for a multi-valued one (a single value
  // given alone is wrapped).
  Result<json> Whole(const json& v, const AttributeDef& def, const std::string& where) const {
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
    if (v.is_array()) return ValueError(Quote(where) + " is single-valued, got an array");
    return Single(v, def, where);
  }

 private:
  const PatchOptions& options_;
};

// ---- Targets

struct Target {
  const AttributeDef* attribute = nullptr;  // top-level attribute
  const AttributeDef* sub = nullptr;        // sub-attribute, if the path names one
  FilterPtr filter;                         // value filter, if any
  std::string container_urn;                // "" or the extension URN
  const SchemaDef* whole_extension = nullptr;
  std::string shown;                        // the path, for messages
};

Result<Target> ResolveTarget(std::string_view urn, std::string_view attribute, std::string_view sub,
                             FilterPtr filter, const ResourceSchema& schema, std::string shown) {
  Target t;
  t.shown = std::move(shown);
  if (!urn.empty() && filter == nullptr && sub.empty()) {
    const std::string full = std::string(urn) + ":" + std::string(attribute);
    if (const SchemaDef* ext = schema.FindExtension(full)) {
      t.whole_extension = ext;
      t.container_urn = ext->id;
      return t;
    }
  }
  if (!urn.empty() && !schema.KnowsSchemaUrn(urn)) {
    return PathError("path " + Quote(t.shown) + " names schema " + Quote(urn) + ", which " + schema.name +
                     " resources do not have");
  }
  auto resolved = schema.Resolve(urn, attribute, {});
  if (!resolved) {
    return PathError("attribute " + Quote(attribute) + " in path " + Quote(t.shown) + " is not defined for " +
                     schema.name + " resources");
  }
  t.attribute = resolved->attribute;
  t.container_urn = resolved->extension_urn;
  if (!sub.empty()) {
    t.sub = t.attribute->FindSubAttribute(sub);
    if (t.sub == nullptr) {
      return PathError("attribute " + Quote(t.attribute->name) + " has no sub-attribute " + Quote(sub) +
                       " (path " + Quote(t.shown) + ")");
    }
  }
  if (filter != nullptr && !t.attribute->multi_valued) {
    return PathError("a value filter applies only to multi-valued attributes; " + Quote(t.attribute->name) +
                     " is single-valued (path " + Quote(t.shown) + ")");
  }
  t.filter = std::move(filter);
  return t;
}

// A new value seeded from the filter's `sub eq "literal"` terms (joined by and).
void SeedFromFilter(const FilterNode& f, const AttributeDef& def, json& out) {
  if (f.kind == FilterNode::Kind::kAnd) {
    SeedFromFilter(*f.left, def, out);
    SeedFromFilter(*f.right, def, out);
    return;
  }
  if (f.kind == FilterNode::Kind::kCompare && f.op == CompareOp::kEq && f.path.sub_attribute.empty() &&
      !f.path.attribute.empty() && !f.value.is_null()) {
    const AttributeDef* sub = def.FindSubAttribute(f.path.attribute);
    PutIgnoreCase(out, sub != nullptr ? sub->name : f.path.attribute, f.value);
  }
}

class Patcher {
 public:
  Patcher(json& resource, const ResourceSchema& schema, const PatchOptions& options)
      : resource_(resource), schema_(schema), options_(options), prepare_(options) {}

  Status Apply(const PatchOperation& op) {
    if (!op.path) return ApplyWithoutPath(op);
    DB_ASSIGN_OR_RETURN(Target t, ResolveTarget(op.path->urn, op.path->attribute, op.path->sub_attribute,
                                                op.path->value_filter, schema_, op.path->text));
    return ApplyToTarget(op.op, t, op.has_value ? &op.value : nullptr);
  }

 private:
  Status ApplyWithoutPath(const PatchOperation& op) {
    if (op.op == Op::kRemove) return NoTargetError("a remove operation needs a \"path\"");
    if (!op.value.is_object()) {
      return ValueError(std::string("an ") + std::string(OpName(op.op)) +
                        " without \"path\" needs an object \"value\" of attributes, got " + Describe(op.value));
    }
    for (auto it = op.value.begin(); it != op.value.end(); ++it) {
      const std::string& key = it.key();
      if (EqualsIgnoreCase(key, "schemas")) continue;
      if (const SchemaDef* ext = schema_.FindExtension(key)) {
        Target t;
        t.whole_extension = ext;
        t.container_urn = ext->id;
        t.shown = key;
        DB_RETURN_IF_ERROR(ApplyToTarget(op.op, t, &it.value()));
        continue;
      }
      DB_ASSIGN_OR_RETURN(AttrPath path, ParseAttrPath(key, "invalidPath"));
      DB_ASSIGN_OR_RETURN(Target t, ResolveTarget(path.urn, path.attribute, path.sub_attribute, nullptr, schema_, key));
      DB_RETURN_IF_ERROR(ApplyToTarget(op.op, t, &it.value()));
    }
    return Status::Ok();
  }

  json* Container(const Target& t) {
    if (t.container_urn.empty()) return &resource_;
    json* c = json_fields::Find(resource_, t.container_urn);
    return (c != nullptr && c->is_object()) ? c : nullptr;
  }

  json& EnsureContainer(const Target& t) {
    if (json* c = Container(t)) return *c;
    EraseIgnoreCase(resource_, t.container_urn);
    resource_[t.container_urn] = json::object();
    json* schemas = json_fields::Find(resource_, "schemas");
    if (schemas != nullptr && schemas->is_array()) {
      bool listed = false;
      for (const auto& s : *schemas) listed = listed || (s.is_string() && EqualsIgnoreCase(s.get<std::string>(), t.container_urn));
      if (!listed) schemas->push_back(t.container_urn);
    }
    return resource_[t.container_urn];
  }

  void DropEmptyContainer(const Target& t) {
    if (t.container_urn.empty()) return;
    json* c = Container(t);
    if (c != nullptr && !c->empty()) return;
    EraseIgnoreCase(resource_, t.container_urn);
    json* schemas = json_fields::Find(resource_, "schemas");
    if (schemas != nullptr && schemas->is_array()) {
      json kept = json::array();
      for (const auto& s : *schemas) {
        if (!(s.is_string() && EqualsIgnoreCase(s.get<std::string>(), t.container_urn))) kept.push_back(s);
      }
      *schemas = std::move(kept);
    }
  }

  Status ApplyToWholeExtension(Op op, const Target& t, const json* value) {
    if (op == Op::kRemove) {
      EraseIgnoreCase(resource_, t.container_urn);
      DropEmptyContainer(t);
      return Status::Ok();
    }
    if (value == nullptr || !value->is_object()) {
      return ValueError("extension " + Quote(t.container_urn) + " needs an object of its attributes as value");
    }
    for (auto it = value->begin(); it != value->end(); ++it) {
      DB_ASSIGN_OR_RETURN(AttrPath path, ParseAttrPath(it.key(), "invalidPath"));
      if (!path.urn.empty()) return PathError("attribute " + Quote(it.key()) + " inside extension " + Quote(t.container_urn) + " must not carry a URN");
      DB_ASSIGN_OR_RETURN(Target inner, ResolveTarget(t.whole_extension->id, path.attribute, path.sub_attribute,
                                                      nullptr, schema_, t.container_urn + ":" + it.key()));
      DB_RETURN_IF_ERROR(ApplyToTarget(op, inner, &it.value()));
    }
    return Status::Ok();
  }

  Status ApplyToTarget(Op op, const Target& t, const json* value) {
    if (t.whole_extension != nullptr) return ApplyToWholeExtension(op, t, value);
    const AttributeDef& def = *t.attribute;
    // Zero-knowledge rule: a writeOnly value (the password) is never stored.
    if (def.mutability == Mutability::kWriteOnly || (t.sub != nullptr && t.sub->mutability == Mutability::kWriteOnly)) {
      return Status::Ok();
    }
    const bool read_only = def.mutability == Mutability::kReadOnly ||
                           (t.sub != nullptr && t.sub->mutability == Mutability::kReadOnly);
    if (read_only) {
      // Echoing the current value is harmless; anything else is refused.
      if (op != Op::kRemove && t.filter == nullptr && value != nullptr) {
        json* c = Container(t);
        const json* current = c != nullptr ? json_fields::Find(*c, def.name) : nullptr;
        if (current != nullptr && t.sub != nullptr) current = json_fields::Find(*current, t.sub->name);
        if (current != nullptr && Equivalent(*current, *value, t.sub != nullptr ? t.sub : &def)) return Status::Ok();
      }
      return MutabilityError("attribute " + Quote(t.sub != nullptr ? def.name + "." + t.sub->name : def.name) +
                             " is readOnly and cannot be changed by " + std::string(OpName(op)));
    }
    if (op != Op::kRemove && (value == nullptr || value->is_null())) {
      if (value == nullptr) {
        return InvalidInput("an " + std::string(OpName(op)) + " of " + Quote(t.shown) + " needs a \"value\"",
                            "invalidSyntax");
      }
      return Remove(t, nullptr);  // null unassigns (RFC 7643 §2.5)
    }
    if (op == Op::kRemove) return Remove(t, value);
    return AddOrReplace(op, t, *value);
  }

  Status Remove(const Target& t, const json* value) {
    const AttributeDef& def = *t.attribute;
    json* container = Container(t);
    json* existing = container != nullptr ? json_fields::Find(*container, def.name) : nullptr;
    if (t.filter == nullptr && t.sub == nullptr) {
      if (value != nullptr && !value->is_null() && def.multi_valued) {
        // Remove the listed values (Entra ID: members with [{"value": id}]).
        if (existing == nullptr || !existing->is_array()) return Status::Ok();
        const json items = value->is_array() ? *value : json::array({*value});
        json kept = json::array();
        for (const auto& element : *existing) {
          bool selected = false;
          for (const auto& item : items) selected = selected || ItemSelects(item, element, &def);
          if (!selected) kept.push_back(element);
        }
        if (kept.empty()) {
          if (def.required) return RequiredError(def);
          EraseIgnoreCase(*container, def.name);
        } else {
          *existing = std::move(kept);
        }
        DropEmptyContainer(t);
        return Status::Ok();
      }
      if (def.required) return RequiredError(def);
      if (def.mutability == Mutability::kImmutable && existing != nullptr && !existing->is_null()) {
        return MutabilityError("attribute " + Quote(def.name) + " is immutable and cannot be removed");
      }
      if (container != nullptr) EraseIgnoreCase(*container, def.name);
      DropEmptyContainer(t);
      return Status::Ok();
    }
    if (t.filter == nullptr) {  // a sub-attribute of every value
      if (existing == nullptr) return Status::Ok();
      if (existing->is_object()) {
        EraseIgnoreCase(*existing, t.sub->name);
        if (existing->empty()) EraseIgnoreCase(*container, def.name);
      } else if (existing->is_array()) {
        for (auto& element : *existing) EraseIgnoreCase(element, t.sub->name);
      }
      DropEmptyContainer(t);
      return Status::Ok();
    }
    std::vector<std::size_t> selected = Select(t, existing);
    if (selected.empty()) {
      return NoTargetError("no value of " + Quote(def.name) + " matches the filter in path " + Quote(t.shown));
    }
    if (t.sub != nullptr) {
      for (std::size_t i : selected) EraseIgnoreCase((*existing)[i], t.sub->name);
    } else {
      for (auto it = selected.rbegin(); it != selected.rend(); ++it) existing->erase(*it);
      if (existing->empty()) {
        if (def.required) return RequiredError(def);
        EraseIgnoreCase(*container, def.name);
      }
    }
    DropEmptyContainer(t);
    return Status::Ok();
  }

  Error RequiredError(const AttributeDef& def) {
    return ValueError("attribute " + Quote(def.name) + " is required and cannot be removed");
  }

  std::vector<std::size_t> Select(const Target& t, const json* existing) const {
    std::vector<std::size_t> selected;
    if (existing == nullptr || !existing->is_array()) return selected;
    for (std::size_t i = 0; i < existing->size(); ++i) {
      if (MatchesValue(*t.filter, (*existing)[i], t.attribute)) selected.push_back(i);
    }
    return selected;
  }

  Status AddOrReplace(Op op, const Target& t, const json& value) {
    const AttributeDef& def = *t.attribute;
    json& container = EnsureContainer(t);
    json* existing = json_fields::Find(container, def.name);
    const bool has_existing = existing != nullptr && !existing->is_null();
    if (t.filter == nullptr && t.sub == nullptr) {
      DB_ASSIGN_OR_RETURN(json prepared, prepare_.Whole(value, def, def.name));
      if (def.mutability == Mutability::kImmutable && has_existing && !Equivalent(*existing, prepared, &def)) {
        return MutabilityError("attribute " + Quote(def.name) + " is immutable and already has a value");
      }
      if (def.multi_valued) {
        json result = (op == Op::kAdd && has_existing && existing->is_array()) ? *existing : json::array();
        std::vector<std::size_t> written;
        for (auto& item : prepared) {
          bool duplicate = false;
          for (const auto& have : result) duplicate = duplicate || Equivalent(have, item, &def);
          if (duplicate) continue;
          result.push_back(std::move(item));
          written.push_back(result.size() - 1);
        }
        EnforceSinglePrimary(result, written);
        if (result.empty()) {
          EraseIgnoreCase(container, def.name);
          DropEmptyContainer(t);
        } else {
          PutIgnoreCase(container, def.name, std::move(result));
        }
        return Status::Ok();
      }
      if (def.is_complex()) {
        // Given sub-attributes are set; the others stay (RFC 7644 §3.5.2.1, §3.5.2.3).
        json merged = (has_existing && existing->is_object()) ? *existing : json::object();
        for (auto it = prepared.begin(); it != prepared.end(); ++it) PutIgnoreCase(merged, it.key(), it.value());
        PutIgnoreCase(container, def.name, std::move(merged));
        return Status::Ok();
      }
      PutIgnoreCase(container, def.name, std::move(prepared));
      return Status::Ok();
    }

    if (t.filter == nullptr) {  // attr.sub
      const AttributeDef& sub = *t.sub;
      DB_ASSIGN_OR_RETURN(json prepared, prepare_.Scalar(value, sub, def.name + "." + sub.name));
      if (!def.multi_valued) {
        json merged = (has_existing && existing->is_object()) ? *existing : json::object();
        const json* current = json_fields::Find(merged, sub.name);
        if (sub.mutability == Mutability::kImmutable && current != nullptr && !current->is_null() &&
            !Equivalent(*current, prepared, &sub)) {
          return MutabilityError("attribute " + Quote(def.name + "." + sub.name) + " is immutable and already has a value");
        }
        PutIgnoreCase(merged, sub.name, std::move(prepared));
        PutIgnoreCase(container, def.name, std::move(merged));
        return Status::Ok();
      }
      json array = (has_existing && existing->is_array()) ? *existing : json::array();
      std::vector<std::size_t> written;
      if (array.empty()) {
        array.push_back(json{{sub.name, prepared}});
        written.push_back(0);
      } else {
        for (std::size_t i = 0; i < array.size(); ++i) {
          if (!array[i].is_object()) continue;
          PutIgnoreCase(array[i], sub.name, prepared);
          written.push_back(i);
        }
      }
      EnforceSinglePrimary(array, written);
      PutIgnoreCase(container, def.name, std::move(array));
      return Status::Ok();
    }

    // Value path: attr[filter] or attr[filter].sub
    json prepared;
    if (t.sub != nullptr) {
      DB_ASSIGN_OR_RETURN(prepared, prepare_.Scalar(value, *t.sub, def.name + "[...]." + t.sub->name));
    } else {
      DB_ASSIGN_OR_RETURN(prepared, prepare_.Single(value, def, def.name + "[...]"));
    }
    json array = (has_existing && existing->is_array()) ? *existing : json::array();
    std::vector<std::size_t> selected = Select(t, &array);
    std::vector<std::size_t> written;
    if (selected.empty()) {
      if (!options_.unmatched_filter_adds_value) {
        return NoTargetError("no value of " + Quote(def.name) + " matches the filter in path " + Quote(t.shown));
      }
      json fresh = json::object();
      SeedFromFilter(*t.filter, def, fresh);
      if (t.sub != nullptr) {
        PutIgnoreCase(fresh, t.sub->name, std::move(prepared));
      } else if (prepared.is_object()) {
        for (auto it = prepared.begin(); it != prepared.end(); ++it) PutIgnoreCase(fresh, it.key(), it.value());
      }
      array.push_back(std::move(fresh));
      written.push_back(array.size() - 1);
    } else {
      for (std::size_t i : selected) {
        json& element = array[i];
        if (t.sub != nullptr) {
          const json* current = json_fields::Find(element, t.sub->name);
          if (t.sub->mutability == Mutability::kImmutable && current != nullptr && !current->is_null() &&
              !Equivalent(*current, prepared, t.sub)) {
            return MutabilityError("attribute " + Quote(def.name + "." + t.sub->name) +
                                   " is immutable and already has a value");
          }
          PutIgnoreCase(element, t.sub->name, prepared);
        } else if (op == Op::kReplace || !element.is_object()) {
          element = prepared;
        } else {
          for (auto it = prepared.begin(); it != prepared.end(); ++it) PutIgnoreCase(element, it.key(), it.value());
        }
        written.push_back(i);
      }
    }
    EnforceSinglePrimary(array, written);
    PutIgnoreCase(container, def.name, std::move(array));
    return Status::Ok();
  }

  json& resource_;
  const ResourceSchema& schema_;
  const PatchOptions& options_;
  ValuePreparer prepare_;
};

Error WithOperation(const Error& e, const PatchOperation& op) {
  Error out = e;
  std::string where = "Operations[" + std::to_string(op.index) + "] (" + std::string(OpName(op.op));
  if (op.path) where += " " + op.path->text;
  out.detail = where + "): " + e.detail;
  return out;
}

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

bool IsMembersPath(const PatchPath& path) {
  return EqualsIgnoreCase(path.attribute, "members") &&
         (path.urn.empty() || EqualsIgnoreCase(path.urn, kGroupSchemaUrn));
}

// Member ids from a value holding member objects (one or an array of them).
Result<std::vector<std::string>> MemberIds(const json& value, const std::string& where) {
  std::vector<std::string> ids;
  const json items = value.is_array() ? value : json::array({value});
  for (std::size_t i = 0; i < items.size(); ++i) {
    const json* id = items[i].is_object() ? json_fields::Find(items[i], "value") : nullptr;
    if (id == nullptr || !id->is_string() || id->get_ref<const std::string&>().empty()) {
      return ValueError(where + "[" + std::to_string(i) + "] must be an object with a non-empty string \"value\" " +
                        "(the member's id), got " + Describe(items[i]));
    }
    ids.push_back(id->get<std::string>());
  }
  return ids;
}

// Ids named by a member filter of the form value eq "a" [or value eq "b" ...].
bool CollectFilterIds(const FilterNode& f, std::vector<std::string>& ids) {
  if (f.kind == FilterNode::Kind::kOr) return CollectFilterIds(*f.left, ids) && CollectFilterIds(*f.right, ids);
  if (f.kind == FilterNode::Kind::kCompare && f.op == CompareOp::kEq && EqualsIgnoreCase(f.path.attribute, "value") &&
      f.path.sub_attribute.empty() && f.value.is_string()) {
    ids.push_back(f.value.get<std::string>());
    return true;
  }
  return false;
}

class MemberPlan {
 public:
  void Add(const std::vector<std::string>& ids) {
    for (const auto& id : ids) {
      if (replace_all_) {
        if (std::find(replacement_.begin(), replacement_.end(), id) == replacement_.end()) replacement_.push_back(id);
        continue;
      }
      Erase(remove_, id);
      if (std::find(add_.begin(), add_.end(), id) == add_.end()) add_.push_back(id);
    }
  }
  void Remove(const std::vector<std::string>& ids) {
    for (const auto& id : ids) {
      if (replace_all_) {
        Erase(replacement_, id);
        continue;
      }
      Erase(add_, id);
      if (std::find(remove_.begin(), remove_.end(), id) == remove_.end()) remove_.push_back(id);
    }
  }
  void ReplaceAll(const std::vector<std::string>& ids) {
    replace_all_ = true;
    add_.clear();
    remove_.clear();
    replacement_.clear();
    Add(ids);
  }
  void Into(MemberChanges& out) {
    out.replace_all = replace_all_;
    out.replacement = std::move(replacement_);
    out.add = std::move(add_);
    out.remove = std::move(remove_);
  }

 private:
  static void Erase(std::vector<std::string>& v, const std::string& id) {
    v.erase(std::remove(v.begin(), v.end(), id), v.end());
  }
  bool replace_all_ = false;
  std::vector<std::string> replacement_, add_, remove_;
};

}  // namespace

Result<std::vector<PatchOperation>> ParsePatchOperations(const json& operations) {
  if (!operations.is_array()) {
    return InvalidInput("\"Operations\" must be an array of operations, got " + Describe(operations), "invalidSyntax");
  }
  std::vector<PatchOperation> out;
  for (std::size_t i = 0; i < operations.size(); ++i) {
    const json& o = operations[i];
    const std::string where = "Operations[" + std::to_string(i) + "]";
    if (!o.is_object()) return InvalidInput(where + " must be an object, got " + Describe(o), "invalidSyntax");
    PatchOperation op;
    op.index = i;
    const json* name = json_fields::Find(o, "op");
    if (name == nullptr || !name->is_string()) {
      return InvalidInput(where + ".op must be \"add\", \"replace\" or \"remove\"", "invalidSyntax");
    }
    const auto& n = name->get_ref<const std::string&>();
    if (EqualsIgnoreCase(n, "add")) {
      op.op = Op::kAdd;
    } else if (EqualsIgnoreCase(n, "replace")) {
      op.op = Op::kReplace;
    } else if (EqualsIgnoreCase(n, "remove")) {
      op.op = Op::kRemove;
    } else {
      return InvalidInput(where + ".op must be \"add\", \"replace\" or \"remove\", got \"" + n + "\"", "invalidSyntax");
    }
    if (const json* path = json_fields::Find(o, "path"); path != nullptr && !path->is_null()) {
      if (!path->is_string()) return InvalidInput(where + ".path must be a string, got " + Describe(*path), "invalidPath");
      auto parsed = ParsePatchPath(path->get_ref<const std::string&>());
      if (!parsed.ok()) {
        Error e = parsed.error();
        e.detail = where + ".path: " + e.detail;
        return e;
      }
      op.path = std::move(parsed).value();
    }
    if (const json* value = json_fields::Find(o, "value")) {
      op.has_value = true;
      op.value = *value;
    }
    if (op.op == Op::kRemove && !op.path) {
      return NoTargetError(where + ": a remove operation needs a \"path\"");
    }
    if (op.op != Op::kRemove && !op.has_value) {
      return InvalidInput(where + ": an " + std::string(OpName(op.op)) + " operation needs a \"value\"", "invalidSyntax");
    }
    out.push_back(std::move(op));
  }
  return out;
}

Result<std::vector<PatchOperation>> ParsePatchRequest(const json& body) {
  if (!body.is_object()) return InvalidInput("a PATCH body must be a JSON object (a PatchOp message)", "invalidSyntax");
  if (const json* schemas = json_fields::Find(body, "schemas")) {
    bool ok = false;
    if (schemas->is_array()) {
      for (const auto& s : *schemas) ok = ok || (s.is_string() && EqualsIgnoreCase(s.get<std::string>(), kPatchOpSchemaUrn));
    }
    if (!ok) {
      return InvalidInput("a PATCH body's \"schemas\" must contain \"" + std::string(kPatchOpSchemaUrn) + "\"",
                          "invalidSyntax");
    }
  }
  const json* operations = json_fields::Find(body, "Operations");
  if (operations == nullptr) return InvalidInput("a PATCH body needs \"Operations\"", "invalidSyntax");
  return ParsePatchOperations(*operations);
}

Result<json> ApplyPatch(const json& resource, const std::vector<PatchOperation>& operations,
                        const ResourceSchema& schema, const PatchOptions& options) {
  if (!resource.is_object()) return Internal("ApplyPatch needs a resource object");
  json copy = resource;
  Patcher patcher(copy, schema, options);
  for (const auto& op : operations) {
    Status s = patcher.Apply(op);
    if (!s.ok()) return WithOperation(s.error(), op);
  }
  return copy;
}

Result<json> ApplyPatchRequest(const json& resource, const json& body, const ResourceSchema& schema,
                               const PatchOptions& options) {
  DB_ASSIGN_OR_RETURN(auto operations, ParsePatchRequest(body));
  return ApplyPatch(resource, operations, schema, options);
}

void CoerceBooleanStrings(json& resource, const ResourceSchema& schema) {
  if (!resource.is_object()) return;
  CoerceObject(resource, CommonAttributes());
  if (schema.core != nullptr) CoerceObject(resource, schema.core->attributes);
  for (const auto& ext : schema.extensions) {
    if (json* c = json_fields::Find(resource, ext.schema->id)) CoerceObject(*c, ext.schema->attributes);
  }
}

Result<MemberChanges> PlanMemberChanges(const json& group, const std::vector<PatchOperation>& operations,
                                        const PatchOptions& options) {
  if (!group.is_object()) return Internal("PlanMemberChanges needs a group object");
  MemberPlan plan;
  std::vector<PatchOperation> others;
  for (const auto& op : operations) {
    auto fail = [&](Error e) { return WithOperation(e, op); };
    if (!op.path) {
      if (!op.value.is_object()) {
        others.push_back(op);  // ApplyPatch reports the error
        continue;
      }
      PatchOperation rest = op;
      rest.value = json::object();
      for (auto it = op.value.begin(); it != op.value.end(); ++it) {
        std::string_view key = it.key();
        std::string_view urn, name = key;
        if (SplitUrnPrefix(key, &urn, &name) && !EqualsIgnoreCase(urn, kGroupSchemaUrn)) name = key;
        if (!EqualsIgnoreCase(name, "members")) {
          rest.value[it.key()] = it.value();
          continue;
        }
        if (it.value().is_null()) {
          if (op.op == Op::kReplace) plan.ReplaceAll({});
          continue;
        }
        auto ids = MemberIds(it.value(), "value.members");
        if (!ids.ok()) return fail(ids.error());
        if (op.op == Op::kReplace) {
          plan.ReplaceAll(*ids);
        } else {
          plan.Add(*ids);
        }
      }
      if (!rest.value.empty()) others.push_back(std::move(rest));
      continue;
    }
    if (!IsMembersPath(*op.path)) {
      others.push_back(op);
      continue;
    }
    if (!op.path->sub_attribute.empty()) {
      return fail(PathError("changing a member's sub-attribute (" + Quote(op.path->text) +
                            ") is not supported; add or remove the member instead"));
    }
    if (op.path->has_filter()) {
      std::vector<std::string> ids;
      if (op.op != Op::kRemove || !CollectFilterIds(*op.path->value_filter, ids)) {
        return fail(InvalidInput("a member filter must be value eq \"id\" (optionally or-ed) in a remove operation, got " +
                                     Quote(op.path->text),
                                 "invalidFilter"));
      }
      plan.Remove(ids);
      continue;
    }
    switch (op.op) {
      case Op::kAdd: {
        if (op.value.is_null()) continue;
        auto ids = MemberIds(op.value, "value");
        if (!ids.ok()) return fail(ids.error());
        plan.Add(*ids);
        break;
      }
      case Op::kReplace: {
        std::vector<std::string> ids;
        if (!op.value.is_null()) {
          auto parsed = MemberIds(op.value, "value");
          if (!parsed.ok()) return fail(parsed.error());
          ids = std::move(parsed).value();
        }
        plan.ReplaceAll(ids);
        break;
      }
      case Op::kRemove: {
        if (!op.has_value || op.value.is_null()) {
          plan.ReplaceAll({});
          break;
        }
        auto ids = MemberIds(op.value, "value");
        if (!ids.ok()) return fail(ids.error());
        plan.Remove(*ids);
        break;
      }
    }
  }
  json without_members = group;
  EraseIgnoreCase(without_members, "members");
  DB_ASSIGN_OR_RETURN(json patched, ApplyPatch(without_members, others, GroupResource(), options));
  EraseIgnoreCase(patched, "members");
  MemberChanges out;
  plan.Into(out);
  out.group = std::move(patched);
  return out;
}

}  // namespace dirbridge::scim
