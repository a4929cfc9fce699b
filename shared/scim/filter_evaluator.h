// Evaluates a parsed filter (filter.h) against a resource in its SCIM JSON shape,
// with the semantics of RFC 7644 §3.4.2.2:
//   - attribute and sub-attribute names match case-insensitively; extension attributes
//     are found under their schema URN key, with or without the URN in the filter;
//   - string comparison honours the attribute's caseExact (unknown attributes compare
//     case-insensitively); dateTime attributes compare as instants when both sides are
//     RFC 3339 date-times; numbers compare numerically; booleans only with eq/ne
//     (a "true"/"false" string, any case, compares equal to the boolean);
//   - a comparison on a multi-valued attribute (or through one, "emails.value") is
//     true when any value satisfies it; a comparison on a complex value without a
//     sub-attribute compares its "value" sub-attribute;
//   - "pr" is true when some value is not null, "", [] or {}; "eq null" is true when
//     no value is present and "ne null" when one is; "ne" is the negation of "eq";
//   - a comparison between mismatched types (a number against a string) is false.
// Evaluation never fails: a filter that is well formed always yields true or false.
#pragma once

#include <nlohmann/json.hpp>

#include "scim/filter.h"
#include "scim/schema.h"

namespace dirbridge::scim {

// True when `resource` satisfies `filter`.
bool Matches(const FilterNode& filter, const nlohmann::json& resource, const ResourceSchema& schema);

// True when one value of an attribute satisfies a value filter (the bracketed part of
// a value path, whose names are sub-attributes). `attribute` is the multi-valued
// attribute's definition, or nullptr when the schema does not define it.
bool MatchesValue(const FilterNode& filter, const nlohmann::json& value, const AttributeDef* attribute);

// One comparison of an attribute value (`actual`, a JSON scalar) with a filter value.
// `definition` describes `actual` (nullptr when unknown). Not for op kPr.
bool CompareValue(const nlohmann::json& actual, CompareOp op, const nlohmann::json& expected,
                  const AttributeDef* definition);

// Total order of two attribute values by the attribute's type, for sorting: negative,
// zero or positive. Strings compare case-insensitively unless caseExact, dateTimes as
// instants, numbers numerically, false before true; values of different JSON types
// order by type (null, boolean, number, string, other).
int CompareAttributeValues(const nlohmann::json& a, const nlohmann::json& b, const AttributeDef* definition);

}  // namespace dirbridge::scim
