// Standard Webhooks-signed canonical lifecycle events: POST /t/{tenant}/hooks/signed/{connection}.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "apply_events.h"
#include "canonical_events.h"
#include "core/api_error.h"
#include "core/api_response.h"
#include "standard_webhooks.h"
#include "tenancy/connection.h"
#include "tenancy/hook_deliveries.h"
#include "tenancy/sealed_secrets.h"
#include "webhooks_function.h"

namespace dirbridge::webhooks {
namespace {

using nlohmann::json;

}  // namespace

HttpResponse HandleSignedHook(const HttpRequest& request, KvStore& store, Env& env, const std::string& connection_id) {
  if (request.method != "POST") return ApiMethodNotAllowed("POST");
  // One answer for "no such connection" and "not a signed one": a caller learns nothing.
  auto connection = GetConnection(store, request.tenant, connection_id);
  if (!connection.ok()) {
    if (connection.error().kind == ErrorKind::kNotFound) return ApiErrorResponse(NotFound("no signed webhook endpoint here"));
    return ApiErrorResponse(connection.error());
  }
  if (connection->kind != ConnectionKind::kSignedWebhook) return ApiErrorResponse(NotFound("no signed webhook endpoint here"));
  auto secret = ReadConnectionSecret(store, env, request.tenant, connection_id, kWebhookSigningSecretName);
  if (!secret.ok()) return ApiErrorResponse(secret.error());
  if (!*secret) {
    return ApiErrorResponse(Unauthorized("this connection has no signing secret; the admin sets one (PUT .../secrets/" +
                              std::string(kWebhookSigningSecretName) + ")"));
  }
  auto key = DecodeSigningSecret(**secret);
  if (!key.ok()) return ApiErrorResponse(Corrupt("the stored signing secret is malformed; set it again"));
  const int64_t now = env.NowMillis();
  const std::string id = request.Header("webhook-id");
  auto verified = VerifyDelivery(*key, {id, request.Header("webhook-timestamp"), request.Header("webhook-signature")},
                                 request.body, now);
  if (!verified.ok()) return ApiErrorResponse(verified.error());

  // A replay within the window: acknowledged, counted, without effect.
  auto seen = DeliverySeen(store, request.tenant, connection_id, id, now);
  if (!seen.ok()) return ApiErrorResponse(seen.error());
  if (*seen) {
    HookCounts dup;
    dup.duplicates = 1;
    if (auto s = CountDeliveries(store, request.tenant, connection_id, dup); !s.ok()) return ApiErrorResponse(s.error());
    return ApiJsonResponse(200, {{"webhookId", id}, {"duplicate", true}});
  }

  auto events = ParseDelivery(request.body);
  if (!events.ok()) return ApiErrorResponse(events.error());
  Directory directory(store, env, request.tenant, SourceOf(*connection, ChangeChannel::kHook));
  auto results = ApplyEvents(directory, store, request.tenant, std::move(*events));
  if (!results.ok()) return ApiErrorResponse(results.error());

  HookCounts counts = CountResults(*results);
  counts.deliveries = 1;
  const int64_t expires = std::max(now, *verified * 1000) + kRememberMillis;
  if (auto s = RecordDelivery(store, request.tenant, connection_id, id, expires, now, counts); !s.ok()) {
    return ApiErrorResponse(s.error());
  }
  if (counts.unknown_types > 0) {
    env.Log(LogLevel::kWarn, "signed webhook " + connection_id + ": " + std::to_string(counts.unknown_types) +
                                 " event(s) of unknown type acknowledged and ignored");
  }
  json listed = json::array();
  for (const auto& r : *results) {
    json item = {{"id", r.id}, {"type", r.type}, {"outcome", OutcomeName(r.outcome)}};
    if (!r.detail.empty()) item["detail"] = r.detail;
    listed.push_back(std::move(item));
  }
  return ApiJsonResponse(200, {{"webhookId", id},
                    {"received", counts.events},
                    {"applied", counts.applied},
                    {"unchanged", counts.unchanged},
                    {"stale", counts.stale},
                    {"skipped", counts.skipped},
                    {"ignored", counts.unknown_types},
                    {"rejected", counts.rejected},
                    {"results", std::move(listed)}});
}


}  // namespace dirbridge::webhooks
