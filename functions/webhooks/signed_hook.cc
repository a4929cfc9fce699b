// Standard Webhooks-signed canonical lifecycle events: POST /t/{tenant}/hooks/signed/{connection}.
// The signature and the webhook-id are checked here (transport); the events are
// translated (canonical_translation.h) and applied by the engine's one applier of
// pushed events (provision/source_event_applier.h), as Okta's are.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "canonical_events.h"
#include "canonical_translation.h"
#include "core/api_error.h"
#include "core/api_response.h"
#include "provision/source_event_applier.h"
#include "standard_webhooks.h"
#include "tenancy/connection.h"
#include "tenancy/hook_deliveries.h"
#include "tenancy/sealed_secrets.h"
#include "webhooks_function.h"

namespace dirbridge::webhooks {
namespace {

using nlohmann::json;

// The outcomes the answer counts (an assignment, hence outOfScope, cannot occur here).
constexpr SourceOutcome kReportedOutcomes[] = {
    SourceOutcome::kApplied,  SourceOutcome::kUnchanged,   SourceOutcome::kDuplicate,
    SourceOutcome::kStale,    SourceOutcome::kUnknownUser, SourceOutcome::kUnknownGroup,
    SourceOutcome::kRejected, SourceOutcome::kIgnored,     SourceOutcome::kInvalid,
};

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
    if (auto s = CountReplay(store, request.tenant, connection_id); !s.ok()) return ApiErrorResponse(s.error());
    return ApiJsonResponse(200, {{"webhookId", id}, {"replay", true}});
  }

  auto events = ParseDelivery(request.body);
  if (!events.ok()) return ApiErrorResponse(events.error());
  SourceEventBatch batch = TranslateCanonicalEvents(std::move(*events));
  // The whole source is in scope (no application); its subjects are named by
  // userName and displayName, not by permanent ids.
  SourceEventApplier applier(store, env, request.tenant, SourceOf(*connection, ChangeChannel::kHook),
                             SourceApplyOptions{});
  auto report = applier.ApplyBatch(std::move(batch.events), std::move(batch.untranslated));
  if (!report.ok()) return ApiErrorResponse(report.error());

  const int64_t expires = std::max(now, *verified * 1000) + kRememberMillis;
  if (auto s = RecordDelivery(store, request.tenant, connection_id, id, expires, now); !s.ok()) {
    return ApiErrorResponse(s.error());
  }
  json answer = {{"webhookId", id}, {"received", report->results.size()}};
  for (SourceOutcome o : kReportedOutcomes) answer[SourceOutcomeName(o)] = 0;
  json listed = json::array();
  for (const auto& r : report->results) {
    const char* name = SourceOutcomeName(r.outcome);
    answer[name] = answer.value(name, 0) + 1;
    json item = {{"id", r.uuid}, {"type", r.source_type}, {"outcome", name}};
    if (!r.detail.empty()) item["detail"] = r.detail;
    listed.push_back(std::move(item));
  }
  if (const int ignored = answer.value("ignored", 0); ignored > 0) {
    env.Log(LogLevel::kWarn, "signed webhook " + connection_id + ": " + std::to_string(ignored) +
                                 " event(s) of unknown type acknowledged and ignored");
  }
  answer["results"] = std::move(listed);
  return ApiJsonResponse(200, answer);
}

}  // namespace dirbridge::webhooks
