// Federated login in the admin API (shared/key_fragments/federation_admin.h). Under
// /admin/v1/tenants/{tenant}/federation:
//
//   GET    .../idps                      {"idps": [idp...]}
//   PUT    .../idps/{connection}         {"issuer", "clientId", "jwksUri", "userClaim"?,
//                                         "matchBy"?, "leewaySeconds"?, "by"?}
//          201 trusted / 200 replaced, answering the idp; the IdP's JWKS is fetched
//          at once (an effect); 400 naming the key at fault, 404 no such connection,
//          409 revoked, or another connection already trusts that issuer
//   GET    .../idps/{connection}         the idp; 404 none
//   DELETE .../idps/{connection}         204: its tokens open nothing from now on
//   GET    .../users/{user}              {"user", "enrolled", "generation"?, "created"?,
//                                         "rotated"?} (never K2)
//   POST   .../users/{user}/rotate       {"by"?}: a new K2; 409 not enrolled
//   DELETE .../users/{user}/k2           {"by"?}: 204; the next login enrolls afresh
//
// An idp: {"connection", "issuer", "clientId", "jwksUri", "userClaim", "matchBy",
// "leewaySeconds", "updated", "by"?, "keys": {"keys": [{"kid","kty","alg"}...],
// "jwksUri", "fetchedAt", "requestedAt", "lastError"?}}.
#pragma once

#include "core/env.h"
#include "core/http_message.h"

namespace dirbridge {
class KvStore;
}  // namespace dirbridge

namespace dirbridge::admin {

// route = ["tenants", t, "federation", ...]; the tenant exists.
HttpResponse HandleFederation(const HttpRequest& request, KvStore& store, Env& env);

}  // namespace dirbridge::admin
