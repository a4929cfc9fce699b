// SCIM 1.1-era shapes that some IdPs still send through SCIM 2.0 endpoints, made
// SCIM 2.0 before the body is read. OneLogin's documented user templates (the
// developer site's "Define user schema") send, for example:
//   "schemas": ["urn:scim:schemas:core:2.0", "urn:scim:schemas:extension:enterprise:1.0"],
//   "emails": {"value": "...", "primary": true},            one object, not a list
//   "urn:scim:schemas:extension:enterprise:1.0": {"department": "...",
//        "manager": {"managerId": "..."}}                    the 1.1 extension name
// Without this every such user would be refused, and its enterprise data dropped.
#pragma once

#include <nlohmann/json.hpp>

namespace dirbridge {

// Rewrites, in place: a multi-valued attribute given as one object becomes a list of
// it; the SCIM 1.1 URNs become their SCIM 2.0 names (in "schemas" and as keys); a
// SCIM 1.1 manager's "managerId" becomes "value". Anything else is left as is.
void NormalizeScim11Shapes(nlohmann::json& resource);

}  // namespace dirbridge
