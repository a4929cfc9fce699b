// Attribute paths as written in SCIM requests (RFC 7644 §3.4.2.2 and §3.5.2).
//
//   attrPath  = [URI ":"] ATTRNAME *1subAttr          e.g. name.givenName,
//               urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value
//   PATH      = attrPath / valuePath [subAttr]         (the PATCH "path")
//   valuePath = attrPath "[" valFilter "]"             e.g. emails[type eq "work"].value
//
// This is syntax only: names are kept as written (lookups are case-insensitive later,
// against the schema), nothing is checked against a schema here. ATTRNAME is
// ALPHA *(ALPHA / DIGIT / "-" / "_"); "$" is also accepted because RFC 7643 uses
// "$ref" as an attribute name. Errors carry the character position and what was
// expected, with the scimType chosen by the caller (invalidPath for PATCH paths,
// invalidFilter inside filters).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dirbridge::scim {

struct FilterNode;  // filter.h

struct AttrPath {
  std::string urn;            // schema URN prefix as written, "" when absent
  std::string attribute;      // the top-level attribute name as written
  std::string sub_attribute;  // "" when absent

  bool empty() const { return attribute.empty(); }
  // "urn:...:attr.sub" (the URN only when one was written).
  std::string ToString() const;
};

// Reads an attrPath that starts at text[pos]; on success `pos` is just past it. A URN
// prefix is recognised when the text starts with "urn:" (any case). Stops at the first
// character that cannot continue the path (space, '[', ']', '(', ')', '"', ',').
Result<AttrPath> ScanAttrPath(std::string_view text, std::size_t& pos, std::string_view scim_type);

// A whole string that must be exactly one attrPath (surrounding spaces allowed).
Result<AttrPath> ParseAttrPath(std::string_view text, std::string_view scim_type = "invalidPath");

// A PATCH operation's "path" (RFC 7644 §3.5.2): attrPath, or valuePath with an
// optional trailing sub-attribute.
struct PatchPath {
  std::string urn;                             // as written, "" when absent
  std::string attribute;                       // top-level attribute (or the last URN segment, see below)
  std::shared_ptr<const FilterNode> value_filter;  // set for valuePath: selects values of `attribute`
  std::string sub_attribute;                   // "name.givenName" / "emails[...].value"; "" when absent
  std::string text;                            // the path as received, for messages

  bool has_filter() const { return value_filter != nullptr; }
};

// Parses a PATCH path. Errors have scimType invalidPath (or invalidFilter when the
// bracketed filter is malformed). A path that is only a schema URN, such as
// "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", parses with `urn`
// "...:2.0" and `attribute` "User"; callers that know the schemas recognise that form.
Result<PatchPath> ParsePatchPath(std::string_view text);

}  // namespace dirbridge::scim
