#include "scim/patch_apply.h"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "scim/filter.h"
#include "scim/filter_evaluator.h"
#include "scim/patch_errors.h"
#include "scim/patch_limits.h"
#include "scim/patch_prepare.h"
#include "scim/patch_target.h"
#include "scim/patch_value.h"

namespace dirbridge::scim {
namespace {

using json = nlohmann::json;
using Op = PatchOperation::Op;
using namespace patch_internal;

bool HasValue(const json* v) { return v != nullptr && !v->is_null(); }

// The positions of the values of a multi-valued attribute that the target's filter selects.
std::vector<std::size_t> SelectedValues(const Target& t, const json* values) {
  std::vector<std::size_t> selected;
  if (values == nullptr || !values->is_array()) return selected;
  for (std::size_t i = 0; i < values->size(); ++i) {
    if (MatchesValue(*t.filter, (*values)[i], t.attribute)) selected.push_back(i);
  }
  return selected;
}

Error ImmutableError(const std::string& name) {
  return MutabilityError("attribute " + Quote(name) + " is immutable and already has a value");
}

Error RequiredError(const AttributeDef& def) {
  return ValueError("attribute " + Quote(def.name) + " is required and cannot be removed");
}

// The canonical keys (patch_value.h) of a multi-valued attribute's values, by
// position, so that whether a value is already there is one hash lookup. Values
// without a key are compared one by one (they are rare: see CanonicalKey).
class ValueIndex {
 public:
  ValueIndex(const json& array, const AttributeDef& def) : def_(&def) {
    keys_.reserve(array.size());
    for (const auto& v : array) Append(CanonicalKey(v, def_));
  }
  // Whether it indexes exactly the values of an array of this size.
  bool Covers(const json& array) const { return keys_.size() == array.size(); }
  // Whether a value of `array` is Equivalent to `v`, whose key is `key`.
  bool Contains(const json& array, const json& v, const std::optional<std::string>& key) const {
    if (!key) {
      for (const auto& have : array) {
        if (Equivalent(have, v, def_)) return true;
      }
      return false;
    }
    if (counts_.count(*key) != 0) return true;
    for (std::size_t i : unkeyed_) {
      if (Equivalent(array[i], v, def_)) return true;
    }
    return false;
  }
  // A value was appended to the array; `key` is its key.
  void Append(std::optional<std::string> key) {
    keys_.push_back(std::move(key));
    Count(keys_.size() - 1);
  }
  // The value at `i` changed in place.
  void Changed(const json& v, std::size_t i) {
    if (i >= keys_.size()) return;
    if (keys_[i]) {
      auto it = counts_.find(*keys_[i]);
      if (it != counts_.end() && --it->second == 0) counts_.erase(it);
    } else {
      unkeyed_.erase(std::remove(unkeyed_.begin(), unkeyed_.end(), i), unkeyed_.end());
    }
    keys_[i] = CanonicalKey(v, def_);
    Count(i);
  }

 private:
  void Count(std::size_t i) {
    if (keys_[i]) {
      ++counts_[*keys_[i]];
    } else {
      unkeyed_.push_back(i);
    }
  }

  const AttributeDef* def_;
  std::vector<std::optional<std::string>> keys_;
  std::unordered_map<std::string, std::size_t> counts_;
  std::vector<std::size_t> unkeyed_;
};

// Applies operations to one resource, in place (ApplyPatch hands it a copy).
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
  // ---- Dispatch

  // "value" is an object whose keys are attribute paths or extension URNs.
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
        DB_RETURN_IF_ERROR(ApplyToTarget(op.op, WholeExtensionTarget(*ext, key), &it.value()));
        continue;
      }
      DB_ASSIGN_OR_RETURN(AttrPath path, ParseAttrPath(key, "invalidPath"));
      DB_ASSIGN_OR_RETURN(Target t, ResolveTarget(path.urn, path.attribute, path.sub_attribute, nullptr, schema_, key));
      DB_RETURN_IF_ERROR(ApplyToTarget(op.op, t, &it.value()));
    }
    return Status::Ok();
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
      if (!path.urn.empty()) {
        return PathError("attribute " + Quote(it.key()) + " inside extension " + Quote(t.container_urn) +
                         " must not carry a URN");
      }
      DB_ASSIGN_OR_RETURN(Target inner, ResolveTarget(t.whole_extension->id, path.attribute, path.sub_attribute,
                                                      nullptr, schema_, t.container_urn + ":" + it.key()));
      DB_RETURN_IF_ERROR(ApplyToTarget(op, inner, &it.value()));
    }
    return Status::Ok();
  }

  Status ApplyToTarget(Op op, const Target& t, const json* value) {
    // The value indexes stay valid only while nothing but SetValues's appends
    // changes the resource.
    if (!IsPlainMultiValuedAdd(op, t, value)) indexes_.clear();
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
      if (EchoesCurrentValue(op, t, value)) return Status::Ok();
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

  // An add of values to a multi-valued attribute (no filter, no sub-attribute).
  static bool IsPlainMultiValuedAdd(Op op, const Target& t, const json* value) {
    return op == Op::kAdd && t.whole_extension == nullptr && t.filter == nullptr && t.sub == nullptr &&
           t.attribute->multi_valued && value != nullptr && !value->is_null();
  }

  // Counts `n` more values given for a multi-valued attribute in this request
  // (kMaxAttributeValuesPerRequest).
  Status CountValues(const AttributeDef& def, std::size_t n) {
    std::size_t& given = values_given_[&def];
    given += n;
    if (given > kMaxAttributeValuesPerRequest) {
      return TooManyError("the PATCH gives " + Quote(def.name), given, "values",
                          kMaxAttributeValuesPerRequest);
    }
    return Status::Ok();
  }

  // Whether an add/replace without a value filter gives the value the target already has.
  bool EchoesCurrentValue(Op op, const Target& t, const json* value) {
    if (op == Op::kRemove || t.filter != nullptr || value == nullptr) return false;
    const AttributeDef& def = *t.attribute;
    json* c = Container(t);
    const json* current = c != nullptr ? json_fields::Find(*c, def.name) : nullptr;
    if (current != nullptr && t.sub != nullptr) current = json_fields::Find(*current, t.sub->name);
    return current != nullptr && Equivalent(*current, *value, t.sub != nullptr ? t.sub : &def);
  }

  // ---- The object an attribute lives in: the resource, or its extension's object

  json* Container(const Target& t) {
    if (t.container_urn.empty()) return &resource_;
    json* c = json_fields::Find(resource_, t.container_urn);
    return (c != nullptr && c->is_object()) ? c : nullptr;
  }

  // The container, created (and its URN listed in "schemas") when missing.
  json& EnsureContainer(const Target& t) {
    if (json* c = Container(t)) return *c;
    EraseIgnoreCase(resource_, t.container_urn);
    resource_[t.container_urn] = json::object();
    json* schemas = json_fields::Find(resource_, "schemas");
    if (schemas != nullptr && schemas->is_array()) {
      bool listed = false;
      for (const auto& s : *schemas) {
        listed = listed || (s.is_string() && EqualsIgnoreCase(s.get<std::string>(), t.container_urn));
      }
      if (!listed) schemas->push_back(t.container_urn);
    }
    return resource_[t.container_urn];
  }

  // An extension left without attributes disappears, from "schemas" too.
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

  // ---- remove (and add/replace of null)

  Status Remove(const Target& t, const json* value) {
    json* container = Container(t);
    json* existing = container != nullptr ? json_fields::Find(*container, t.attribute->name) : nullptr;
    if (t.filter != nullptr) return RemoveSelectedValues(t, container, existing);
    if (t.sub != nullptr) return RemoveSubAttribute(t, container, existing);
    if (value != nullptr && !value->is_null() && t.attribute->multi_valued) {
      return RemoveListedValues(t, container, existing, *value);
    }
    return RemoveAttribute(t, container, existing);
  }

  // attr with a value: removes the values equal to the listed items (Entra ID:
  // members with [{"value": id}]).
  Status RemoveListedValues(const Target& t, json* container, json* existing, const json& value) {
    const AttributeDef& def = *t.attribute;
    DB_RETURN_IF_ERROR(CountValues(def, value.is_array() ? value.size() : 1));
    if (existing == nullptr || !existing->is_array()) return Status::Ok();
    const json items = value.is_array() ? value : json::array({value});
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

  // attr: the whole attribute.
  Status RemoveAttribute(const Target& t, json* container, const json* existing) {
    const AttributeDef& def = *t.attribute;
    if (def.required) return RequiredError(def);
    if (def.mutability == Mutability::kImmutable && HasValue(existing)) {
      return MutabilityError("attribute " + Quote(def.name) + " is immutable and cannot be removed");
    }
    if (container != nullptr) EraseIgnoreCase(*container, def.name);
    DropEmptyContainer(t);
    return Status::Ok();
  }

  // attr.sub: the sub-attribute of the value, or of every value.
  Status RemoveSubAttribute(const Target& t, json* container, json* existing) {
    if (existing == nullptr) return Status::Ok();
    if (existing->is_object()) {
      EraseIgnoreCase(*existing, t.sub->name);
      if (existing->empty()) EraseIgnoreCase(*container, t.attribute->name);
    } else if (existing->is_array()) {
      for (auto& element : *existing) EraseIgnoreCase(element, t.sub->name);
    }
    DropEmptyContainer(t);
    return Status::Ok();
  }

  // attr[filter] or attr[filter].sub: the selected values, or their sub-attribute.
  Status RemoveSelectedValues(const Target& t, json* container, json* existing) {
    const AttributeDef& def = *t.attribute;
    std::vector<std::size_t> selected = SelectedValues(t, existing);
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

  // ---- add and replace

  Status AddOrReplace(Op op, const Target& t, const json& value) {
    json& container = EnsureContainer(t);
    json* existing = json_fields::Find(container, t.attribute->name);
    if (t.filter != nullptr) return SetSelectedValues(op, t, container, existing, value);
    if (t.sub != nullptr) return SetSubAttribute(t, container, existing, value);
    return SetAttribute(op, t, container, existing, value);
  }

  // attr: a multi-valued attribute gets the values (appended for add, as the whole
  // set for replace); a complex one the given sub-attributes; a simple one the value.
  Status SetAttribute(Op op, const Target& t, json& container, json* existing, const json& value) {
    const AttributeDef& def = *t.attribute;
    if (def.multi_valued) DB_RETURN_IF_ERROR(CountValues(def, value.is_array() ? value.size() : 1));
    DB_ASSIGN_OR_RETURN(json prepared, prepare_.Whole(value, def, def.name));
    if (def.mutability == Mutability::kImmutable && HasValue(existing) && !Equivalent(*existing, prepared, &def)) {
      return ImmutableError(def.name);
    }
    if (def.multi_valued) return SetValues(op, t, container, existing, std::move(prepared));
    if (def.is_complex()) {
      // Given sub-attributes are set; the others stay (RFC 7644 §3.5.2.1, §3.5.2.3).
      json merged = (HasValue(existing) && existing->is_object()) ? *existing : json::object();
      for (auto it = prepared.begin(); it != prepared.end(); ++it) PutIgnoreCase(merged, it.key(), it.value());
      PutIgnoreCase(container, def.name, std::move(merged));
      return Status::Ok();
    }
    PutIgnoreCase(container, def.name, std::move(prepared));
    return Status::Ok();
  }

  // The values of a multi-valued attribute: added to the existing ones (a value
  // equivalent to one already there is not added twice), or replacing them. An add
  // costs O(values added): the existing values are appended to in place, and looked
  // up through their index, kept from one add to the next.
  Status SetValues(Op op, const Target& t, json& container, json* existing, json prepared) {
    const AttributeDef& def = *t.attribute;
    json result = json::array();
    if (op == Op::kAdd && HasValue(existing) && existing->is_array()) result = std::move(*existing);
    ValueIndex* index = nullptr;
    std::optional<ValueIndex> local;
    if (op == Op::kAdd) {
      auto it = indexes_.find(&def);
      if (it == indexes_.end() || !it->second.Covers(result)) {
        it = indexes_.insert_or_assign(&def, ValueIndex(result, def)).first;
      }
      index = &it->second;
    } else {
      index = &local.emplace(result, def);
    }
    std::vector<std::size_t> written;
    for (auto& item : prepared) {
      std::optional<std::string> key = CanonicalKey(item, &def);
      if (index->Contains(result, item, key)) continue;
      result.push_back(std::move(item));
      index->Append(std::move(key));
      written.push_back(result.size() - 1);
    }
    for (std::size_t i : EnforceSinglePrimary(result, written)) index->Changed(result[i], i);
    if (result.empty()) {
      indexes_.erase(&def);
      EraseIgnoreCase(container, def.name);
      DropEmptyContainer(t);
    } else {
      PutIgnoreCase(container, def.name, std::move(result));
    }
    return Status::Ok();
  }

  // attr.sub: the sub-attribute of a single complex value, or of every value of a
  // multi-valued one (a first value is created when there is none).
  Status SetSubAttribute(const Target& t, json& container, const json* existing, const json& value) {
    const AttributeDef& def = *t.attribute;
    const AttributeDef& sub = *t.sub;
    DB_ASSIGN_OR_RETURN(json prepared, prepare_.Scalar(value, sub, def.name + "." + sub.name));
    if (!def.multi_valued) {
      json merged = (HasValue(existing) && existing->is_object()) ? *existing : json::object();
      const json* current = json_fields::Find(merged, sub.name);
      if (sub.mutability == Mutability::kImmutable && HasValue(current) && !Equivalent(*current, prepared, &sub)) {
        return ImmutableError(def.name + "." + sub.name);
      }
      PutIgnoreCase(merged, sub.name, std::move(prepared));
      PutIgnoreCase(container, def.name, std::move(merged));
      return Status::Ok();
    }
    json array = (HasValue(existing) && existing->is_array()) ? *existing : json::array();
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

  // attr[filter] or attr[filter].sub: the selected values (merged into for add,
  // replaced for replace), or their sub-attribute. When nothing is selected, either
  // noTarget or (PatchOptions::unmatched_filter_adds_value) a new value.
  Status SetSelectedValues(Op op, const Target& t, json& container, const json* existing, const json& value) {
    const AttributeDef& def = *t.attribute;
    json prepared;
    if (t.sub != nullptr) {
      DB_ASSIGN_OR_RETURN(prepared, prepare_.Scalar(value, *t.sub, def.name + "[...]." + t.sub->name));
    } else {
      DB_ASSIGN_OR_RETURN(prepared, prepare_.Single(value, def, def.name + "[...]"));
    }
    json array = (HasValue(existing) && existing->is_array()) ? *existing : json::array();
    std::vector<std::size_t> selected = SelectedValues(t, &array);
    std::vector<std::size_t> written;
    if (selected.empty()) {
      if (!options_.unmatched_filter_adds_value) {
        return NoTargetError("no value of " + Quote(def.name) + " matches the filter in path " + Quote(t.shown));
      }
      DB_RETURN_IF_ERROR(CountValues(def, 1));
      DB_ASSIGN_OR_RETURN(json fresh, SeededValue(t, std::move(prepared)));
      array.push_back(std::move(fresh));
      written.push_back(array.size() - 1);
    } else {
      DB_RETURN_IF_ERROR(UpdateValues(op, t, array, selected, prepared));
      written = selected;
    }
    EnforceSinglePrimary(array, written);
    PutIgnoreCase(container, def.name, std::move(array));
    return Status::Ok();
  }

  // The value an unmatched filter creates (PatchOptions::unmatched_filter_adds_value):
  // the filter's terms, then `prepared`. Only a filter that says what the value is can
  // seed it: an `and` of `sub eq literal` terms on sub-attributes the schema declares,
  // and the value must then satisfy the filter. Anything else is noTarget, as without
  // the option (an `or` does not say which value; an undeclared sub-attribute is not
  // stored).
  Result<json> SeededValue(const Target& t, json prepared) const {
    json fresh = json::object();
    if (!SeedFromFilter(*t.filter, *t.attribute, fresh)) {
      return NoTargetError("no value of " + Quote(t.attribute->name) + " matches the filter in path " +
                           Quote(t.shown) +
                           "; a new value is created only from a filter of `sub eq value` terms joined by `and`, "
                           "on sub-attributes " + Quote(t.attribute->name) + " has");
    }
    if (t.sub != nullptr) {
      PutIgnoreCase(fresh, t.sub->name, std::move(prepared));
    } else if (prepared.is_object()) {
      for (auto it = prepared.begin(); it != prepared.end(); ++it) PutIgnoreCase(fresh, it.key(), it.value());
    }
    if (!MatchesValue(*t.filter, fresh, t.attribute)) {
      return NoTargetError("no value of " + Quote(t.attribute->name) + " matches the filter in path " +
                           Quote(t.shown) + ", and the value it would create, " + Describe(fresh) +
                           ", does not match it either");
    }
    return fresh;
  }

  // Puts into `out` the terms of a filter that is an `and` of `sub eq literal`
  // comparisons on sub-attributes `def` declares (and may be written), each literal a
  // valid value of its sub-attribute; false for any other filter.
  bool SeedFromFilter(const FilterNode& f, const AttributeDef& def, json& out) const {
    if (f.kind == FilterNode::Kind::kAnd) {
      return SeedFromFilter(*f.left, def, out) && SeedFromFilter(*f.right, def, out);
    }
    if (f.kind != FilterNode::Kind::kCompare || f.op != CompareOp::kEq || !f.path.urn.empty() ||
        !f.path.sub_attribute.empty() || f.value.is_null()) {
      return false;
    }
    const AttributeDef* sub = def.FindSubAttribute(f.path.attribute);
    if (sub == nullptr || sub->is_complex() || sub->mutability == Mutability::kReadOnly ||
        sub->mutability == Mutability::kWriteOnly) {
      return false;
    }
    auto literal = prepare_.Scalar(f.value, *sub, def.name + "." + sub->name);
    if (!literal.ok()) return false;
    PutIgnoreCase(out, sub->name, std::move(literal).value());
    return true;
  }

  static Status UpdateValues(Op op, const Target& t, json& array, const std::vector<std::size_t>& selected,
                             const json& prepared) {
    for (std::size_t i : selected) {
      json& element = array[i];
      if (t.sub != nullptr) {
        const json* current = json_fields::Find(element, t.sub->name);
        if (t.sub->mutability == Mutability::kImmutable && HasValue(current) &&
            !Equivalent(*current, prepared, t.sub)) {
          return ImmutableError(t.attribute->name + "." + t.sub->name);
        }
        PutIgnoreCase(element, t.sub->name, prepared);
      } else if (op == Op::kReplace || !element.is_object()) {
        element = prepared;
      } else {
        for (auto it = prepared.begin(); it != prepared.end(); ++it) PutIgnoreCase(element, it.key(), it.value());
      }
    }
    return Status::Ok();
  }

  json& resource_;
  const ResourceSchema& schema_;
  const PatchOptions& options_;
  ValuePreparer prepare_;
  // Per multi-valued attribute: its values' index (see SetValues), and how many
  // values the request gave it so far.
  std::unordered_map<const AttributeDef*, ValueIndex> indexes_;
  std::unordered_map<const AttributeDef*, std::size_t> values_given_;
};

}  // namespace

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

}  // namespace dirbridge::scim
