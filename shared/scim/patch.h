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
//     that sub-attribute of each); a missing attribute is added; a value path that
//     selects nothing is noTarget (in Entra ID's dialect, a filter that is an `and`
//     of `sub eq literal` terms on declared sub-attributes creates the value instead,
//     PatchOptions::unmatched_filter_adds_value);
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
//     {"value": string} (Entra ID sends the enterprise manager that way); null
//     sub-attributes are unassigned; in Entra ID's dialect a one-element array given
//     for a single-valued complex attribute stands for its element (the manager as
//     [{"$ref":null,"value":"id"}], PatchOptions::single_element_array_for_complex);
//   - an attribute the schema does not define is invalidPath.
//
// For Groups, PlanMemberChanges turns the same operations into members to add and
// remove (a MembershipChange), so a store can update a large membership without
// loading it.
//
// The work is bounded and linear in the request's size (scim/patch_limits.h): at
// most kMaxPatchOperations (1000) operations per PATCH, kMaxMembersPerRequest (200)
// member values per request (summed over the operations; also the "members" of a
// group POST/PUT), and kMaxAttributeValuesPerRequest (1000) values added to (or listed
// for removal from) one multi-valued attribute; past a bound the answer is 400
// tooMany with the count and the limit, and nothing changes. An add looks for an
// equivalent value through a hash set of the values' canonical keys, and the member
// planner through hash indexes, so neither compares each value with every other.
//
// This header is the whole public interface; the work is split by concept:
//   patch_options.h     PatchOptions, what differs between IdPs
//   patch_operations.h  a PatchOp body read into PatchOperations
//   patch_apply.h       ApplyPatch (patch_target, patch_prepare, patch_value, patch_errors
//                       are its internal parts)
//   patch_coercion.h    "True"/"False" strings on boolean attributes
//   member_plan.h       PlanMemberChanges, a Group PATCH's member changes
//   patch_limits.h      the bounds on one request's work
#pragma once

#include "scim/member_plan.h"
#include "scim/patch_apply.h"
#include "scim/patch_coercion.h"
#include "scim/patch_limits.h"
#include "scim/patch_operations.h"
#include "scim/patch_options.h"
