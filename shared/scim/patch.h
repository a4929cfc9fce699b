// SCIM PATCH (RFC 7644 §3.5.2) applied to a resource in its SCIM JSON shape.
//
// ApplyPatch takes the current resource and the operations, and returns the new
// resource, or an error; the input is never modified (the work happens on a copy, so
// a request that fails half-way changes nothing). Semantics:
//   - op names are case-insensitive ("Add", "Replace", "Remove" as Entra ID sends);
//   - add: a missing attribute is set; a multi-valued attribute gets the new values
//     appended (a value identical to an existing one is not added twice); a complex
//     attribute gets the given sub-attributes merged in; a simple one is replaced;
//   - replace: a multi-valued attribute is replaced as a whole set; a complex one has
//     the given sub-attributes replaced and the others left unchanged (RFC 7644
//     §3.5.2.3); a value path replaces the selected values (or, with a sub-attribute,
//     that sub-attribute of each); a missing attribute is added;
//   - remove: needs a path (else noTarget); removes the attribute, the selected values
//     of a value path, a sub-attribute, or (as Entra ID sends for members) the values of
//     a multi-valued attribute that equal the items in "value"; an emptied multi-valued
//     attribute disappears; a value-path filter that selects nothing is noTarget;
//     removing a required attribute is invalidValue;
//   - without a path, "value" is an object whose keys are attribute paths: plain
//     ("active"), dotted ("name.givenName"), URN-qualified
//     ("urn:...:enterprise:2.0:User:department") or an extension URN whose value holds
//     that extension's attributes (Okta's {"op":"replace","value":{"active":false}});
//   - a value with primary true clears primary on the attribute's other values;
//   - readOnly attributes (id, meta, groups) cannot be changed (scimType mutability; a
//     value equal to the current one is accepted as a no-op); immutable attributes can
//     only be set while they have no value;
//   - writeOnly attributes (password) are dropped silently wherever they appear: this
//     service never stores a password;
//   - values are checked against the attribute type (invalidValue); for boolean
//     attributes the strings "true"/"false" in any case become booleans (Entra ID);
//     a string given for a complex attribute with a "value" sub-attribute stands for
//     {"value": string} (Entra ID sends the enterprise manager that way);
//   - an attribute the schema does not define is invalidPath.
//
// For Groups, PlanMemberChanges turns the same operations into member ids to add and
// remove, so a store can update a large membership without loading it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "scim/attribute_path.h"
#include "scim/schema.h"

namespace dirbridge::scim {

inline constexpr std::string_view kPatchOpSchemaUrn = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

// Behaviour that differs between identity providers. The defaults follow RFC 7644.
struct PatchOptions {
  // RFC 7644 §3.5.2.3 says a replace (or add) through a value-path filter that selects
  // nothing fails with noTarget. Entra ID relies on it creating the value instead
  // (e.g. replace emails[type eq "work"].value on a user with no work email): when
  // set, a new value is appended, seeded with the filter's `sub eq "literal"` terms.
  bool unmatched_filter_adds_value = false;
  // Strings "true"/"false" (any case) given for boolean attributes become booleans.
  bool coerce_boolean_strings = true;

  // The dialect Entra ID needs.
  static PatchOptions EntraId() {
    PatchOptions o;
    o.unmatched_filter_adds_value = true;
    return o;
  }
};

struct PatchOperation {
  enum class Op { kAdd, kReplace, kRemove };
  Op op = Op::kAdd;
  std::optional<PatchPath> path;
  bool has_value = false;
  nlohmann::json value;
  std::size_t index = 0;  // position in the request's Operations, for messages
};

// Reads a PatchOp request body ({"schemas":[PatchOp URN], "Operations":[...]}; the
// "Operations" key is matched case-insensitively) into operations. Errors are
// invalidSyntax for a malformed message, invalidPath for a malformed path, and say
// which operation (by index) is wrong.
Result<std::vector<PatchOperation>> ParsePatchRequest(const nlohmann::json& body);
// The same for just the Operations array.
Result<std::vector<PatchOperation>> ParsePatchOperations(const nlohmann::json& operations);

// Applies `operations` in order to a copy of `resource`.
Result<nlohmann::json> ApplyPatch(const nlohmann::json& resource, const std::vector<PatchOperation>& operations,
                                  const ResourceSchema& schema, const PatchOptions& options = {});
// Convenience: parses a PatchOp request body, then applies it.
Result<nlohmann::json> ApplyPatchRequest(const nlohmann::json& resource, const nlohmann::json& body,
                                         const ResourceSchema& schema, const PatchOptions& options = {});

// Turns "True"/"False" strings (any case) into booleans wherever the schema says an
// attribute or sub-attribute is boolean, including inside extension objects and
// multi-valued values. For POST and PUT bodies from Entra ID. Other values are left
// alone for validation to report.
void CoerceBooleanStrings(nlohmann::json& resource, const ResourceSchema& schema);

// What a Group PATCH does to the membership, computed without the member list.
// If `replace_all` is set the new membership is exactly `replacement` (in order,
// without duplicates) and `add`/`remove` are empty; otherwise the new membership is
// the current one plus `add` minus `remove` (the two never share an id). `group` is
// the group with every operation on other attributes applied; it never has "members".
struct MemberChanges {
  bool replace_all = false;
  std::vector<std::string> replacement;
  std::vector<std::string> add;
  std::vector<std::string> remove;
  nlohmann::json group;
};

// `group` is the current group without its members (a "members" key is ignored).
// Member operations supported: add/replace members (value: member objects with a
// string "value"), remove members (everything), remove members with "value" items
// (Entra ID), remove members[value eq "id"] (also or-ed: value eq "a" or value eq "b"),
// and members inside a path-less add/replace value. A member filter on anything but
// value, or a path into a member's sub-attributes, is invalidPath / invalidFilter
// because it would need the member list.
Result<MemberChanges> PlanMemberChanges(const nlohmann::json& group, const std::vector<PatchOperation>& operations,
                                        const PatchOptions& options = {});

}  // namespace dirbridge::scim
