// The PATCH behaviour that differs between identity providers (scim/patch.h). The
// defaults follow RFC 7644; a connection's dialect (normalize/scim_dialect.h) picks
// the rest.
#pragma once

namespace dirbridge::scim {

struct PatchOptions {
  // RFC 7644 §3.5.2.3 says a replace (or add) through a value-path filter that selects
  // nothing fails with noTarget. Entra ID relies on it creating the value instead
  // (e.g. replace emails[type eq "work"].value on a user with no work email): when
  // set, a new value is appended, seeded with the filter's terms. Only a filter that
  // is an `and` of `sub eq literal` terms on declared sub-attributes seeds a value,
  // and the new value must satisfy the filter; any other filter (or, not, other
  // operators, undeclared sub-attributes) is still noTarget.
  bool unmatched_filter_adds_value = false;
  // Strings "true"/"false" (any case) given for boolean attributes become booleans.
  bool coerce_boolean_strings = true;
  // A one-element array given for a single-valued complex attribute stands for its
  // element. Entra ID adds the enterprise manager as
  // {"op":"Add","path":"manager","value":[{"$ref":null,"value":"<id>"}]} (Microsoft's
  // own tutorial); its null "$ref", like any null sub-attribute, is unassigned.
  // Without it such an array is invalidValue, as RFC 7643 §2.4 says.
  bool single_element_array_for_complex = false;

  // The dialect Entra ID needs.
  static PatchOptions EntraId() {
    PatchOptions o;
    o.unmatched_filter_adds_value = true;
    o.single_element_array_for_complex = true;
    return o;
  }
};

}  // namespace dirbridge::scim
