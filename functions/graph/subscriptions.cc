#include "subscriptions.h"

#include <algorithm>

#include "changes.h"
#include "core/json_input.h"
#include "core/json_text.h"
#include "core/timestamp.h"
#include "crypto/base64.h"
#include "crypto/constant_time.h"
#include "crypto/sha256.h"
#include "graph_function.h"
#include "normalize/microsoft_graph.h"
#include "tenancy/sealed_secrets.h"

namespace dirbridge::graphsync {
namespace {

using nlohmann::json;

std::string ClientStateSecretName(const std::string& resource) {
  return std::string(graph::kClientStateSecret) + "-" + resource;
}

// 32 random bytes, base64url: 43 characters (Graph allows 128).
std::string RandomClientState(Env& env) {
  std::string raw(32, '\0');
  env.RandomBytes(reinterpret_cast<uint8_t*>(raw.data()), raw.size());
  return crypto::Base64UrlEncode(raw);
}

bool IsResource(const std::string& r) {
  return std::any_of(std::begin(graph::kResources), std::end(graph::kResources), [&](const char* x) { return r == x; });
}

Status ScheduleRetry(GraphSession& s, const std::string& resource, const std::string& why) {
  const int64_t now = s.env.NowMillis();
  int64_t failures = 0;
  DB_RETURN_IF_ERROR(s.state.UpdateStatus("subscriptions", [&](json& subs) {
    json& entry = subs[resource];
    if (!entry.is_object()) entry = json::object();
    failures = IntAt(entry, "failures") + 1;
    entry["failures"] = failures;
    entry["lastError"] = why;
    entry["lastErrorAt"] = FormatRfc3339Millis(now);
    entry["nextAttempt"] = FormatRfc3339Millis(now + remote::DoublingDelayMs(failures, kRetryMinMs, kRetryMaxMs));
  }));
  s.env.Log(LogLevel::kWarn, "graph connection " + s.connection.id + ": subscription " + resource + ": " + why);
  DB_ASSIGN_OR_RETURN(auto id, s.outbox.WakeAt(now + remote::DoublingDelayMs(failures, kRetryMinMs, kRetryMaxMs),
                                               kRecreateContinuation,
                                               json{{"connection", s.connection.id},
                                                    {"resource", resource},
                                                    {"generation", s.generation()}}));
  (void)id;
  return Status::Ok();
}

Status ArmRenewal(GraphSession& s, const std::string& resource, const json& record) {
  const int64_t at = RenewAtMs(IntAt(record, "made"), IntAt(record, "expires"));
  DB_ASSIGN_OR_RETURN(auto id, s.outbox.WakeAt(at, kRenewContinuation,
                                               json{{"connection", s.connection.id},
                                                    {"resource", resource},
                                                    {"subscription", record["id"]},
                                                    {"generation", s.generation()}}));
  (void)id;
  return Status::Ok();
}

Status NoteLive(GraphSession& s, const std::string& resource, const json& record) {
  return s.state.UpdateStatus("subscriptions", [&](json& subs) {
    subs[resource] = json{{"id", record["id"]},
                          {"expires", FormatRfc3339Millis(IntAt(record, "expires"))},
                          {"renewed", FormatRfc3339Millis(s.env.NowMillis())},
                          {"failures", 0}};
  });
}

}  // namespace

int64_t RenewAtMs(int64_t made_ms, int64_t expires_ms) {
  return remote::RenewAtMs(made_ms, expires_ms, kRenewMarginMaxMs);
}

Status CreateSubscription(GraphSession& s, const std::string& resource) {
  const int64_t now = s.env.NowMillis();
  const std::string client_state = RandomClientState(s.env);
  DB_ASSIGN_OR_RETURN(auto info, PutConnectionSecret(s.txn.store(), s.env, s.tenant(), s.connection.id,
                                                     ClientStateSecretName(resource), client_state));
  (void)info;
  const int64_t expires = now + s.subscription_ms();
  s.state.Write("pending", resource,
                json{{"clientStateSha256", crypto::Sha256Hex(client_state)}, {"requested", now}, {"expires", expires}});
  remote::ApiCall call;
  call.method = "POST";
  call.url = graph::SubscriptionsUrl(s.graph_base);
  call.body = JsonText(graph::SubscriptionBody(
      resource, s.notify_address(), FormatRfc3339Millis(expires),
      effects::SealedSecretPlaceholder(s.connection.id, ClientStateSecretName(resource))));
  call.secrets_in_body = true;  // the clientState placeholder; the rest is ours and the admin's origin
  call.then = kThenSubscriptionCreated;
  call.data = json{{"resource", resource}, {"generation", s.generation()}, {"made", now}};
  return s.Call(call);
}

Status CreateAllSubscriptions(GraphSession& s) {
  for (const char* resource : graph::kResources) DB_RETURN_IF_ERROR(CreateSubscription(s, resource));
  return Status::Ok();
}

Status RenewSubscription(GraphSession& s, const std::string& resource) {
  DB_ASSIGN_OR_RETURN(auto record, s.state.Read("subscription", resource));
  if (!record) return CreateSubscription(s, resource);
  const int64_t now = s.env.NowMillis();
  const int64_t expires = now + s.subscription_ms();
  remote::ApiCall call;
  call.method = "PATCH";
  call.url = graph::SubscriptionUrl(s.graph_base, StringAt(*record, "id"));
  call.body = JsonText(json{{"expirationDateTime", FormatRfc3339Millis(expires)}});
  call.then = kThenSubscriptionRenewed;
  call.data = json{{"resource", resource}, {"subscription", (*record)["id"]}, {"made", now}, {"expires", expires},
                   {"generation", s.generation()}};
  return s.Call(call);
}

Status OnLifecycleEvent(GraphSession& s, const std::string& resource, const std::string& event) {
  if (event == "reauthorizationRequired") return RenewSubscription(s, resource);
  if (event == "subscriptionRemoved") {
    s.state.Remove("subscription", resource);
    DB_RETURN_IF_ERROR(CreateSubscription(s, resource));
    return StartCatchUp(s, resource, "subscriptionRemoved");
  }
  if (event == "missed") return StartCatchUp(s, resource, "missed");
  return Status::Ok();  // a lifecycle event this version does not know: the catch-ups cover it
}

Result<std::vector<KnownSubscription>> LoadSubscriptions(GraphSession& s) {
  std::vector<KnownSubscription> out;
  for (const char* resource : graph::kResources) {
    DB_ASSIGN_OR_RETURN(auto record, s.state.Read("subscription", resource));
    if (record) out.push_back({resource, false, std::move(*record)});
    DB_ASSIGN_OR_RETURN(auto pending, s.state.Read("pending", resource));
    if (pending) out.push_back({resource, true, std::move(*pending)});
  }
  return out;
}

const KnownSubscription* MatchSubscription(const std::vector<KnownSubscription>& known, const std::string& id,
                                           const std::string& client_state_sha256) {
  for (const auto& k : known) {
    if (!k.pending && StringAt(k.record, "id") == id) return &k;
  }
  for (const auto& k : known) {
    if (k.pending && crypto::ConstantTimeEquals(StringAt(k.record, "clientStateSha256"), client_state_sha256)) return &k;
  }
  return nullptr;
}

Status HandleSubscriptionCreated(GraphSession& s, const json& data, const effects::Outcome& outcome) {
  const std::string resource = StringAt(data, "resource");
  if (!IsResource(resource) || StringAt(data, "generation") != s.generation()) return Status::Ok();  // replaced since
  DB_ASSIGN_OR_RETURN(auto pending, s.state.Read("pending", resource));
  auto body = ParseResponseJson(outcome.body);
  if (outcome.status != 201 && outcome.status != 200) {
    std::string why = "creating it was answered " + std::to_string(outcome.status);
    if (body.ok() && body->is_object() && body->contains("error") && (*body)["error"].is_object()) {
      why += ": " + Excerpt(StringAt((*body)["error"], "code"), 64) + " (" +
             Excerpt(StringAt((*body)["error"], "message")) + ")";
    }
    return ScheduleRetry(s, resource, why);
  }
  const std::string id = body.ok() ? StringAt(*body, "id") : std::string();
  auto expires = body.ok() ? ParseRfc3339Millis(StringAt(*body, "expirationDateTime")) : std::nullopt;
  if (id.empty() || id.size() > 64 || !expires || !pending) {
    return ScheduleRetry(s, resource, "a created subscription without a usable id or expirationDateTime");
  }
  DB_ASSIGN_OR_RETURN(auto old, s.state.Read("subscription", resource));
  if (old && StringAt(*old, "id") != id) {
    remote::ApiCall stop;
    stop.method = "DELETE";
    stop.url = graph::SubscriptionUrl(s.graph_base, StringAt(*old, "id"));
    stop.then = kThenSubscriptionDeleted;
    stop.data = json{{"subscription", (*old)["id"]}};
    DB_RETURN_IF_ERROR(s.Call(stop));
  }
  json record = {{"id", id},
                 {"expires", *expires},
                 {"made", IntAt(data, "made")},
                 {"clientStateSha256", (*pending)["clientStateSha256"]}};
  s.state.Write("subscription", resource, record);
  s.state.Remove("pending", resource);
  DB_RETURN_IF_ERROR(NoteLive(s, resource, record));
  DB_RETURN_IF_ERROR(ArmRenewal(s, resource, record));
  // A subscription made after a gap (not the first): what the gap hid is caught up.
  if (old) DB_RETURN_IF_ERROR(StartCatchUp(s, resource, "resubscribed"));
  return Status::Ok();
}

Status HandleSubscriptionRenewed(GraphSession& s, const json& data, const effects::Outcome& outcome) {
  const std::string resource = StringAt(data, "resource");
  if (!IsResource(resource) || StringAt(data, "generation") != s.generation()) return Status::Ok();
  DB_ASSIGN_OR_RETURN(auto record, s.state.Read("subscription", resource));
  if (!record || StringAt(*record, "id") != StringAt(data, "subscription")) return Status::Ok();  // replaced since
  if (outcome.status == 404) {
    // Gone (expired, or removed by Graph): a new one, and what the gap hid.
    DB_RETURN_IF_ERROR(CreateSubscription(s, resource));
    return Status::Ok();  // its creation catches up (an old record exists)
  }
  if (outcome.status < 200 || outcome.status > 299) {
    return ScheduleRetry(s, resource, "renewing it was answered " + std::to_string(outcome.status));
  }
  auto body = ParseResponseJson(outcome.body);
  auto expires = body.ok() ? ParseRfc3339Millis(StringAt(*body, "expirationDateTime")) : std::nullopt;
  (*record)["expires"] = expires ? *expires : IntAt(data, "expires");
  (*record)["made"] = IntAt(data, "made");
  s.state.Write("subscription", resource, *record);
  DB_RETURN_IF_ERROR(NoteLive(s, resource, *record));
  return ArmRenewal(s, resource, *record);
}

Status ResumeRenew(const effects::ContinuationCall& call, GraphSession& s) {
  if (StringAt(call.state, "generation") != s.generation()) return Status::Ok();
  const std::string resource = StringAt(call.state, "resource");
  DB_ASSIGN_OR_RETURN(auto record, s.state.Read("subscription", resource));
  if (!record || StringAt(*record, "id") != StringAt(call.state, "subscription")) return Status::Ok();
  return RenewSubscription(s, resource);
}

Status ResumeRecreate(const effects::ContinuationCall& call, GraphSession& s) {
  if (StringAt(call.state, "generation") != s.generation()) return Status::Ok();
  const std::string resource = StringAt(call.state, "resource");
  if (!IsResource(resource)) return Status::Ok();
  DB_ASSIGN_OR_RETURN(auto record, s.state.Read("subscription", resource));
  if (record) return RenewSubscription(s, resource);
  return CreateSubscription(s, resource);
}

}  // namespace dirbridge::graphsync
