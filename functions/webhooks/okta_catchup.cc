// The Okta System Log catch-up (normalize/okta_system_log.h): two continuations of
// module webhooks.
//   okta.catchup.poll  (a timer; state {"connection", "armed"}) emits the first page's
//                      GET {org}/api/v1/logs?since=<lastPublished, else the
//                      connection's creation>&filter=...; the token is a sealed-secret
//                      placeholder filled in by the host's claim only (effects/outbox.h),
//                      so no stored record holds it in clear.
//   okta.catchup.page  (the page's answer) applies at most kPollPageLimit events through
//                      the same translator and applier as the hooks (duplicates of
//                      hooked events are dropped by uuid), then follows
//                      Link rel="next" (only on the org) or sleeps one interval.
// A 429 never reaches the page continuation: the outbox retries it after
// X-Rate-Limit-Reset (effects/retry_policy.h). The chain stops when the token secret
// is removed or replaced (a new token arms a new chain: state "armed" is the token's
// fingerprint and time).
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "core/json_input.h"
#include "model/json_fields.h"
#include "normalize/okta_events.h"
#include "normalize/okta_system_log.h"
#include "provision/source_event_applier.h"
#include "tenancy/connection.h"
#include "tenancy/sealed_secrets.h"
#include "webhooks_function.h"

namespace dirbridge::webhooks {
namespace {

using nlohmann::json;

int64_t PollIntervalMs(Env& env) {
  if (auto v = env.Config("DIRBRIDGE_OKTA_POLL_MS"); v && !v->empty()) {
    const long long n = std::strtoll(v->c_str(), nullptr, 10);
    if (n >= okta::kMinPollIntervalMs) return n;
  }
  return okta::kDefaultPollIntervalMs;
}

// The connection named in the state, or an InvalidInput (the entry is parked).
Result<std::string> ConnectionOfState(const json& state) {
  auto c = state.is_object() ? state.find("connection") : state.end();
  if (!state.is_object() || c == state.end() || !c->is_string() || c->get<std::string>().empty()) {
    return InvalidInput("okta catch-up: the state has no 'connection'");
  }
  return c->get<std::string>();
}

// Whether this chain is still the connection's current one; the org URL when it is.
Result<std::optional<std::string>> CurrentOrg(KvStore& store, Env& env, const std::string& tenant,
                                              const std::string& connection, const json& state) {
  DB_ASSIGN_OR_RETURN(auto token, GetConnectionSecretInfo(store, tenant, connection, okta::kApiTokenSecretName));
  DB_ASSIGN_OR_RETURN(auto org_info, GetConnectionSecretInfo(store, tenant, connection, okta::kOrgUrlSecretName));
  if (!token || !org_info ||
      okta::ArmedMark(token->fingerprint, token->updated, org_info->fingerprint, org_info->updated) !=
          json_fields::StringAt(state, "armed")) {
    return std::optional<std::string>();
  }
  DB_ASSIGN_OR_RETURN(auto org, ReadConnectionSecret(store, env, tenant, connection, okta::kOrgUrlSecretName));
  if (!org) return std::optional<std::string>();
  auto normalized = okta::NormalizeOrgUrl(*org);
  if (!normalized) return InvalidInput("okta catch-up: secret okta-org-url is not an https:// org URL");
  return std::optional<std::string>(*normalized);
}

effects::Effect PageRequest(const std::string& url, const std::string& connection, const json& state) {
  effects::Effect e;
  e.request.method = "GET";
  e.request.url = url;
  e.request.headers["accept"] = "application/json";
  e.request.headers["authorization"] =
      "SSWS " + effects::SealedSecretPlaceholder(connection, okta::kApiTokenSecretName);
  e.continuation = okta::kCatchupPageContinuation;
  e.state = json{{"connection", connection}, {"armed", json_fields::StringAt(state, "armed")}};
  return e;
}

Status Sleep(const effects::ContinuationCall& call, effects::Outbox& outbox, Env& env, const std::string& connection) {
  DB_ASSIGN_OR_RETURN(auto id, outbox.WakeAt(env.NowMillis() + PollIntervalMs(env), okta::kCatchupPollContinuation,
                                             json{{"connection", connection}, {"armed", json_fields::StringAt(call.state, "armed")}}));
  (void)id;
  return Status::Ok();
}

Status Poll(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env) {
  DB_ASSIGN_OR_RETURN(auto connection_id, ConnectionOfState(call.state));
  KvStore& store = txn.store();
  DB_ASSIGN_OR_RETURN(auto connection, GetConnection(store, call.tenant, connection_id));
  if (connection.kind != ConnectionKind::kOkta) return InvalidInput("okta catch-up: not an okta connection");
  DB_ASSIGN_OR_RETURN(auto org, CurrentOrg(store, env, call.tenant, connection_id, call.state));
  if (!org) {
    env.Log(LogLevel::kInfo, "okta catch-up " + connection_id + ": not configured or re-armed; this chain stops");
    return Status::Ok();
  }
  DB_ASSIGN_OR_RETURN(auto stats, ReadSourceStats(store, call.tenant, connection_id));
  std::string since = json_fields::StringAt(stats, "lastPublished");
  if (since.empty()) since = connection.created;
  DB_ASSIGN_OR_RETURN(auto id, outbox.Emit(PageRequest(okta::BuildLogsUrl(*org, since), connection_id, call.state)));
  (void)id;
  return Status::Ok();
}

Status Page(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env) {
  DB_ASSIGN_OR_RETURN(auto connection_id, ConnectionOfState(call.state));
  KvStore& store = txn.store();
  DB_ASSIGN_OR_RETURN(auto connection, GetConnection(store, call.tenant, connection_id));
  DB_ASSIGN_OR_RETURN(auto org, CurrentOrg(store, env, call.tenant, connection_id, call.state));
  if (!org) return Status::Ok();
  const auto& o = *call.outcome;
  if (o.kind != effects::Outcome::Kind::kResponse || o.status < 200 || o.status > 299) {
    // 401/403 (a revoked token), 404, ...: said once per interval, then polled again.
    env.Log(LogLevel::kWarn, "okta catch-up " + connection_id + ": System Log answered " + std::to_string(o.status));
    return Sleep(call, outbox, env, connection_id);
  }
  auto body = ParseResponseJson(o.body);
  if (!body.ok() || !body->is_array()) {
    env.Log(LogLevel::kWarn, "okta catch-up " + connection_id + ": the System Log answer is not a JSON array");
    return Sleep(call, outbox, env, connection_id);
  }
  okta::Translation translated;
  std::size_t taken = 0;
  for (const auto& event : *body) {
    if (taken++ >= okta::kPollPageLimit) break;  // the rest comes again from lastPublished
    okta::TranslateEvent(event, &translated);
  }
  SourceEventApplier applier(store, env, call.tenant, SourceOf(connection, ChangeChannel::kHook),
                             SourceApplyOptions{connection.app_id, /*permanent_source_ids=*/true});
  DB_ASSIGN_OR_RETURN(auto report,
                      applier.ApplyBatch(std::move(translated.events), std::move(translated.untranslated)));
  env.Log(LogLevel::kInfo, "okta catch-up " + connection_id + ": " + std::to_string(report.results.size()) +
                               " events, " + std::to_string(report.applied()) + " applied");
  // A polling query (since, no until) always has a rel="next" link, even on its last,
  // empty page (Okta's System Log API): an empty page means caught up, so sleep.
  auto link = o.headers.find("link");
  if (link != o.headers.end() && taken <= okta::kPollPageLimit && body->size() > 0) {
    if (auto next = okta::NextLink(link->second); next && okta::IsOnOrg(*next, *org)) {
      DB_ASSIGN_OR_RETURN(auto id, outbox.Emit(PageRequest(*next, connection_id, call.state)));
      (void)id;
      return Status::Ok();
    }
  }
  return Sleep(call, outbox, env, connection_id);
}

}  // namespace

Status ResumeOktaCatchup(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env) {
  if (call.name == okta::kCatchupPollContinuation) return Poll(call, txn, outbox, env);
  if (call.name == okta::kCatchupPageContinuation) return Page(call, txn, outbox, env);
  return NotFound("module webhooks has no continuation named '" + call.name + "'");
}

}  // namespace dirbridge::webhooks
