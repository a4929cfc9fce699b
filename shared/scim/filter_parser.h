// Parses the "filter" query parameter (RFC 7644 §3.4.2.2) into a FilterNode tree.
//
// Grammar accepted (RFC 7644 Figure 1, plus the leniencies real clients need):
//   FILTER    = attrExp / logExp / valuePath / *1"not" "(" FILTER ")"
//   logExp    = FILTER SP ("and" / "or") SP FILTER      ; "and" binds tighter than "or"
//   attrExp   = attrPath SP "pr" / attrPath SP compareOp SP compValue
//   valuePath = attrPath "[" valFilter "]"               ; valFilter may not nest valuePaths
//   compValue = false / null / true / number / string    ; string is a JSON string
// Leniencies: "not" may also precede a single attrExp or valuePath without
// parentheses (binding tighter than "and"); a valuePath may be followed by ".subAttr"
// and a comparison (`emails[type eq "work"].value eq "x"`) or directly by "pr" or a
// comparison (applied to each selected value). Keywords, operators and true/false/null
// are case-insensitive; names are kept as written.
//
// Work is bounded: filters longer than kMaxFilterLength characters, nested (via
// parentheses, brackets or "not") deeper than kMaxFilterDepth, or with more than
// kMaxFilterComparisons comparisons, are rejected. Every
// error is InvalidInput with scimType "invalidFilter" (or the caller's scimType) and
// says at which character position what was expected.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/result.h"
#include "scim/filter.h"

namespace dirbridge::scim {

inline constexpr std::size_t kMaxFilterLength = 4096;
inline constexpr std::size_t kMaxFilterDepth = 32;
// Each comparison is evaluated on every resource a scan examines, so their number
// bounds the cost of a scan (see functions/scim/resource_listing.h).
inline constexpr std::size_t kMaxFilterComparisons = 32;

Result<FilterPtr> ParseFilter(std::string_view text);

// Parses a bracketed value filter starting at text[pos] == '['; on success `pos` is
// just past the closing ']'. Used for PATCH paths.
Result<FilterPtr> ParseBracketedValueFilter(std::string_view text, std::size_t& pos,
                                            std::string_view scim_type = "invalidFilter");

}  // namespace dirbridge::scim
