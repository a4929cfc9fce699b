// The exports of a tenant module (module_exports.h), run with one tenant's storage
// (the host's):
//   dirbridge_handle  a routed envelope in, FunctionHandle under the request's id
//                     (core/request_id.h, echoed in X-Request-Id), the response out; for a
//                     request that staged an outbox entry (effects::StagedInThisInstance
//                     moved) the head also carries "wake", the tenant's next due outbox
//                     time (or null); other requests cost no store operation for it
//   dirbridge_tick    claims the tenant's due outbox entries (effects/outbox.h)
//   dirbridge_resume  applies one claimed entry's outcome, running its continuation
//                     (FunctionResume) when it is one to hand over
#include <nlohmann/json.hpp>
#include <string>

#include "core/json_text.h"
#include "core/request_id.h"
#include "core/api_error.h"
#include "effects/outbox.h"
#include "function_entry.h"
#include "imported_host.h"
#include "module_answer.h"
#include "module_exports.h"
#include "request_envelope.h"
#include "tenancy/outbound_credentials.h"

namespace dirbridge {
namespace {

using nlohmann::json;

// The head of a tick or resume answer that failed: {"status", "error", "detail"}.
uint8_t* ErrorAnswer(const Error& e) {
  const int status = HttpStatusFor(e.kind);
  return WriteAnswer(JsonText(json{{"status", status}, {"error", ErrorCodeFor(e.kind)}, {"detail", e.detail}}), "");
}

uint8_t* OkAnswer(json head) {
  head["status"] = 200;
  return WriteAnswer(JsonText(head), "");
}

// A tick or resume envelope: a JSON object with a non-empty "tenant".
Result<json> ReadEnvelope(const uint8_t* p, uint32_t len, std::string* tenant) {
  const std::string_view text(reinterpret_cast<const char*>(p), len);
  auto doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return InvalidInput("the envelope is not a JSON object");
  auto t = doc.find("tenant");
  if (t == doc.end() || !t->is_string() || t->get<std::string>().empty()) {
    return InvalidInput("the envelope has no 'tenant'");
  }
  *tenant = t->get<std::string>();
  return doc;
}

Status ResumeHere(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env) {
  return FunctionResume(call, txn, outbox, env);
}

}  // namespace
}  // namespace dirbridge

extern "C" {

__attribute__((export_name("dirbridge_handle"))) uint8_t* dirbridge_handle(const uint8_t* request, uint32_t len) {
  dirbridge::ImportedEnv env;
  dirbridge::ImportedKvStore store;
  auto parsed = dirbridge::RequestFromEnvelope(std::string_view(reinterpret_cast<const char*>(request), len));
  dirbridge::HttpResponse response;
  std::string head;
  if (!parsed.ok()) {
    // The host's bug, not the client's: logged with its reason, answered as a 500.
    env.Log(dirbridge::LogLevel::kError, parsed.error().detail);
    response = dirbridge::FunctionError(parsed.error());
    head = dirbridge::ResponseHeadToEnvelope(response);
  } else {
    const uint64_t staged_before = dirbridge::effects::StagedInThisInstance();
    env.SetRequestId(dirbridge::RequestIdFor(parsed->Header("x-request-id"), env));
    response = dirbridge::FunctionHandle(*parsed, store, env);
    response.headers["x-request-id"] = std::string(env.RequestId());
    std::optional<std::optional<int64_t>> wake;  // reported only when this request staged an entry
    if (dirbridge::effects::StagedInThisInstance() != staged_before && response.status < 500 &&
        !parsed->tenant.empty()) {
      auto next = dirbridge::effects::NextWake(store, parsed->tenant);
      if (next.ok()) {
        wake = *next;
      } else {
        env.Log(dirbridge::LogLevel::kError, "reading the next wake-up failed: " + next.error().detail);
      }
    }
    head = dirbridge::ResponseHeadToEnvelope(response, wake);
  }
  return dirbridge::WriteAnswer(head, response.body);
}

__attribute__((export_name("dirbridge_tick"))) uint8_t* dirbridge_tick(const uint8_t* envelope, uint32_t len) {
  dirbridge::ImportedEnv env;
  dirbridge::ImportedKvStore store;
  std::string tenant;
  auto doc = dirbridge::ReadEnvelope(envelope, len, &tenant);
  if (!doc.ok()) return dirbridge::ErrorAnswer(doc.error());
  std::size_t limit = dirbridge::effects::kMaxClaimPerTick;
  if (auto l = doc->find("limit"); l != doc->end()) {
    if (!l->is_number_unsigned() || l->get<uint64_t>() == 0) {
      return dirbridge::ErrorAnswer(dirbridge::InvalidInput("'limit' must be a positive integer"));
    }
    limit = static_cast<std::size_t>(std::min<uint64_t>(l->get<uint64_t>(), limit));
  }
  auto result = dirbridge::effects::ClaimDue(store, env, tenant, limit, &dirbridge::ResolveOutboundCredential);
  if (!result.ok()) return dirbridge::ErrorAnswer(result.error());
  return dirbridge::OkAnswer(dirbridge::effects::TickResultToJson(*result));
}

__attribute__((export_name("dirbridge_resume"))) uint8_t* dirbridge_resume(const uint8_t* envelope, uint32_t len) {
  dirbridge::ImportedEnv env;
  dirbridge::ImportedKvStore store;
  std::string tenant;
  auto doc = dirbridge::ReadEnvelope(envelope, len, &tenant);
  if (!doc.ok()) return dirbridge::ErrorAnswer(doc.error());
  auto id = doc->find("id");
  if (id == doc->end() || !id->is_string() || id->get<std::string>().empty()) {
    return dirbridge::ErrorAnswer(dirbridge::InvalidInput("the envelope has no 'id'"));
  }
  auto o = doc->find("outcome");
  if (o == doc->end()) return dirbridge::ErrorAnswer(dirbridge::InvalidInput("the envelope has no 'outcome'"));
  auto outcome = dirbridge::effects::OutcomeFromJson(*o);
  if (!outcome.ok()) return dirbridge::ErrorAnswer(outcome.error());
  env.SetRequestId("fx-" + id->get<std::string>());
  auto result = dirbridge::effects::Resume(store, env, tenant, dirbridge::FunctionName(), id->get<std::string>(),
                                           *outcome, &dirbridge::ResumeHere);
  if (!result.ok()) {
    if (dirbridge::HttpStatusFor(result.error().kind) >= 500) {
      env.Log(dirbridge::LogLevel::kError, "dirbridge_resume failed: " + result.error().detail);
    }
    return dirbridge::ErrorAnswer(result.error());
  }
  return dirbridge::OkAnswer(dirbridge::effects::ResumeResultToJson(*result));
}

}  // extern "C"
