// functions/router: the edge module. Stateless (no storage): it decides once, for
// every request, which tenant module runs it and for which tenant, or answers
// directly what needs no storage.
//
//   a target over kMaxUrlBytes               414, answered here
//   a method not served (CONNECT, TRACE, ..) 501, answered here
//   /  and  /health                          200, answered here
//   /t/{tenant}/scim/v2/...                  module "scim",  route = segments after scim/v2
//                                            (bearer token's MAC and tenant checked here:
//                                            401 at the edge, tenancy/bearer_token.h)
//   /t/{tenant}/hooks/okta/{connection}      module "webhooks", route = ["okta", connection]
//                                            (GET or POST; the hook secret's MAC, tenant and
//                                            connection checked here: 401 at the edge)
//   /admin/v1/...                            module "admin", route = segments after admin/v1
//                                            (admin token, or the console's session cookie
//                                            with X-CSRF-Token on writes, checked here:
//                                            401 / 403 at the edge, tenancy/admin_auth.h)
//   /console/session                         the console's sign-in, answered here
//                                            (console_session_route.h); the console's
//                                            pages are the host's, GET /console/...
//   /t/{tenant}/hooks/signed/{connection}/{gate}
//                                            module "webhooks", route = ["signed", c]
//                                            (the gate, a MAC of tenant and connection
//                                            under the token key, checked here: a wrong
//                                            or missing one is the 404 of an unknown
//                                            endpoint, tenancy/hook_url_gate.h; then a
//                                            request without the three webhook-* headers
//                                            is 401 here; the Standard Webhooks signature
//                                            is checked by the module, with the
//                                            connection's sealed secret)
//   POST /t/{tenant}/google/push/{connection}
//                                            module "gworkspace", route = ["push", c]
//                                            (X-Goog-Channel-Token, a dbc1 token, checked
//                                            here: its MAC, tenant and connection; 401)
//   POST /t/{tenant}/enterpriseapi.php       module "custom_api", route = ["enterpriseapi.php"]
//                                            (the LastPass-compatible API: cid and provhash
//                                            travel in the body, so the module checks them
//                                            against the provhash index, as graph does)
//   POST /t/{tenant}/federation/k2           module "federation", route = ["k2"]
//                                            (federated login's K2: the credential is the
//                                            ID token in the body, checked by the module)
//   POST /admin/v1/tenants                   the new tenant's id is chosen here (the
//                                            admin's, or generated), since it names the
//                                            storage that will hold the tenant
//   anything else                            404, answered here
//
// Errors are SCIM errors (RFC 7644 §3.12) on SCIM paths and the API error of
// core/api_error.h everywhere else. On Workers the tenant is a Durable Object.
#pragma once

#include <string_view>

#include "core/env.h"
#include "core/http_message.h"

namespace dirbridge::router {

inline constexpr const char* kScimModule = "scim";
inline constexpr const char* kAdminModule = "admin";
inline constexpr const char* kWebhooksModule = "webhooks";
inline constexpr const char* kGworkspaceModule = "gworkspace";
inline constexpr const char* kGraphModule = "graph";
inline constexpr const char* kCustomApiModule = "custom_api";
inline constexpr const char* kFederationModule = "federation";

// True for /t/{tenant}/scim/v2[/...] (empty segments ignored, segments decoded
// where they can be): the paths whose errors are SCIM errors.
bool IsScimPath(std::string_view path);

RouteDecision Route(const HttpRequest& request, Env& env);

}  // namespace dirbridge::router
