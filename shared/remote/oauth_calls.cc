#include "remote/oauth_calls.h"

#include <algorithm>

#include "core/json_input.h"
#include "core/timestamp.h"
#include "effects/retry_policy.h"
#include "model/json_fields.h"
#include "provision/resource_ids.h"
#include "provision/source_event_applier.h"
#include "tenancy/sealed_secrets.h"

namespace dirbridge::remote {

using json_fields::IntAt;
using json_fields::StringAt;
using nlohmann::json;

int64_t DoublingDelayMs(int64_t failures, int64_t min_ms, int64_t max_ms) {
  return std::min<int64_t>(max_ms, min_ms << std::clamp<int64_t>(failures - 1, 0, 10));
}

int64_t RenewAtMs(int64_t made_ms, int64_t expires_ms, int64_t max_margin_ms) {
  const int64_t lifetime = std::max<int64_t>(0, expires_ms - made_ms);
  return expires_ms - std::min(max_margin_ms, lifetime / 4);
}

Result<std::size_t> ApplyAsConnection(KvStore& store, Env& env, const Connection& connection,
                                      std::vector<SourceEvent> events, ChangeChannel via) {
  SourceEventApplier applier(store, env, connection.tenant, SourceOf(connection, via),
                             SourceApplyOptions{"", /*permanent_source_ids=*/true});
  return applier.ApplyAll(std::move(events));
}

std::string Excerpt(std::string_view text, std::size_t max_bytes) {
  std::string out;
  for (char c : text.substr(0, max_bytes)) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? ' ' : c);
  }
  // Do not end inside a UTF-8 sequence.
  while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
  if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
  return out;
}

json ApiCall::ToJson() const {
  json j = {{"method", method}, {"url", url}, {"then", then}, {"data", data}};
  if (!body.empty()) j["body"] = body;
  if (secrets_in_body) j["secretsInBody"] = true;
  if (refreshes > 0) j["refreshes"] = refreshes;
  return j;
}

Result<ApiCall> ApiCall::FromJson(const json& j) {
  ApiCall c;
  c.method = StringAt(j, "method");
  c.url = StringAt(j, "url");
  c.body = StringAt(j, "body");
  if (auto f = j.is_object() ? j.find("secretsInBody") : j.end(); j.is_object() && f != j.end()) {
    c.secrets_in_body = f->is_boolean() && f->get<bool>();
  }
  c.then = StringAt(j, "then");
  c.refreshes = static_cast<int>(IntAt(j, "refreshes"));
  if (auto d = j.is_object() ? j.find("data") : j.end(); j.is_object() && d != j.end()) c.data = *d;
  if (c.method.empty() || c.url.empty() || c.then.empty()) return InvalidInput("an API call without method, url or then");
  return c;
}

Status OAuthCalls::EmitWithToken(const ApiCall& call) {
  effects::Effect e;
  e.request.method = call.method;
  e.request.url = call.url;
  e.request.headers["accept"] = "application/json";
  e.request.headers["authorization"] =
      "Bearer " + effects::SealedSecretPlaceholder(state_.connection(), profile_.access_token_secret);
  if (!call.body.empty()) {
    e.request.headers["content-type"] = "application/json";
    e.request.body = call.body;
    e.request.secrets_in_body = call.secrets_in_body;
  }
  e.continuation = profile_.call_continuation;
  e.state = json{{"connection", state_.connection()}, {"call", call.ToJson()}};
  DB_ASSIGN_OR_RETURN(auto id, outbox_.Emit(e));
  (void)id;
  return Status::Ok();
}

Result<json> OAuthCalls::TokenRecord() {
  DB_ASSIGN_OR_RETURN(auto t, state_.Read("token", "current"));
  return t && t->is_object() ? std::move(*t) : json::object();
}

Status OAuthCalls::RequestToken(json& t) {
  effects::Effect e;
  e.request = token_request_;
  e.continuation = profile_.token_continuation;
  e.state = json{{"connection", state_.connection()}};
  e.max_attempts = effects::kMaxAttemptsLimit;
  DB_ASSIGN_OR_RETURN(auto id, outbox_.Emit(e));
  (void)id;
  t["requested"] = env_.NowMillis();
  return Status::Ok();
}

Status OAuthCalls::Drain() {
  DB_ASSIGN_OR_RETURN(auto waiting, state_.List("wait", "", kDrainPerCall));
  for (const auto& [position, record] : waiting) {
    (void)position;
    auto call = ApiCall::FromJson(record);
    if (call.ok()) DB_RETURN_IF_ERROR(EmitWithToken(*call));
    state_.Remove("wait", StringAt(record, "name"));
  }
  DB_ASSIGN_OR_RETURN(json t, TokenRecord());
  const int64_t left = std::max<int64_t>(0, IntAt(t, "waiting") - static_cast<int64_t>(waiting.size()));
  t["waiting"] = waiting.size() < kDrainPerCall ? 0 : left;
  state_.Write("token", "current", t);
  if (waiting.size() == kDrainPerCall) {
    DB_ASSIGN_OR_RETURN(auto id, outbox_.WakeAt(env_.NowMillis(), profile_.drain_continuation,
                                                json{{"connection", state_.connection()}}));
    (void)id;
  }
  return Status::Ok();
}

Status OAuthCalls::Emit(const ApiCall& call) {
  const int64_t now = env_.NowMillis();
  DB_ASSIGN_OR_RETURN(json t, TokenRecord());
  if (IntAt(t, "expires") > now + kTokenMarginMs) return EmitWithToken(call);
  if (IntAt(t, "waiting") >= static_cast<int64_t>(kMaxWaitingCalls)) {
    return UnavailableFor(60, std::string(profile_.label) + " " + state_.connection() + ": " +
                                  std::to_string(kMaxWaitingCalls) + " calls already wait for an access token");
  }
  const std::string name = NewResourceId(env_);  // time-ordered: drained first come, first served
  json record = call.ToJson();
  record["name"] = name;
  state_.Write("wait", name, record);
  t["waiting"] = IntAt(t, "waiting") + 1;
  if (now - IntAt(t, "requested") > kTokenRequestStaleMs) DB_RETURN_IF_ERROR(RequestToken(t));
  state_.Write("token", "current", t);
  return Status::Ok();
}

Result<std::optional<ApiCall>> OAuthCalls::ResumeCall(const effects::ContinuationCall& call) {
  auto c = call.state.find("call");
  if (c == call.state.end()) return InvalidInput(call.name + " without its call");
  DB_ASSIGN_OR_RETURN(ApiCall api_call, ApiCall::FromJson(*c));
  const effects::Outcome& o = *call.outcome;
  if (o.kind == effects::Outcome::Kind::kResponse && o.status == 401 && api_call.refreshes < kMaxRefreshesPerCall) {
    // The token expired or was revoked early: forget it and wait for a new one.
    DB_ASSIGN_OR_RETURN(json t, TokenRecord());
    t["expires"] = 0;
    state_.Write("token", "current", t);
    api_call.refreshes += 1;
    DB_RETURN_IF_ERROR(Emit(api_call));
    return std::optional<ApiCall>();
  }
  return std::optional<ApiCall>(std::move(api_call));
}

Status OAuthCalls::ResumeToken(const effects::ContinuationCall& call) {
  const effects::Outcome& o = *call.outcome;
  const int64_t now = env_.NowMillis();
  DB_ASSIGN_OR_RETURN(json t, TokenRecord());
  auto body = ParseResponseJson(o.body);
  if (o.status >= 200 && o.status <= 299 && body.ok() && body->is_object()) {
    const std::string token = StringAt(*body, "access_token");
    const int64_t expires_in = IntAt(*body, "expires_in");
    if (!token.empty() && token.size() <= 8192 && expires_in > 0) {
      DB_ASSIGN_OR_RETURN(auto info, PutConnectionSecret(state_.txn().store(), env_, state_.tenant(),
                                                         state_.connection(), profile_.access_token_secret, token));
      (void)info;
      t["expires"] = now + expires_in * 1000;
      t["requested"] = 0;
      t["failures"] = 0;
      state_.Write("token", "current", t);
      DB_RETURN_IF_ERROR(state_.UpdateStatus("token", [&](json& token_status) {
        token_status = json{{"lastIssued", FormatRfc3339Millis(now)},
                            {"expires", FormatRfc3339Millis(now + expires_in * 1000)}};
      }));
      return Drain();
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
  state_.Write("token", "current", t);
  DB_RETURN_IF_ERROR(state_.UpdateStatus("token", [&](json& token_status) {
    token_status["lastError"] = why;
    token_status["lastErrorAt"] = FormatRfc3339Millis(now);
    token_status["failures"] = failures;
    token_status["nextAttempt"] = FormatRfc3339Millis(now + delay);
  }));
  env_.Log(LogLevel::kWarn, std::string(profile_.label) + " " + state_.connection() + ": " + why);
  DB_ASSIGN_OR_RETURN(auto id, outbox_.WakeAt(now + delay, profile_.token_retry_continuation,
                                              json{{"connection", state_.connection()}}));
  (void)id;
  return Status::Ok();
}

Status OAuthCalls::ResumeTokenRetry() {
  DB_ASSIGN_OR_RETURN(json t, TokenRecord());
  if (IntAt(t, "expires") > env_.NowMillis() + kTokenMarginMs) return Drain();
  DB_RETURN_IF_ERROR(RequestToken(t));
  state_.Write("token", "current", t);
  return Status::Ok();
}

Status OAuthCalls::ResumeDrain() {
  DB_ASSIGN_OR_RETURN(json t, TokenRecord());
  if (IntAt(t, "expires") <= env_.NowMillis() + kTokenMarginMs) return Status::Ok();  // the next token drains
  return Drain();
}

}  // namespace dirbridge::remote
