// What differs between IdPs' SCIM clients, in one place. The engine and the SCIM
// endpoints are the same for everyone; a connection's kind picks the dialect that
// tunes the edges (learned from each IdP's documentation):
//   entra     capitalised ops, "True"/"False" strings, replace on an unmatched
//             value filter adds the value, the manager as a one-element array,
//             user PATCH answered 204
//   okta      full-user PUT, PATCH {"op":"replace","value":{"active":false}}, group
//             push with members[value eq "x"] removals and full member replaces
//   onelogin  SCIM 1.1-era shapes in user bodies (normalize/scim11_shapes.h)
//   pingone, jumpcloud, google, ad, custom: RFC 7644 as written
// Lenient parsing that no client could be hurt by (op names in any case, boolean
// strings on boolean attributes) is on for every dialect.
#pragma once

#include <string_view>

#include "model/connection_kind.h"
#include "scim/patch.h"

namespace dirbridge {

struct ScimDialect {
  scim::PatchOptions patch;
  // Answer a successful user PATCH with 204 No Content rather than 200 and the user
  // (both allowed by RFC 7644 §3.5.2). Microsoft's reference server and test
  // collection use 204; Okta and the others document 200 with the user.
  bool user_patch_no_content = false;
  // Accept SCIM 1.1-era shapes in POST and PUT bodies (normalize/scim11_shapes.h):
  // OneLogin's documented user templates send them.
  bool accepts_scim11_shapes = false;
};

ScimDialect DialectFor(ConnectionKind connection_kind);

}  // namespace dirbridge
