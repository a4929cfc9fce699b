// Which attributes of a resource go into a response, and how resources sort.
//
// ProjectResource applies the "attributes" / "excludedAttributes" query parameters
// (RFC 7644 §3.4.2.5, §3.9) together with each attribute's "returned" characteristic
// (RFC 7643 §2.2):
//   - always  (schemas, id, meta.resourceType) is in every response;
//   - never   (password) is in no response;
//   - default is in the response unless excluded, or unless "attributes" is given and
//             does not name it;
//   - request is in the response only when "attributes" names it.
// Each parameter is a comma-separated list of attribute paths, matched
// case-insensitively: "userName", "name.givenName", URN-qualified names
// ("urn:...:enterprise:2.0:User:manager"), a whole extension URN, and value-path forms
// as Entra ID sends them ("emails[type eq \"work\"]", "emails[type eq \"work\"].value"),
// which keep (or drop) only the selected values. Names no schema defines are ignored.
// When both parameters are given, "attributes" wins (RFC 7644 §3.9 says they are not
// meant to be combined). A malformed list is invalidValue (or invalidFilter for a
// malformed bracketed filter) naming the offending entry.
//
// CompareForSort orders resources for "sortBy" (RFC 7644 §3.4.2.3): by the attribute's
// type (strings case-insensitively unless caseExact, dateTimes as instants); a
// multi-valued attribute sorts by its primary value, else its first; resources without
// a value sort last in ascending order (first in descending, which is the exact reverse).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "scim/schema.h"

namespace dirbridge::scim {

// The representation of `resource` to return. Either list may be empty (= not given).
Result<nlohmann::json> ProjectResource(const nlohmann::json& resource, const ResourceSchema& schema,
                                       std::string_view attributes, std::string_view excluded_attributes);

// Checks "attributes" / "excludedAttributes" without a resource at hand: the same
// errors ProjectResource would give. Lets a request be refused before it changes
// anything, instead of after.
Status CheckProjection(const ResourceSchema& schema, std::string_view attributes, std::string_view excluded_attributes);

// A parsed "sortBy" value.
struct SortKey {
  std::string extension_urn;  // "" for core and common attributes
  std::string attribute;      // canonical top-level attribute name
  std::string sub_attribute;  // canonical sub-attribute name, "" when none
  const AttributeDef* top = nullptr;
  const AttributeDef* leaf = nullptr;  // the definition whose values are compared
};

// Errors: invalidPath when `sort_by` is malformed or names no attribute of the schema,
// or names a complex attribute without a sub-attribute (other than via "value").
Result<SortKey> ParseSortKey(std::string_view sort_by, const ResourceSchema& schema);

// Negative when `a` sorts before `b`, positive after, zero when equal.
int CompareForSort(const nlohmann::json& a, const nlohmann::json& b, const SortKey& key, bool descending = false);

// Convenience for ascending order; an unparseable path compares everything equal
// (validate it with ParseSortKey first to report the error).
int CompareForSort(const nlohmann::json& a, const nlohmann::json& b, std::string_view attribute_path,
                   const ResourceSchema& schema);

}  // namespace dirbridge::scim
