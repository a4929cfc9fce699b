#include "graph_api.h"

#include "watched_connection.h"

#include <algorithm>

#include "core/api_error.h"
#include "core/api_response.h"
#include "core/timestamp.h"
#include "model/json_fields.h"
#include "normalize/microsoft_graph.h"
#include "tenancy/connection_state.h"
#include "tenancy/graph_client_assertion.h"
#include "tenancy/sealed_secrets.h"

namespace dirbridge::admin {
namespace {

using json_fields::StringAt;
using nlohmann::json;

constexpr std::size_t kMaxClientSecretBytes = 1024;

bool IsGuid(std::string_view id) {
  if (id.size() != 36) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

// An Entra tenant: its id (a GUID) or a verified domain such as contoso.onmicrosoft.com.
bool IsEntraTenant(std::string_view t) {
  if (IsGuid(t)) return true;
  if (t.empty() || t.size() > 253 || t.find('.') == std::string_view::npos) return false;
  return std::all_of(t.begin(), t.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

Result<json> ReadSettings(const json& body, const json& previous) {
  json out = previous.is_object() ? previous : json::object();
  if (auto it = body.find("tenantId"); it != body.end()) {
    if (!it->is_string() || !IsEntraTenant(it->get<std::string>())) {
      return InvalidInput("'tenantId' must be the Entra tenant's id (a GUID) or one of its domains");
    }
    out["tenantId"] = *it;
  }
  if (StringAt(out, "tenantId").empty()) return InvalidInput("'tenantId' is required");
  if (auto it = body.find("clientId"); it != body.end()) {
    if (!it->is_string() || !IsGuid(it->get<std::string>())) {
      return InvalidInput("'clientId' must be the app registration's application (client) id, a GUID");
    }
    out["clientId"] = *it;
  }
  if (StringAt(out, "clientId").empty()) return InvalidInput("'clientId' is required");
  return out;
}

}  // namespace

HttpResponse PutGraphSettingsHere(const HttpRequest& request, KvStore& store, Env& env, const Connection& c,
                                  const json& body) {
  if (c.kind != ConnectionKind::kEntra) {
    return ApiErrorResponse(NotFound("connection '" + c.id + "' is not of kind entra"));
  }
  Transaction txn(store);
  ConnectionState state(txn, std::string(request.tenant), c.id);
  auto previous = state.Read("settings", "current");
  if (!previous.ok()) return ApiErrorResponse(previous.error());
  auto settings = ReadSettings(body, *previous ? **previous : json::object());
  if (!settings.ok()) return ApiErrorResponse(settings.error());
  // The credential: a client secret, or a certificate (its private key and thumbprint);
  // the one given last is used.
  std::string secret, key_pem;
  const bool has_secret = body.contains("clientSecret"), has_certificate = body.contains("certificate");
  if (has_secret && has_certificate) {
    return ApiErrorResponse(InvalidInput("give 'clientSecret' or 'certificate', not both"));
  }
  if (has_secret) {
    const json& it = body["clientSecret"];
    if (!it.is_string() || it.get<std::string>().empty() || it.get<std::string>().size() > kMaxClientSecretBytes) {
      return ApiErrorResponse(InvalidInput("'clientSecret' must be the app registration's client secret (1 to " +
                                           std::to_string(kMaxClientSecretBytes) + " bytes)"));
    }
    secret = it.get<std::string>();
    (*settings)["credential"] = "secret";
    settings->erase("x5t");
  } else if (has_certificate) {
    const json& cert = body["certificate"];
    const std::string pem = cert.is_object() ? StringAt(cert, "privateKeyPem") : std::string();
    if (pem.empty() || pem.size() > kMaxSecretBytes || pem.find("-----BEGIN") == std::string::npos ||
        pem.find("PRIVATE KEY-----") == std::string::npos) {
      return ApiErrorResponse(InvalidInput("'certificate' must be {\"privateKeyPem\": the PEM private key of the "
                                           "certificate uploaded to the app registration, \"thumbprint\"}"));
    }
    auto x5t = graph_credentials::X5tOfThumbprint(cert.is_object() ? StringAt(cert, "thumbprint") : std::string());
    if (!x5t.ok()) return ApiErrorResponse(x5t.error());
    key_pem = pem;
    (*settings)["credential"] = "certificate";
    (*settings)["x5t"] = *x5t;
  } else {
    const bool certificate = StringAt(*settings, "credential") == "certificate";
    auto existing = GetConnectionSecretInfo(store, request.tenant, c.id,
                                            certificate ? graph_credentials::kClientKeySecret : graph::kClientSecretSecret);
    if (!existing.ok()) return ApiErrorResponse(existing.error());
    if (!*existing) {
      return ApiErrorResponse(InvalidInput("'clientSecret' or 'certificate' is required: no credential is set for this "
                                           "connection yet"));
    }
  }
  const NewCredential credential = secret.empty() ? NewCredential{graph_credentials::kClientKeySecret, key_pem}
                                                  : NewCredential{graph::kClientSecretSecret, secret};
  if (auto s = StoreSettingsAndScheduleSetup(request, store, env, txn, state, *settings, graph::kModule,
                                             graph::kSetupContinuation, credential);
      !s.ok()) {
    return ApiErrorResponse(s.error());
  }
  const bool certificate = StringAt(*settings, "credential") == "certificate";
  auto info = GetConnectionSecretInfo(store, request.tenant, c.id,
                                      certificate ? graph_credentials::kClientKeySecret : graph::kClientSecretSecret);
  if (!info.ok()) return ApiErrorResponse(info.error());
  json shown = {{"tenantId", (*settings)["tenantId"]},
                {"clientId", (*settings)["clientId"]},
                {"credential", certificate ? "certificate" : "secret"},
                {"notificationUrl", request.origin + "/t/" + request.tenant + "/graph/notify/" + c.id},
                {"setup", "scheduled"}};
  if (*info) shown["credentialFingerprint"] = (*info)->fingerprint;
  if (certificate) shown["x5t"] = (*settings)["x5t"];
  return ApiJsonResponse(200, {{"connection", c.id}, {"graph", shown}});
}

HttpResponse StartGraphCatchUpHere(const HttpRequest& request, KvStore& store, Env& env, const Connection& c) {
  if (c.kind != ConnectionKind::kEntra) {
    return ApiErrorResponse(NotFound("connection '" + c.id + "' is not of kind entra"));
  }
  return ScheduleOnWatchedConnection(request, store, env, c, graph::kModule, graph::kCatchUpContinuation,
                                     json{{"reason", "admin"}}, "Graph", "catchUp");
}

Result<std::optional<json>> GraphView(KvStore& store, std::string_view tenant, const Connection& c) {
  Transaction txn(store);
  ConnectionState state(txn, std::string(tenant), c.id);
  DB_ASSIGN_OR_RETURN(auto settings, state.Read("settings", "current"));
  if (!settings) return std::optional<json>();
  json view = {{"configured", true}};
  for (const char* name : {"tenantId", "clientId", "credential", "x5t", "updated"}) {
    if (settings->contains(name)) view[name] = (*settings)[name];
  }
  json subscriptions = json::object();
  for (const char* resource : graph::kResources) {
    DB_ASSIGN_OR_RETURN(auto record, state.Read("subscription", resource));
    if (!record) continue;
    json shown = {{"id", StringAt(*record, "id")}};
    if (record->contains("expires") && (*record)["expires"].is_number_integer()) {
      shown["expires"] = FormatRfc3339Millis((*record)["expires"].get<int64_t>());
    }
    subscriptions[resource] = std::move(shown);
  }
  view["subscriptions"] = std::move(subscriptions);
  DB_ASSIGN_OR_RETURN(auto status, state.Read("status", "current"));
  if (status) view["status"] = std::move(*status);
  return std::optional<json>(std::move(view));
}

}  // namespace dirbridge::admin
