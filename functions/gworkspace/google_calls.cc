#include "google_calls.h"

#include <algorithm>

#include "channels.h"
#include "changes.h"
#include "core/http_message.h"
#include "core/json_input.h"
#include "core/timestamp.h"
#include "effects/retry_policy.h"
#include "gworkspace_function.h"
#include "normalize/google_workspace.h"
#include "provision/resource_ids.h"
#include "reconcile.h"
#include "tenancy/google_service_account.h"
#include "tenancy/sealed_secrets.h"

namespace dirbridge::gworkspace {
namespace {

using nlohmann::json;

json CallToJson(const GoogleCall& c) {
  json j = {{"method", c.method}, {"url", c.url}, {"then", c.then}, {"data", c.data}};
  if (!c.body.empty()) j["body"] = c.body;
  if (c.refreshes > 0) j["refreshes"] = c.refreshes;
  return j;
}

Result<GoogleCall> CallFromJson(const json& j) {
  GoogleCall c;
  c.method = StringAt(j, "method");
  c.url = StringAt(j, "url");
  c.body = StringAt(j, "body");
  c.then = StringAt(j, "then");
  c.refreshes = static_cast<int>(IntAt(j, "refreshes"));
  if (auto d = j.is_object() ? j.find("data") : j.end(); j.is_object() && d != j.end()) c.data = *d;
  if (c.method.empty() || c.url.empty() || c.then.empty()) return InvalidInput("a google call without method, url or then");
  return c;
}

Status EmitWithToken(GoogleSession& s, const GoogleCall& call) {
  effects::Effect e;
  e.request.method = call.method;
  e.request.url = call.url;
  e.request.headers["accept"] = "application/json";
  e.request.headers["authorization"] =
      "Bearer " + effects::SealedSecretPlaceholder(s.connection.id, google::kAccessTokenSecret);
  if (!call.body.empty()) {
    e.request.headers["content-type"] = "application/json";
    e.request.body = call.body;
  }
  e.continuation = kCallContinuation;
  e.state = json{{"connection", s.connection.id}, {"call", CallToJson(call)}};
  DB_ASSIGN_OR_RETURN(auto id, s.outbox.Emit(e));
  (void)id;
  return Status::Ok();
}

Result<json> TokenRecord(GoogleSession& s) {
  DB_ASSIGN_OR_RETURN(auto t, s.state.Read("token", "current"));
  return t && t->is_object() ? std::move(*t) : json::object();
}

// Sends a token request and notes when (`t`, the token record, written by the caller).
Status RequestToken(GoogleSession& s, json& t) {
  effects::Effect e;
  e.request.method = "POST";
  e.request.url = s.token_url;
  e.request.headers["accept"] = "application/json";
  e.request.headers["content-type"] = "application/x-www-form-urlencoded";
  e.request.body = "grant_type=" + PercentEncode(google::kJwtBearerGrant) +
                   "&assertion=" + effects::SealedSecretPlaceholder(s.connection.id, google::kAssertionCredential);
  e.request.secrets_in_body = true;  // the assertion placeholder
  e.continuation = kTokenContinuation;
  e.state = json{{"connection", s.connection.id}};
  e.max_attempts = effects::kMaxAttemptsLimit;
  DB_ASSIGN_OR_RETURN(auto id, s.outbox.Emit(e));
  (void)id;
  t["requested"] = s.env.NowMillis();
  return Status::Ok();
}

// Emits up to kDrainPerCall waiting calls with the fresh token; a timer takes the rest.
Status Drain(GoogleSession& s) {
  DB_ASSIGN_OR_RETURN(auto waiting, s.state.List("wait", "", kDrainPerCall));
  for (const auto& [position, record] : waiting) {
    (void)position;
    auto call = CallFromJson(record);
    if (call.ok()) DB_RETURN_IF_ERROR(EmitWithToken(s, *call));
    s.state.Remove("wait", StringAt(record, "name"));
  }
  DB_ASSIGN_OR_RETURN(json t, TokenRecord(s));
  const int64_t left = std::max<int64_t>(0, IntAt(t, "waiting") - static_cast<int64_t>(waiting.size()));
  t["waiting"] = waiting.size() < kDrainPerCall ? 0 : left;
  s.state.Write("token", "current", t);
  if (waiting.size() == kDrainPerCall) {
    DB_ASSIGN_OR_RETURN(auto id, s.outbox.WakeAt(s.env.NowMillis(), kDrainContinuation,
                                                 json{{"connection", s.connection.id}}));
    (void)id;
  }
  return Status::Ok();
}

}  // namespace

Status EmitCall(GoogleSession& s, const GoogleCall& call) {
  const int64_t now = s.env.NowMillis();
  DB_ASSIGN_OR_RETURN(json t, TokenRecord(s));
  if (IntAt(t, "expires") > now + kTokenMarginMs) return EmitWithToken(s, call);
  if (IntAt(t, "waiting") >= static_cast<int64_t>(kMaxWaitingCalls)) {
    return UnavailableFor(60, "google connection " + s.connection.id + ": " + std::to_string(kMaxWaitingCalls) +
                                  " calls already wait for an access token");
  }
  const std::string name = NewResourceId(s.env);  // time-ordered: drained first come, first served
  json record = CallToJson(call);
  record["name"] = name;
  s.state.Write("wait", name, record);
  t["waiting"] = IntAt(t, "waiting") + 1;
  if (now - IntAt(t, "requested") > kTokenRequestStaleMs) DB_RETURN_IF_ERROR(RequestToken(s, t));
  s.state.Write("token", "current", t);
  return Status::Ok();
}

Status ResumeCall(const effects::ContinuationCall& call, GoogleSession& s) {
  auto c = call.state.find("call");
  if (c == call.state.end()) return InvalidInput("google.call without its call");
  DB_ASSIGN_OR_RETURN(GoogleCall google_call, CallFromJson(*c));
  const effects::Outcome& o = *call.outcome;
  if (o.kind == effects::Outcome::Kind::kResponse && o.status == 401 && google_call.refreshes < kMaxRefreshesPerCall) {
    // The token expired or was revoked early: forget it and wait for a new one.
    DB_ASSIGN_OR_RETURN(json t, TokenRecord(s));
    t["expires"] = 0;
    s.state.Write("token", "current", t);
    google_call.refreshes += 1;
    return EmitCall(s, google_call);
  }
  return HandleAnswer(s, google_call, o, call.id);
}

Status ResumeToken(const effects::ContinuationCall& call, GoogleSession& s) {
  const effects::Outcome& o = *call.outcome;
  const int64_t now = s.env.NowMillis();
  DB_ASSIGN_OR_RETURN(json t, TokenRecord(s));
  auto body = ParseResponseJson(o.body);
  if (o.status >= 200 && o.status <= 299 && body.ok() && body->is_object()) {
    const std::string token = StringAt(*body, "access_token");
    const int64_t expires_in = IntAt(*body, "expires_in");
    if (!token.empty() && token.size() <= 4096 && expires_in > 0) {
      DB_ASSIGN_OR_RETURN(auto info, PutConnectionSecret(s.txn.store(), s.env, s.tenant(), s.connection.id,
                                                         google::kAccessTokenSecret, token));
      (void)info;
      t["expires"] = now + expires_in * 1000;
      t["requested"] = 0;
      t["failures"] = 0;
      s.state.Write("token", "current", t);
      DB_RETURN_IF_ERROR(s.UpdateStatus("token", [&](json& token) {
        token = json{{"lastIssued", FormatRfc3339Millis(now)}, {"expires", FormatRfc3339Millis(now + expires_in * 1000)}};
      }));
      return Drain(s);
    }
  }
  // Refused (or an answer we cannot read): say so, ask again after a backoff.
  std::string why = "the token endpoint answered " + std::to_string(o.status);
  if (body.ok() && body->is_object()) {
    const std::string error = StringAt(*body, "error"), description = StringAt(*body, "error_description");
    if (!error.empty()) why += ": " + Excerpt(error, 64);
    if (!description.empty()) why += " (" + Excerpt(description) + ")";
  }
  const int64_t failures = IntAt(t, "failures") + 1;
  const int64_t delay = DoublingDelayMs(failures, kTokenRetryMinMs, kTokenRetryMaxMs);
  t["failures"] = failures;
  t["requested"] = now;
  s.state.Write("token", "current", t);
  DB_RETURN_IF_ERROR(s.UpdateStatus("token", [&](json& token) {
    token["lastError"] = why;
    token["lastErrorAt"] = FormatRfc3339Millis(now);
    token["failures"] = failures;
    token["nextAttempt"] = FormatRfc3339Millis(now + delay);
  }));
  s.env.Log(LogLevel::kWarn, "google connection " + s.connection.id + ": " + why);
  DB_ASSIGN_OR_RETURN(auto id, s.outbox.WakeAt(now + delay, kTokenRetryContinuation,
                                               json{{"connection", s.connection.id}}));
  (void)id;
  return Status::Ok();
}

Status ResumeTokenRetry(const effects::ContinuationCall& call, GoogleSession& s) {
  (void)call;
  const int64_t now = s.env.NowMillis();
  DB_ASSIGN_OR_RETURN(json t, TokenRecord(s));
  if (IntAt(t, "expires") > now + kTokenMarginMs) return Drain(s);
  DB_RETURN_IF_ERROR(RequestToken(s, t));
  s.state.Write("token", "current", t);
  return Status::Ok();
}

Status ResumeDrain(const effects::ContinuationCall& call, GoogleSession& s) {
  (void)call;
  DB_ASSIGN_OR_RETURN(json t, TokenRecord(s));
  if (IntAt(t, "expires") <= s.env.NowMillis() + kTokenMarginMs) return Status::Ok();  // the next token drains
  return Drain(s);
}

Status HandleAnswer(GoogleSession& s, const GoogleCall& call, const effects::Outcome& outcome,
                    const std::string& effect_id) {
  if (call.then == kThenWatchOpened) return HandleWatchOpened(s, call.data, outcome);
  if (call.then == kThenChannelStopped) return HandleChannelStopped(s, call.data, outcome);
  if (call.then == kThenUserFetched) return HandleUserFetched(s, call.data, outcome, effect_id);
  if (call.then == kThenScopeChecked) return HandleScopeChecked(s, call.data, outcome);
  if (call.then == kThenGroupFetched) return HandleGroupFetched(s, call.data, outcome, effect_id);
  if (call.then == kThenReconcilePage) return HandleReconcilePage(s, call.data, outcome, effect_id);
  return InvalidInput("no handler named '" + Excerpt(call.then, 64) + "' for a google answer");
}

}  // namespace dirbridge::gworkspace
