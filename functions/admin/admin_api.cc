#include "admin_api.h"

#include <charconv>
#include <string>

#include <nlohmann/json.hpp>

#include "core/api_error.h"
#include "core/api_response.h"
#include "core/json_input.h"
#include "audit_api.h"
#include "connections_api.h"
#include "deprovisioning_api.h"
#include "groups_api.h"
#include "precedence_api.h"
#include "effects_api.h"
#include "event_feed_api.h"
#include "google_api.h"
#include "graph_api.h"
#include "guardrail_api.h"
#include "request_params.h"
#include "federation_api.h"
#include "rules_api.h"
#include "users_api.h"
#include "model/json_fields.h"
#include "effects/outbox.h"
#include "normalize/okta_events.h"
#include "normalize/okta_system_log.h"
#include "provision/event_log.h"
#include "provision/source_event_applier.h"
#include "tenancy/admin_auth.h"
#include "tenancy/connection.h"
#include "tenancy/hook_deliveries.h"
#include "tenancy/hook_url_gate.h"
#include "tenancy/provisioning_hash.h"
#include "tenancy/sealed_secrets.h"
#include "tenancy/tenant.h"

namespace dirbridge::admin {
namespace {

using nlohmann::json;

HttpResponse CreateTenantHere(const HttpRequest& request, KvStore& store, Env& env) {
  auto body = ObjectBody(request);
  if (!body.ok()) return ApiErrorResponse(body.error());
  std::string name;
  if (auto s = json_fields::ReadString(*body, "name", "", &name); !s.ok()) return ApiErrorResponse(s.error());
  if (name.size() > 200) return ApiErrorResponse(InvalidInput("tenant name is longer than 200 characters"));
  auto tenant = CreateTenant(store, env, request.tenant, name.empty() ? request.tenant : name);
  if (!tenant.ok()) return ApiErrorResponse(tenant.error());
  auto r = ApiJsonResponse(201, TenantToJson(*tenant));
  r.headers["location"] = request.origin + "/admin/v1/tenants/" + tenant->id;
  return r;
}

// Where a custom connection's scripts post, its cid and (once) its provhash.
json CustomApiView(const HttpRequest& request, const std::string& provhash) {
  return {{"url", request.origin + "/t/" + request.tenant + "/enterpriseapi.php"},
          {"cid", request.tenant},
          {"provhash", provhash},
          {"note", "the provhash is shown only once; dirbridge stores only its hash"}};
}

// POST .../connections/{c}/provhash: a new provisioning hash; the old one stops working.
HttpResponse RotateProvisioningHashHere(const HttpRequest& request, KvStore& store, Env& env, const Connection& c) {
  auto provhash = RotateProvisioningHash(store, env, request.tenant, c.id);
  if (!provhash.ok()) return ApiErrorResponse(provhash.error());
  json out = CustomApiView(request, *provhash);
  out["connection"] = c.id;
  return ApiJsonResponse(200, out);
}

HttpResponse CreateConnectionHere(const HttpRequest& request, KvStore& store, Env& env) {
  auto body = ObjectBody(request);
  if (!body.ok()) return ApiErrorResponse(body.error());
  std::string kind;
  if (auto s = json_fields::ReadString(*body, "kind", "", &kind); !s.ok()) return ApiErrorResponse(s.error());
  if (kind.empty()) {
    return ApiErrorResponse(InvalidInput(std::string("'kind' is required: one of ") + KnownConnectionKinds()));
  }
  ConnectionOptions options;
  if (auto s = json_fields::ReadString(*body, "hookHeader", "", &options.hook_header); !s.ok()) {
    return ApiErrorResponse(s.error());
  }
  if (auto s = json_fields::ReadString(*body, "appId", "", &options.app_id); !s.ok()) return ApiErrorResponse(s.error());
  auto issued = CreateConnection(store, env, request.tenant, kind, options);
  if (!issued.ok()) return ApiErrorResponse(issued.error());
  const auto& c = issued->connection;
  json out = {{"id", c.id},
              {"tenant", request.tenant},
              {"kind", c.kind},
              {"created", c.created},
              {"token", issued->token},
              {"scimBaseUrl", TenantScimBaseUrl(request.origin, request.tenant)},
              {"note", "the token is shown only once; dirbridge stores only its hash"}};
  if (!issued->hook_secret.empty()) {
    out["eventHook"] = {{"url", TenantOktaHookUrl(request.origin, request.tenant, c.id)},
                        {"header", c.hook_header},
                        {"secret", issued->hook_secret},
                        {"events", okta::HandledEventTypes()},
                        {"note", "give Okta this URL, header name and secret; the secret is shown only once and "
                                 "dirbridge stores only its hash"}};
    if (!c.app_id.empty()) out["eventHook"]["appId"] = c.app_id;
  }
  if (!issued->provhash.empty()) out["customApi"] = CustomApiView(request, issued->provhash);
  if (c.kind == ConnectionKind::kSignedWebhook) {
    // Its Standard Webhooks signing secret: made here, shown once, stored sealed. If it
    // cannot be sealed (no DIRBRIDGE_SECRET_KEY) the answer is a 503 and the host
    // undoes the whole call, connection included.
    auto url = TenantSignedHookUrl(env, request.origin, request.tenant, c.id);
    if (!url.ok()) return ApiErrorResponse(url.error());
    const std::string secret = NewWebhookSigningSecret(env);
    auto info = PutConnectionSecret(store, env, request.tenant, c.id, kWebhookSigningSecretName, secret);
    if (!info.ok()) return ApiErrorResponse(info.error());
    out["webhookUrl"] = std::move(*url);
    out["webhookSecret"] = secret;
    out["webhookSecretFingerprint"] = info->fingerprint;
    out["note"] =
        "the token and the webhook secret are shown only once; dirbridge keeps the token's hash and the secret "
        "sealed";
  }
  return ApiJsonResponse(201, out);
}

HttpResponse ReadHookStatsHere(const HttpRequest& request, KvStore& store, const std::string& connection_id) {
  auto connection = GetConnection(store, request.tenant, connection_id);
  if (!connection.ok()) return ApiErrorResponse(connection.error());
  if (!ReceivesEventHooks(connection->kind)) {
    return ApiErrorResponse(NotFound("connection '" + connection_id + "' does not receive event hooks"));
  }
  auto stats = ReadSourceStats(store, request.tenant, connection_id);
  if (!stats.ok()) return ApiErrorResponse(stats.error());
  json out = *stats;
  out["connection"] = connection_id;
  out["header"] = connection->hook_header;
  if (!connection->app_id.empty()) out["appId"] = connection->app_id;
  return ApiJsonResponse(200, out);
}

HttpResponse ReadConnectionHere(const HttpRequest& request, KvStore& store, Env& env, const Connection& c) {
  auto secrets = ListConnectionSecrets(store, request.tenant, c.id);
  if (!secrets.ok()) return ApiErrorResponse(secrets.error());
  json listed = json::array();
  for (const auto& s : *secrets) listed.push_back(SecretInfoToJson(s));
  json out = {{"id", c.id}, {"tenant", request.tenant}, {"kind", c.kind}, {"created", c.created}, {"secrets", listed}};
  if (c.kind == ConnectionKind::kSignedWebhook) {
    // What its events did, counted by the engine's applier, and the replayed
    // deliveries the transport acknowledged without effect.
    auto stats = ReadSourceStats(store, request.tenant, c.id);
    if (!stats.ok()) return ApiErrorResponse(stats.error());
    auto replays = ReplayCount(store, request.tenant, c.id);
    if (!replays.ok()) return ApiErrorResponse(replays.error());
    auto url = TenantSignedHookUrl(env, request.origin, request.tenant, c.id);
    if (!url.ok()) return ApiErrorResponse(url.error());
    out["webhookUrl"] = std::move(*url);
    out["deliveries"] = std::move(*stats);
    out["deliveries"]["replays"] = *replays;
  }
  if (c.kind == ConnectionKind::kGoogle) {
    auto google = GoogleView(store, request.tenant, c);
    if (!google.ok()) return ApiErrorResponse(google.error());
    out["google"] = std::move(*google);
  }
  if (c.kind == ConnectionKind::kEntra) {
    auto graph = GraphView(store, request.tenant, c);
    if (!graph.ok()) return ApiErrorResponse(graph.error());
    if (*graph) out["graph"] = std::move(**graph);
  }
  return ApiJsonResponse(200, out);
}

// PUT .../secrets/{name}: {"value": "..."} sets the value given; {"generate": true}
// makes a Standard Webhooks signing secret and shows it this once. Either way the
// answer carries the fingerprint, never a stored value.
// Arms the Okta System Log catch-up of an okta connection once both its org URL and
// API token are set (normalize/okta_system_log.h): a poll timer of module webhooks,
// due now. Returns whether it did.
Result<bool> ArmOktaCatchup(KvStore& store, Env& env, std::string_view tenant, const Connection& c) {
  if (c.kind != ConnectionKind::kOkta) return false;
  DB_ASSIGN_OR_RETURN(auto token, GetConnectionSecretInfo(store, tenant, c.id, okta::kApiTokenSecretName));
  DB_ASSIGN_OR_RETURN(auto org, GetConnectionSecretInfo(store, tenant, c.id, okta::kOrgUrlSecretName));
  if (!token || !org) return false;
  Transaction txn(store);
  effects::Outbox outbox(txn, env, std::string(tenant), okta::kCatchupModule);
  const json state = {{"connection", c.id},
                      {"armed", okta::ArmedMark(token->fingerprint, token->updated, org->fingerprint, org->updated)}};
  DB_ASSIGN_OR_RETURN(auto id, outbox.WakeAt(env.NowMillis(), okta::kCatchupPollContinuation, state));
  (void)id;
  DB_RETURN_IF_ERROR(txn.Commit());
  return true;
}

HttpResponse PutSecretHere(const HttpRequest& request, KvStore& store, Env& env, const Connection& c,
                           const std::string& name) {
  if (!IsValidSecretName(name)) {
    return ApiErrorResponse(InvalidInput("secret name must be 1 to 64 characters a-z, 0-9, '-', '_' or '.'"));
  }
  auto body = ObjectBody(request);
  if (!body.ok()) return ApiErrorResponse(body.error());
  bool generate = false;
  if (auto s = json_fields::ReadBool(*body, "generate", "", &generate); !s.ok()) return ApiErrorResponse(s.error());
  auto value_it = body->find("value");
  const bool has_value = value_it != body->end() && !value_it->is_null();
  if (has_value == generate) {
    return ApiErrorResponse(InvalidInput("give exactly one of 'value' (a string) or 'generate': true"));
  }
  if (has_value && !value_it->is_string()) return ApiErrorResponse(InvalidInput("'value' must be a string"));
  const std::string value = generate ? NewWebhookSigningSecret(env) : value_it->get<std::string>();
  if (name == okta::kOrgUrlSecretName && c.kind == ConnectionKind::kOkta && !okta::NormalizeOrgUrl(value)) {
    return ApiErrorResponse(InvalidInput("okta-org-url must be https://{yourOktaDomain} (no path)"));
  }
  auto before = GetConnectionSecretInfo(store, request.tenant, c.id, name);
  if (!before.ok()) return ApiErrorResponse(before.error());
  auto info = PutConnectionSecret(store, env, request.tenant, c.id, name, value);
  if (!info.ok()) return ApiErrorResponse(info.error());
  json out = SecretInfoToJson(*info);
  out["connection"] = c.id;
  if (name == okta::kOrgUrlSecretName || name == okta::kApiTokenSecretName) {
    auto armed = ArmOktaCatchup(store, env, request.tenant, c);
    if (!armed.ok()) return ApiErrorResponse(armed.error());
    if (*armed) out["catchup"] = "armed";
  }
  if (generate) {
    out["value"] = value;
    out["note"] = "the generated secret is shown only once; dirbridge keeps it sealed";
  }
  return ApiJsonResponse(*before ? 200 : 201, out);
}

HttpResponse SecretsHere(const HttpRequest& request, KvStore& store, Env& env) {
  const auto& r = request.route;  // ["tenants", t, "connections", c, ...]
  auto connection = GetConnection(store, request.tenant, r[3]);
  if (!connection.ok()) return ApiErrorResponse(connection.error());
  if (r.size() == 4) {
    if (request.method != "GET") return ApiMethodNotAllowed("GET, DELETE");
    return ReadConnectionHere(request, store, env, *connection);
  }
  if (r[4] == "google" && r.size() == 5) {
    if (request.method != "PUT") return ApiMethodNotAllowed("PUT");
    auto body = ObjectBody(request);
    if (!body.ok()) return ApiErrorResponse(body.error());
    return PutGoogleSettingsHere(request, store, env, *connection, *body);
  }
  if (r[4] == "google" && r.size() == 6 && r[5] == "reconcile") {
    if (request.method != "POST") return ApiMethodNotAllowed("POST");
    return StartGoogleReconcileHere(request, store, env, *connection);
  }
  if (r[4] == "graph" && r.size() == 5) {
    if (request.method != "PUT") return ApiMethodNotAllowed("PUT");
    auto body = ObjectBody(request);
    if (!body.ok()) return ApiErrorResponse(body.error());
    return PutGraphSettingsHere(request, store, env, *connection, *body);
  }
  if (r[4] == "graph" && r.size() == 6 && r[5] == "catchup") {
    if (request.method != "POST") return ApiMethodNotAllowed("POST");
    return StartGraphCatchUpHere(request, store, env, *connection);
  }
  if (r[4] == "provhash" && r.size() == 5) {
    if (request.method != "POST") return ApiMethodNotAllowed("POST");
    return RotateProvisioningHashHere(request, store, env, *connection);
  }
  if (r[4] != "secrets" || r.size() > 6) return ApiErrorResponse(NotFound("no such admin endpoint: " + request.path));
  if (r.size() == 5) {
    if (request.method != "GET") return ApiMethodNotAllowed("GET");
    auto secrets = ListConnectionSecrets(store, request.tenant, connection->id);
    if (!secrets.ok()) return ApiErrorResponse(secrets.error());
    json listed = json::array();
    for (const auto& s : *secrets) listed.push_back(SecretInfoToJson(s));
    return ApiJsonResponse(200, {{"connection", connection->id}, {"secrets", listed}});
  }
  const std::string& name = r[5];
  if (request.method == "PUT") return PutSecretHere(request, store, env, *connection, name);
  if (request.method == "GET") {
    auto info = GetConnectionSecretInfo(store, request.tenant, connection->id, name);
    if (!info.ok()) return ApiErrorResponse(info.error());
    if (!*info) return ApiErrorResponse(NotFound("connection " + connection->id + " has no secret '" + name + "'"));
    return ApiJsonResponse(200, SecretInfoToJson(**info));
  }
  if (request.method == "DELETE") {
    auto removed = DeleteConnectionSecret(store, request.tenant, connection->id, name);
    if (!removed.ok()) return ApiErrorResponse(removed.error());
    if (!*removed) return ApiErrorResponse(NotFound("connection " + connection->id + " has no secret '" + name + "'"));
    return ApiNoContent();
  }
  return ApiMethodNotAllowed("GET, PUT, DELETE");
}

HttpResponse ReadEventsHere(const HttpRequest& request, KvStore& store) {
  auto params = ParseQuery(request.query);
  auto after = UnsignedParam(params, "after", 0, UINT64_MAX, 0);
  if (!after.ok()) return ApiErrorResponse(after.error());
  auto limit = UnsignedParam(params, "limit", 1, 1000, 100);
  if (!limit.ok()) return ApiErrorResponse(limit.error());
  auto events = ReadEvents(store, request.tenant, *after, *limit);
  if (!events.ok()) return ApiErrorResponse(events.error());
  json out = {{"events", *events}};
  if (!events->empty()) out["last"] = events->back()["sequence"];
  return ApiJsonResponse(200, out);
}

}  // namespace

HttpResponse Handle(const HttpRequest& request, KvStore& store, Env& env) {
  if (auto auth = AuthenticateAdminRequest(env, request); !auth.ok()) {
    return ApiErrorResponse(auth.error());
  }
  if (request.tenant.empty()) return ApiErrorResponse(Internal("request reached a tenant without a tenant id"));
  const auto& r = request.route;
  if (r.empty() || r[0] != "tenants") return ApiErrorResponse(NotFound("no such admin endpoint: " + request.path));
  if (r.size() == 1) {
    if (request.method != "POST") return ApiMethodNotAllowed("POST");
    return CreateTenantHere(request, store, env);
  }
  if (r[1] != request.tenant) return ApiErrorResponse(Internal("admin request routed to the wrong tenant"));
  auto tenant = GetTenant(store, request.tenant);
  if (!tenant.ok()) return ApiErrorResponse(tenant.error());
  if (r.size() == 2) {
    if (request.method != "GET") return ApiMethodNotAllowed("GET");
    return ApiJsonResponse(200, TenantToJson(*tenant));
  }
  if (r.size() == 3 && r[2] == "connections") {
    if (request.method == "GET") return ListConnectionsHere(request, store);
    if (request.method != "POST") return ApiMethodNotAllowed("GET, POST");
    return CreateConnectionHere(request, store, env);
  }
  if (r.size() == 4 && r[2] == "connections" && request.method == "DELETE") {
    return RevokeConnectionHere(request, store, env, r[3]);
  }
  if (r.size() == 5 && r[2] == "connections" && r[4] == "token") {
    if (request.method != "POST") return ApiMethodNotAllowed("POST");
    return RotateTokenHere(request, store, env, r[3]);
  }
  if (r.size() == 5 && r[2] == "connections" && r[4] == "deprovisioning") {
    return DeprovisioningHere(request, store, r[3]);
  }
  if (r.size() >= 3 && r[2] == "users") return HandleUsers(request, store, env);
  if (r.size() >= 3 && r[2] == "groups") return HandleGroups(request, store, env);
  if (r.size() >= 3 && (r[2] == "guardrail" || r[2] == "pending")) return HandleGuardrail(request, store, env);
  if (r.size() >= 3 && r[2] == "rules") return HandleRules(request, store, env);
  if (r.size() >= 4 && r[2] == "federation") return HandleFederation(request, store, env);
  if (r.size() == 3 && r[2] == "precedence") return HandlePrecedence(request, store, env);
  if (r.size() == 3 && r[2] == "audit") return ReadAuditHere(request, store);
  if (r.size() == 5 && r[2] == "connections" && r[4] == "hook") {
    if (request.method != "GET") return ApiMethodNotAllowed("GET");
    return ReadHookStatsHere(request, store, r[3]);
  }
  if (r.size() >= 4 && r[2] == "connections") return SecretsHere(request, store, env);
  if (r.size() == 3 && r[2] == "events") {
    if (request.method != "GET") return ApiMethodNotAllowed("GET");
    return ReadEventsHere(request, store);
  }
  if (r.size() >= 3 && r[2] == "effects") return HandleEffects(request, store, env);
  if (r.size() >= 4 && r[2] == "events" && r[3] == "delivery") return HandleEventDelivery(request, store, env);
  return ApiErrorResponse(NotFound("no such admin endpoint: " + request.path));
}

}  // namespace dirbridge::admin
