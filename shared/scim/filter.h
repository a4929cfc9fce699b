// The SCIM filter expression tree (RFC 7644 §3.4.2.2) and what a store can learn
// from it without evaluating it.
//
// A tree is immutable once built (filter_parser.h builds it, filter_evaluator.h
// evaluates it) and shared through shared_ptr<const FilterNode>, so it may be kept
// inside a PATCH path or reused for many resources.
//
//   kCompare    attrPath op value        userName eq "ada", title pr
//   kValuePath  attr[filter] [trailing]  emails[type eq "work"],
//                                        emails[type eq "work"].value eq "x"
//   kAnd/kOr    left op right
//   kNot        not (left)
//
// Paths inside a value filter, and the trailing comparison of a kValuePath, are
// relative to one value of the multi-valued attribute. A trailing comparison with an
// empty attribute compares the value itself (for complex values, its "value"
// sub-attribute, RFC 7644 §3.4.2.2 "emails co ...").
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "scim/attribute_path.h"
#include "scim/schema.h"

namespace dirbridge::scim {

enum class CompareOp { kEq, kNe, kCo, kSw, kEw, kGt, kGe, kLt, kLe, kPr };
std::string_view ToString(CompareOp op);

struct FilterNode;
using FilterPtr = std::shared_ptr<const FilterNode>;

struct FilterNode {
  enum class Kind { kCompare, kValuePath, kAnd, kOr, kNot };
  Kind kind = Kind::kCompare;

  // kCompare: the attribute compared. kValuePath: the multi-valued attribute.
  AttrPath path;
  // kCompare only.
  CompareOp op = CompareOp::kPr;
  nlohmann::json value;  // string, number, boolean or null; null for pr

  // kValuePath: the bracketed filter, and an optional comparison applied to the same
  // value (a kCompare whose path is relative to that value; nullptr when absent).
  FilterPtr value_filter;
  FilterPtr trailing;

  // kAnd / kOr: both; kNot: left only.
  FilterPtr left;
  FilterPtr right;
};

// How many comparisons a tree evaluates (attribute comparisons, also those inside a
// value path): what the parser bounds by kMaxFilterComparisons and what one
// evaluation costs.
std::size_t CountComparisons(const FilterNode& node);

// A normalised text form of a tree (operators lower case, strings JSON-quoted, every
// and/or/not parenthesised), for messages and tests.
std::string ToString(const FilterNode& node);

// When `filter` can be answered from an index on one attribute: the filter is
// `attr eq "string"` on one of the `indexed` attribute paths (the store's list:
// provision/indexes.h), also reached through a value path
// (`emails[type eq "work"].value eq "x"`, `emails[value eq "x"]`) or as one side of an
// `and`. `attribute` is spelled as in `indexed`. `exact` is true when the
// filter is nothing but that equality; otherwise the store must still evaluate the
// whole filter on the candidates the index returns. `case_exact` says how the index
// must compare (from the schema).
struct IndexedEquality {
  std::string attribute;
  std::string value;
  bool case_exact = false;
  bool exact = false;
};
std::optional<IndexedEquality> FindIndexedEquality(const FilterNode& filter, const ResourceSchema& schema,
                                                   std::span<const std::string_view> indexed);

}  // namespace dirbridge::scim
