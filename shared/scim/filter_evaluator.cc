#include "scim/filter_evaluator.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dirbridge::scim {
namespace {

using json = nlohmann::json;

// One attribute value reached by a path, with the definition that describes it.
struct Reached {
  const json* value;
  const AttributeDef* definition;
};

// Adds `value` (flattening one level of array) to `out`, skipping nulls. A complex
// value stands for its "value" sub-attribute when `use_value_of_complex` is set.
void Collect(const json* value, const AttributeDef* def, bool use_value_of_complex, std::vector<Reached>& out) {
  if (value == nullptr || value->is_null()) return;
  auto add_one = [&](const json& v) {
    if (v.is_null()) return;
    if (v.is_object() && use_value_of_complex) {
      const json* inner = json_fields::Find(v, "value");
      if (inner != nullptr && !inner->is_null()) {
        out.push_back({inner, def != nullptr ? def->FindSubAttribute("value") : nullptr});
      }
      return;
    }
    out.push_back({&v, def});
  };
  if (value->is_array()) {
    for (const auto& v : *value) add_one(v);
  } else {
    add_one(*value);
  }
}

// Values of `sub` inside each value of `top` (top may be an object or an array of
// them); with no `sub`, the values of `top` itself. For `pr` a complex value stands
// for itself (RFC 7644 Table 3: "name pr" asks whether name has any value); for every
// other operator, for its "value" sub-attribute.
void CollectAt(const json* top, const AttributeDef* top_def, std::string_view sub, CompareOp op,
               std::vector<Reached>& out) {
  const bool use_value_of_complex = op != CompareOp::kPr;
  if (sub.empty()) return Collect(top, top_def, use_value_of_complex, out);
  if (top == nullptr) return;
  const AttributeDef* sub_def = top_def != nullptr ? top_def->FindSubAttribute(sub) : nullptr;
  auto from = [&](const json& element) {
    if (!element.is_object()) return;
    Collect(json_fields::Find(element, sub), sub_def, use_value_of_complex, out);
  };
  if (top->is_array()) {
    for (const auto& e : *top) from(e);
  } else {
    from(*top);
  }
}

// Finds the JSON of a top-level attribute of a resource, and its definition.
const json* LocateInResource(const json& resource, const ResourceSchema& schema, const AttrPath& path,
                             const AttributeDef** def) {
  *def = nullptr;
  auto resolved = schema.Resolve(path.urn, path.attribute, {});
  const json* container = &resource;
  if (resolved) {
    *def = resolved->attribute;
    if (!resolved->extension_urn.empty()) container = json_fields::Find(resource, resolved->extension_urn);
  } else if (!path.urn.empty()) {
    if (schema.FindExtension(path.urn) != nullptr) {
      container = json_fields::Find(resource, path.urn);
    } else if (schema.core == nullptr || !EqualsIgnoreCase(schema.core->id, path.urn)) {
      return nullptr;  // a schema this resource type does not have
    }
  }
  if (container == nullptr) return nullptr;
  return json_fields::Find(*container, path.attribute);
}

bool IsPresent(const json& v) {
  if (v.is_null()) return false;
  if (v.is_string()) return !v.get_ref<const std::string&>().empty();
  if (v.is_array() || v.is_object()) return !v.empty();
  return true;
}

bool EvaluateComparison(const std::vector<Reached>& values, const FilterNode& cmp) {
  if (cmp.op == CompareOp::kPr) {
    for (const auto& r : values) {
      if (IsPresent(*r.value)) return true;
    }
    return false;
  }
  if (cmp.value.is_null()) {
    if (cmp.op == CompareOp::kEq) return values.empty();
    if (cmp.op == CompareOp::kNe) return !values.empty();
    return false;
  }
  const CompareOp op = cmp.op == CompareOp::kNe ? CompareOp::kEq : cmp.op;
  bool any = false;
  for (const auto& r : values) {
    if (CompareValue(*r.value, op, cmp.value, r.definition)) {
      any = true;
      break;
    }
  }
  return cmp.op == CompareOp::kNe ? !any : any;
}

bool MatchesInResource(const FilterNode& f, const json& resource, const ResourceSchema& schema);

bool ValuePathMatches(const FilterNode& f, const json* top, const AttributeDef* def) {
  if (top == nullptr || top->is_null()) return false;
  auto one = [&](const json& element) {
    if (f.value_filter && !MatchesValue(*f.value_filter, element, def)) return false;
    if (f.trailing && !MatchesValue(*f.trailing, element, def)) return false;
    return true;
  };
  if (top->is_array()) {
    for (const auto& e : *top) {
      if (one(e)) return true;
    }
    return false;
  }
  return one(*top);
}

bool MatchesInResource(const FilterNode& f, const json& resource, const ResourceSchema& schema) {
  switch (f.kind) {
    case FilterNode::Kind::kAnd:
      return MatchesInResource(*f.left, resource, schema) && MatchesInResource(*f.right, resource, schema);
    case FilterNode::Kind::kOr:
      return MatchesInResource(*f.left, resource, schema) || MatchesInResource(*f.right, resource, schema);
    case FilterNode::Kind::kNot:
      return !MatchesInResource(*f.left, resource, schema);
    case FilterNode::Kind::kValuePath: {
      const AttributeDef* def = nullptr;
      const json* top = LocateInResource(resource, schema, f.path, &def);
      return ValuePathMatches(f, top, def);
    }
    case FilterNode::Kind::kCompare: {
      const AttributeDef* def = nullptr;
      const json* top = LocateInResource(resource, schema, f.path, &def);
      std::vector<Reached> values;
      CollectAt(top, def, f.path.sub_attribute, f.op, values);
      return EvaluateComparison(values, f);
    }
  }
  return false;
}

int Sign(double d) { return d < 0 ? -1 : (d > 0 ? 1 : 0); }

int CompareNumbers(const json& a, const json& b) {
  if (a.is_number_integer() && b.is_number_integer()) {
    if (a.is_number_unsigned() || b.is_number_unsigned()) {
      // Keep it exact for large unsigned values.
      if (a.is_number_unsigned() && b.is_number_unsigned()) {
        auto x = a.get<std::uint64_t>(), y = b.get<std::uint64_t>();
        return x < y ? -1 : (x > y ? 1 : 0);
      }
    } else {
      auto x = a.get<std::int64_t>(), y = b.get<std::int64_t>();
      return x < y ? -1 : (x > y ? 1 : 0);
    }
  }
  return Sign(a.get<double>() - b.get<double>());
}

std::optional<bool> AsBoolean(const json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (EqualsIgnoreCase(s, "true")) return true;
    if (EqualsIgnoreCase(s, "false")) return false;
  }
  return std::nullopt;
}

int CompareStrings(const std::string& a, const std::string& b, const AttributeDef* def) {
  if (def != nullptr && def->type == AttributeType::kDateTime) {
    auto ta = ParseDateTime(a), tb = ParseDateTime(b);
    if (ta && tb) return *ta < *tb ? -1 : (*ta == *tb ? 0 : 1);
  }
  const bool case_exact = def != nullptr && def->case_exact;
  int c = case_exact ? a.compare(b) : ToLowerAscii(a).compare(ToLowerAscii(b));
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

bool CompareValue(const json& actual, CompareOp op, const json& expected, const AttributeDef* def) {
  if (op == CompareOp::kPr) return IsPresent(actual);
  if (op == CompareOp::kNe) return !CompareValue(actual, CompareOp::kEq, expected, def);
  if (expected.is_boolean() || (actual.is_boolean() && expected.is_string())) {
    if (op != CompareOp::kEq) return false;
    auto a = AsBoolean(actual), e = AsBoolean(expected);
    return a && e && *a == *e;
  }
  if (expected.is_number()) {
    if (!actual.is_number()) return false;
    const int c = CompareNumbers(actual, expected);
    switch (op) {
      case CompareOp::kEq: return c == 0;
      case CompareOp::kGt: return c > 0;
      case CompareOp::kGe: return c >= 0;
      case CompareOp::kLt: return c < 0;
      case CompareOp::kLe: return c <= 0;
      default: return false;
    }
  }
  if (!expected.is_string() || !actual.is_string()) return false;
  const auto& a = actual.get_ref<const std::string&>();
  const auto& e = expected.get_ref<const std::string&>();
  if (op == CompareOp::kCo || op == CompareOp::kSw || op == CompareOp::kEw) {
    const bool case_exact = def != nullptr && def->case_exact;
    const std::string ha = case_exact ? a : ToLowerAscii(a);
    const std::string he = case_exact ? e : ToLowerAscii(e);
    if (op == CompareOp::kCo) return ha.find(he) != std::string::npos;
    if (op == CompareOp::kSw) return ha.size() >= he.size() && ha.compare(0, he.size(), he) == 0;
    return ha.size() >= he.size() && ha.compare(ha.size() - he.size(), he.size(), he) == 0;
  }
  const int c = CompareStrings(a, e, def);
  switch (op) {
    case CompareOp::kEq: return c == 0;
    case CompareOp::kGt: return c > 0;
    case CompareOp::kGe: return c >= 0;
    case CompareOp::kLt: return c < 0;
    case CompareOp::kLe: return c <= 0;
    default: return false;
  }
}

bool Matches(const FilterNode& filter, const json& resource, const ResourceSchema& schema) {
  return MatchesInResource(filter, resource, schema);
}

bool MatchesValue(const FilterNode& f, const json& value, const AttributeDef* attribute) {
  switch (f.kind) {
    case FilterNode::Kind::kAnd:
      return MatchesValue(*f.left, value, attribute) && MatchesValue(*f.right, value, attribute);
    case FilterNode::Kind::kOr:
      return MatchesValue(*f.left, value, attribute) || MatchesValue(*f.right, value, attribute);
    case FilterNode::Kind::kNot:
      return !MatchesValue(*f.left, value, attribute);
    case FilterNode::Kind::kValuePath: {
      // Not produced by the parser inside a value filter; evaluate it relative to the value.
      const json* top = value.is_object() ? json_fields::Find(value, f.path.attribute) : nullptr;
      const AttributeDef* def = attribute != nullptr ? attribute->FindSubAttribute(f.path.attribute) : nullptr;
      return ValuePathMatches(f, top, def);
    }
    case FilterNode::Kind::kCompare: {
      std::vector<Reached> values;
      if (f.path.attribute.empty()) {
        // The value itself (a complex value stands for its "value" sub-attribute).
        Collect(&value, attribute, f.op != CompareOp::kPr, values);
      } else if (value.is_object()) {
        const AttributeDef* def = attribute != nullptr ? attribute->FindSubAttribute(f.path.attribute) : nullptr;
        const json* member = json_fields::Find(value, f.path.attribute);
        CollectAt(member, def, f.path.sub_attribute, f.op, values);
      }
      return EvaluateComparison(values, f);
    }
  }
  return false;
}

int CompareAttributeValues(const json& a, const json& b, const AttributeDef* def) {
  auto rank = [](const json& v) {
    if (v.is_null()) return 0;
    if (v.is_boolean()) return 1;
    if (v.is_number()) return 2;
    if (v.is_string()) return 3;
    return 4;
  };
  const int ra = rank(a), rb = rank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 1: return static_cast<int>(a.get<bool>()) - static_cast<int>(b.get<bool>());
    case 2: return CompareNumbers(a, b);
    case 3: return CompareStrings(a.get_ref<const std::string&>(), b.get_ref<const std::string&>(), def);
    case 4: {
      const std::string da = a.dump(), db = b.dump();
      return da < db ? -1 : (da == db ? 0 : 1);
    }
    default: return 0;
  }
}

}  // namespace dirbridge::scim
