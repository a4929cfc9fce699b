// Okta Event Hooks: the one-time verification and event deliveries, for one
// connection of kind okta. The Okta events are translated by shared/normalize
// (okta_events.h) and applied by the engine (provision/source_event_applier.h),
// through the same Directory commands as SCIM.
//
// Answers: verification 200 {"verification": "<challenge>"}; a delivery 204 once its
// events are applied (duplicates, stale and unknown ones included: Okta must not
// retry them); 400 a body that is not an Okta delivery; 401 a wrong or missing
// secret; 413 more than kMaxSourceEventsPerBatch events. Nothing changes on an error.
#include <string>

#include <nlohmann/json.hpp>

#include "core/api_error.h"
#include "core/api_response.h"
#include "core/json_input.h"
#include "normalize/okta_events.h"
#include "provision/source_event_applier.h"
#include "tenancy/connection.h"
#include "webhooks_function.h"

namespace dirbridge::webhooks {
namespace {

constexpr std::size_t kMaxChallengeBytes = 1024;

HttpResponse Verify(const HttpRequest& request) {
  const std::string challenge = request.Header("x-okta-verification-challenge");
  if (challenge.empty()) {
    return ApiErrorResponse(InvalidInput("a GET here is Okta's verification: send X-Okta-Verification-Challenge"));
  }
  if (challenge.size() > kMaxChallengeBytes) {
    return ApiErrorResponse(
        InvalidInput("X-Okta-Verification-Challenge is longer than " + std::to_string(kMaxChallengeBytes) + " bytes"));
  }
  return ApiJsonResponse(200, {{"verification", challenge}});
}

HttpResponse Deliver(const HttpRequest& request, KvStore& store, Env& env, const Connection& connection) {
  auto body = ParseJson(request.body);
  if (!body.ok()) return ApiErrorResponse(body.error());
  auto translated = okta::TranslateHookDelivery(*body, kMaxSourceEventsPerBatch);
  if (!translated.ok()) return ApiErrorResponse(translated.error());
  SourceEventApplier applier(store, env, request.tenant, SourceOf(connection, ChangeChannel::kHook),
                             SourceApplyOptions{connection.app_id, /*permanent_source_ids=*/true});
  auto report = applier.ApplyBatch(std::move(translated->events), std::move(translated->untranslated));
  if (!report.ok()) return ApiErrorResponse(report.error());
  env.Log(LogLevel::kInfo, "okta hook " + connection.id + ": " + std::to_string(report->results.size()) + " events, " +
                               std::to_string(report->applied()) + " applied");
  return ApiNoContent();
}

}  // namespace

HttpResponse HandleOktaHook(const HttpRequest& request, KvStore& store, Env& env) {
  const std::string& connection_id = request.route[1];
  auto connection = AuthenticateHook(store, request.tenant, connection_id, request.headers);
  if (!connection.ok()) return ApiErrorResponse(connection.error());
  if (connection->kind != ConnectionKind::kOkta) {
    return ApiErrorResponse(Unauthorized("this connection does not receive Okta event hooks"));
  }
  if (request.method == "GET") return Verify(request);
  if (request.method == "POST") return Deliver(request, store, env, *connection);
  return ApiMethodNotAllowed("GET, POST");
}

}  // namespace dirbridge::webhooks
