#include "router.h"

#include <string>
#include <utility>
#include <vector>

#include "console_session_route.h"
#include "core/api_error.h"
#include "core/json_input.h"
#include "model/json_fields.h"
#include "scim/error_response.h"
#include "tenancy/admin_auth.h"
#include "tenancy/bearer_token.h"
#include "tenancy/hook_url_gate.h"
#include "tenancy/tenant.h"

namespace dirbridge::router {
namespace {

RouteDecision Answer(HttpResponse response) {
  RouteDecision d;
  d.response = std::move(response);
  return d;
}

RouteDecision ApiError(const Error& error) { return Answer(ApiErrorResponse(error)); }

RouteDecision ToModule(const HttpRequest& request, const char* module, std::string tenant,
                       std::vector<std::string> route) {
  RouteDecision d;
  d.module = module;
  d.request = request;
  d.request.tenant = std::move(tenant);
  d.request.route = std::move(route);
  return d;
}

RouteDecision MethodNotAllowed(const char* allow) {
  auto r = ApiErrorResponse(MethodNotAllowedError(std::string("method not allowed here; use ") + allow));
  r.headers["allow"] = allow;
  return Answer(std::move(r));
}

bool IsScimMount(const std::vector<std::string>& s) {
  return s.size() >= 4 && s[0] == "t" && s[2] == "scim" && s[3] == "v2";
}

// POST /admin/v1/tenants: the tenant id is chosen here (by the admin, or generated),
// because it names the storage that will hold the tenant.
RouteDecision RouteTenantCreation(const HttpRequest& request, Env& env, std::vector<std::string> route) {
  auto body = ParseJson(request.body.empty() ? std::string_view("{}") : std::string_view(request.body));
  if (!body.ok()) return ApiError(body.error());
  if (!body->is_object()) return ApiError(InvalidInput("body must be a JSON object"));
  std::string id;
  if (auto s = json_fields::ReadString(*body, "id", "", &id); !s.ok()) return ApiError(s.error());
  if (id.empty()) id = NewTenantId(env);
  if (!IsValidTenantId(id)) {
    return ApiError(InvalidInput("tenant id '" + id +
                                 "' is invalid: use 3 to 63 characters a-z, 0-9 and '-', not starting or ending "
                                 "with '-'"));
  }
  return ToModule(request, kAdminModule, std::move(id), std::move(route));
}

// /admin/...: every admin request needs the admin token (or the console's session),
// checked here so that an
// unauthenticated request never reaches a tenant's storage.
RouteDecision RouteAdmin(const HttpRequest& request, const std::vector<std::string>& s, Env& env) {
  if (auto auth = AuthenticateAdminRequest(env, request); !auth.ok()) return ApiError(auth.error());
  if (s.size() < 3 || s[1] != "v1" || s[2] != "tenants") {
    return ApiError(NotFound("no such admin endpoint: " + request.path));
  }
  std::vector<std::string> route(s.begin() + 2, s.end());  // after the mount point /admin/v1
  if (s.size() == 3) {
    if (request.method != "POST") return MethodNotAllowed("POST");
    return RouteTenantCreation(request, env, std::move(route));
  }
  if (!IsValidTenantId(s[3])) return ApiError(NotFound("no tenant '" + s[3] + "'"));
  return ToModule(request, kAdminModule, s[3], std::move(route));
}

// An error in the shape of the path: SCIM errors under /t/{tenant}/scim/v2, the API
// error elsewhere.
RouteDecision ErrorFor(const HttpRequest& request, const Error& error) {
  return Answer(IsScimPath(request.path) ? scim::ErrorResponse(error) : ApiErrorResponse(error));
}

// /t/{tenant}/scim/v2/...: the bearer token must be one of ours (its MAC holds under
// the deployment's token key) and name this tenant, checked here so that a request
// without such a token never reaches (or creates) the tenant's storage. The tenant
// module then checks the token against the connection it names.
Status AuthenticateAtEdge(const HttpRequest& request, Env& env, std::string_view tenant) {
  DB_ASSIGN_OR_RETURN(auto key, TokenKey(env));
  DB_ASSIGN_OR_RETURN(auto token, ExtractBearerToken(request.Header("authorization")));
  DB_ASSIGN_OR_RETURN(auto fields, VerifyBearerToken(key, token));
  if (fields.tenant != tenant) return Unauthorized("bearer token is not valid for this tenant");
  return Status::Ok();
}

bool IsOktaHookMount(const std::vector<std::string>& s) {
  return s.size() == 5 && s[0] == "t" && s[2] == "hooks" && s[3] == "okta";
}

// /t/{tenant}/hooks/okta/{connection}: the hook secret's MAC must hold and name this
// tenant and connection, checked here so that a delivery without one never reaches
// (or creates) the tenant's storage. Okta sends it in a header the admin names
// ("Authorization" unless the connection says otherwise); the edge does not know
// which, so it takes Authorization, else the one header whose value is a dbh1 secret.
// The tenant module then checks the configured header against the stored hash.
Status AuthenticateHookAtEdge(const HttpRequest& request, Env& env, std::string_view tenant,
                              std::string_view connection) {
  DB_ASSIGN_OR_RETURN(auto key, TokenKey(env));
  const std::string authorization = request.Header("authorization");  // Header() returns a copy: keep it alive
  std::string_view secret = HookSecretIn(authorization);
  if (!ParseHookSecret(secret)) {
    secret = {};
    for (const auto& [name, value] : request.headers) {
      if (ParseHookSecret(HookSecretIn(value))) {
        secret = HookSecretIn(value);
        break;
      }
    }
  }
  if (secret.empty()) return Unauthorized("missing hook secret: send it in the header configured for this connection");
  DB_ASSIGN_OR_RETURN(auto fields, VerifyHookSecret(key, secret));
  if (fields.tenant != tenant || fields.connection_id != connection) {
    return Unauthorized("hook secret is not valid for this hook");
  }
  return Status::Ok();
}

bool IsConnectionId(std::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// The answer to a path that names nothing here. A signed-webhook URL with a wrong or
// missing gate gets it too, so the answer tells nothing of the tenant or connection.
RouteDecision NoSuchEndpoint(const HttpRequest& request) {
  return ApiError(NotFound("no such endpoint: " + request.path));
}

// /t/{tenant}/hooks/signed/{connection}/{gate}: only a URL dirbridge issued (its gate
// holds under the token key, tenancy/hook_url_gate.h) and a request that could be a
// signed delivery reach (or create) the tenant's storage. The module gets the route
// without the gate.
RouteDecision RouteHook(const HttpRequest& request, const std::vector<std::string>& s, Env& env) {
  if (s.size() != 6 || s[3] != "signed" || !IsValidTenantId(s[1]) || !IsConnectionId(s[4])) {
    return NoSuchEndpoint(request);
  }
  auto key = TokenKey(env);
  if (!key.ok()) return ApiError(key.error());
  if (!SignedHookGateHolds(*key, s[1], s[4], s[5])) return NoSuchEndpoint(request);
  if (request.method != "POST") return MethodNotAllowed("POST");
  for (const char* header : {"webhook-id", "webhook-timestamp", "webhook-signature"}) {
    if (request.Header(header).empty()) {
      return ApiError(Unauthorized(std::string("the ") + header + " header is missing (Standard Webhooks)"));
    }
  }
  return ToModule(request, kWebhooksModule, s[1], {s.begin() + 3, s.begin() + 5});
}

// /t/{tenant}/google/push/{connection}: a Google push notification. Its channel
// token (X-Goog-Channel-Token, which dirbridge set when it opened the channel) must
// be a dbc1 token whose MAC holds and names this tenant and connection, so a
// notification that was not sent for one of our channels never reaches (or creates)
// the tenant's storage. The module checks the channel, resource and token's hash.
RouteDecision RouteGooglePush(const HttpRequest& request, const std::vector<std::string>& s, Env& env) {
  if (s.size() != 5 || s[3] != "push" || !IsValidTenantId(s[1]) || !IsConnectionId(s[4])) {
    return NoSuchEndpoint(request);
  }
  if (request.method != "POST") return MethodNotAllowed("POST");
  auto key = TokenKey(env);
  if (!key.ok()) return ApiError(key.error());
  const std::string token = request.Header("x-goog-channel-token");
  if (token.empty()) return ApiError(Unauthorized("X-Goog-Channel-Token is missing"));
  auto fields = VerifyChannelToken(*key, token);
  if (!fields.ok()) return ApiError(fields.error());
  if (fields->tenant != s[1] || fields->connection_id != s[4]) {
    return ApiError(Unauthorized("X-Goog-Channel-Token is not valid for this endpoint"));
  }
  return ToModule(request, kGworkspaceModule, s[1], {s.begin() + 3, s.end()});
}

// /t/{tenant}/graph/notify/{connection}: Graph's validation call or a notification.
// Neither carries anything the edge could check (Graph's clientState is at most 128
// characters, too short for a MAC'ed token of a long tenant id), so the graph module
// checks: the connection's settings, and each item's clientState against its
// subscription's (a forged post reads, and writes nothing).
RouteDecision RouteGraphNotify(const HttpRequest& request, const std::vector<std::string>& s) {
  if (s.size() != 5 || s[3] != "notify" || !IsValidTenantId(s[1]) || !IsConnectionId(s[4])) {
    return NoSuchEndpoint(request);
  }
  if (request.method != "POST") return MethodNotAllowed("POST");
  return ToModule(request, kGraphModule, s[1], {s.begin() + 3, s.end()});
}

// POST /t/{tenant}/enterpriseapi.php: the custom API (LastPass-compatible). Its
// credentials (cid, provhash) are in the JSON body; the edge does not parse bodies, so
// the module checks them (one index read; a wrong one writes nothing).
RouteDecision RouteCustomApi(const HttpRequest& request, const std::vector<std::string>& s) {
  if (!IsValidTenantId(s[1])) return NoSuchEndpoint(request);
  if (request.method != "POST") return MethodNotAllowed("POST");
  return ToModule(request, kCustomApiModule, s[1], {s[2]});
}

// POST /t/{tenant}/federation/k2: federated login's K2 release. Its credential is the
// ID token in the body, which only the module (holding the tenant's trusted IdPs and
// their keys) can check.
RouteDecision RouteFederation(const HttpRequest& request, const std::vector<std::string>& s) {
  if (!IsValidTenantId(s[1]) || s[3] != "k2") return NoSuchEndpoint(request);
  if (request.method != "POST") return MethodNotAllowed("POST");
  return ToModule(request, kFederationModule, s[1], {s[3]});
}

}  // namespace

bool IsScimPath(std::string_view path) {
  std::vector<std::string> s;
  while (!path.empty() && s.size() < 4) {
    auto slash = path.find('/');
    std::string_view seg = path.substr(0, slash);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    if (seg.empty()) continue;
    auto decoded = PercentDecode(seg, false);
    s.push_back(decoded ? std::move(*decoded) : std::string(seg));
  }
  return IsScimMount(s);
}

RouteDecision Route(const HttpRequest& request, Env& env) {
  if (request.path.size() + request.query.size() > kMaxUrlBytes) {
    return ErrorFor(request, UriTooLong("the request target (path and query) is longer than " +
                                        std::to_string(kMaxUrlBytes) + " bytes"));
  }
  if (!IsServedMethod(request.method)) {
    // The method is the client's text: quote at most a little of it.
    return ErrorFor(request, Unsupported("method '" + request.method.substr(0, 32) +
                                         "' is not supported; dirbridge serves GET, HEAD, POST, PUT, PATCH, "
                                         "DELETE and OPTIONS"));
  }
  auto segments = SplitPath(request.path);
  if (!segments) return ErrorFor(request, InvalidInput("malformed percent-escape in the path"));
  const auto& s = *segments;
  if (s.empty() || (s.size() == 1 && s[0] == "health")) {
    HttpResponse ok;
    ok.headers["content-type"] = "application/json";
    ok.body = R"({"service":"dirbridge","status":"ok"})";
    return Answer(std::move(ok));
  }
  if (s[0] == "admin") return RouteAdmin(request, s, env);
  if (s.size() == 2 && s[0] == "console" && s[1] == "session") return Answer(AnswerConsoleSession(request, env));
  if (IsScimMount(s)) {
    if (!IsValidTenantId(s[1])) return Answer(scim::ErrorResponse(NotFound("no tenant '" + s[1] + "'")));
    if (auto auth = AuthenticateAtEdge(request, env, s[1]); !auth.ok()) return Answer(scim::ErrorResponse(auth.error()));
    return ToModule(request, kScimModule, s[1], {s.begin() + 4, s.end()});
  }
  if (IsOktaHookMount(s)) {
    if (!IsValidTenantId(s[1])) return ApiError(NotFound("no tenant '" + s[1] + "'"));
    if (request.method != "GET" && request.method != "POST") return MethodNotAllowed("GET, POST");
    if (auto auth = AuthenticateHookAtEdge(request, env, s[1], s[4]); !auth.ok()) return ApiError(auth.error());
    return ToModule(request, kWebhooksModule, s[1], {s.begin() + 3, s.end()});
  }
  if (s.size() >= 3 && s[0] == "t" && s[2] == "hooks") return RouteHook(request, s, env);
  if (s.size() >= 3 && s[0] == "t" && s[2] == "google") return RouteGooglePush(request, s, env);
  if (s.size() >= 3 && s[0] == "t" && s[2] == "graph") return RouteGraphNotify(request, s);
  if (s.size() == 3 && s[0] == "t" && s[2] == "enterpriseapi.php") return RouteCustomApi(request, s);
  if (s.size() == 4 && s[0] == "t" && s[2] == "federation") return RouteFederation(request, s);
  return NoSuchEndpoint(request);
}

}  // namespace dirbridge::router
