#include "scim/filter.h"

namespace dirbridge::scim {

std::string_view ToString(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "eq";
    case CompareOp::kNe: return "ne";
    case CompareOp::kCo: return "co";
    case CompareOp::kSw: return "sw";
    case CompareOp::kEw: return "ew";
    case CompareOp::kGt: return "gt";
    case CompareOp::kGe: return "ge";
    case CompareOp::kLt: return "lt";
    case CompareOp::kLe: return "le";
    case CompareOp::kPr: return "pr";
  }
  return "eq";
}

namespace {

std::string CompareToString(const FilterNode& node) {
  std::string out = node.path.ToString();
  out += out.empty() ? "" : " ";
  out += ToString(node.op);
  if (node.op != CompareOp::kPr) out += " " + node.value.dump();
  return out;
}

}  // namespace

std::size_t CountComparisons(const FilterNode& node) {
  const auto count = [](const FilterPtr& child) { return child ? CountComparisons(*child) : 0; };
  switch (node.kind) {
    case FilterNode::Kind::kCompare:
      return 1;
    case FilterNode::Kind::kValuePath:
      return count(node.value_filter) + count(node.trailing);
    default:
      return count(node.left) + count(node.right);
  }
}

std::string ToString(const FilterNode& node) {
  switch (node.kind) {
    case FilterNode::Kind::kCompare:
      return CompareToString(node);
    case FilterNode::Kind::kValuePath: {
      std::string out = node.path.ToString() + "[" + (node.value_filter ? ToString(*node.value_filter) : "") + "]";
      if (node.trailing) {
        if (node.trailing->path.attribute.empty()) {
          out += " " + CompareToString(*node.trailing);
        } else {
          out += "." + CompareToString(*node.trailing);
        }
      }
      return out;
    }
    case FilterNode::Kind::kAnd:
      return "(" + ToString(*node.left) + " and " + ToString(*node.right) + ")";
    case FilterNode::Kind::kOr:
      return "(" + ToString(*node.left) + " or " + ToString(*node.right) + ")";
    case FilterNode::Kind::kNot:
      return "not (" + ToString(*node.left) + ")";
  }
  return "";
}

namespace {

// The indexed attribute named by (top-level attribute, sub-attribute), if any.
const std::string_view* IndexedName(const ResourceSchema& schema, std::span<const std::string_view> indexed,
                                    std::string_view urn, std::string_view attribute, std::string_view sub,
                                    const AttributeDef** def) {
  auto resolved = schema.Resolve(urn, attribute, sub);
  if (!resolved) return nullptr;
  std::string canonical = resolved->top()->name;
  if (resolved->parent != nullptr) canonical += "." + resolved->attribute->name;
  for (const auto& name : indexed) {
    if (EqualsIgnoreCase(name, canonical)) {
      *def = resolved->attribute;
      return &name;
    }
  }
  return nullptr;
}

std::optional<IndexedEquality> FromEquality(const ResourceSchema& schema, std::span<const std::string_view> indexed,
                                            std::string_view urn, std::string_view attribute, std::string_view sub,
                                            const FilterNode& cmp) {
  if (cmp.kind != FilterNode::Kind::kCompare || cmp.op != CompareOp::kEq || !cmp.value.is_string()) {
    return std::nullopt;
  }
  const AttributeDef* def = nullptr;
  const std::string_view* name = IndexedName(schema, indexed, urn, attribute, sub, &def);
  if (name == nullptr) return std::nullopt;
  IndexedEquality eq;
  eq.attribute = std::string(*name);
  eq.value = cmp.value.get<std::string>();
  eq.case_exact = def->case_exact;
  return eq;
}

}  // namespace

std::optional<IndexedEquality> FindIndexedEquality(const FilterNode& filter, const ResourceSchema& schema,
                                                   std::span<const std::string_view> indexed) {
  switch (filter.kind) {
    case FilterNode::Kind::kCompare: {
      auto eq = FromEquality(schema, indexed, filter.path.urn, filter.path.attribute, filter.path.sub_attribute,
                             filter);
      if (eq) eq->exact = true;
      return eq;
    }
    case FilterNode::Kind::kValuePath: {
      const FilterNode* cmp = nullptr;
      bool exact = false;
      if (filter.trailing) {
        cmp = filter.trailing.get();
      } else if (filter.value_filter && filter.value_filter->kind == FilterNode::Kind::kCompare &&
                 filter.value_filter->path.sub_attribute.empty()) {
        cmp = filter.value_filter.get();  // emails[value eq "x"]
        exact = true;
      }
      if (cmp == nullptr) return std::nullopt;
      std::string_view sub = cmp->path.attribute.empty() ? std::string_view("value") : cmp->path.attribute;
      auto eq = FromEquality(schema, indexed, filter.path.urn, filter.path.attribute, sub, *cmp);
      if (eq) eq->exact = exact;
      return eq;
    }
    case FilterNode::Kind::kAnd: {
      auto eq = FindIndexedEquality(*filter.left, schema, indexed);
      if (!eq) eq = FindIndexedEquality(*filter.right, schema, indexed);
      if (eq) eq->exact = false;
      return eq;
    }
    case FilterNode::Kind::kOr:
    case FilterNode::Kind::kNot:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace dirbridge::scim
