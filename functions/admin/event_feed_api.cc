#include "event_feed_api.h"

#include <nlohmann/json.hpp>
#include <string>

#include "core/api_error.h"
#include "core/api_response.h"
#include "core/http_url.h"
#include "core/json_input.h"
#include "core/timestamp.h"
#include "crypto/webhook_signature.h"
#include "effects/retry_policy.h"
#include "effects_api.h"
#include "model/json_fields.h"
#include "tenancy/sealed_secrets.h"

namespace dirbridge::admin {
namespace {

using nlohmann::json;
using feed::FeedState;

Error NoFeed(std::string_view tenant) {
  return NotFound("tenant '" + std::string(tenant) + "' has no event delivery configured (PUT one)");
}

// https://host[:port][/path][?query]; http:// only to a loopback host when the test
// routes are on. The request itself is checked again as any effect is.
Status ValidateReceiverUrl(std::string_view url, Env& env) {
  if (url.empty()) return InvalidInput("'url' is required: the https:// URL that receives the events");
  if (url.size() > kMaxFeedUrlBytes) {
    return InvalidInput("'url' is " + std::to_string(url.size()) + " bytes; the limit is " +
                        std::to_string(kMaxFeedUrlBytes));
  }
  const auto parts = SplitHttpUrl(url);
  if (!parts) return InvalidInput("'url' must start with https://");
  if (parts->host.empty()) return InvalidInput("'url' has no host");
  if (parts->authority.find('@') != std::string_view::npos) {
    return InvalidInput("'url' must not carry credentials (user@host): the deliveries are signed instead");
  }
  if (url.find('#') != std::string_view::npos) return InvalidInput("'url' must not have a fragment (#...)");
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= ' ' || static_cast<unsigned char>(c) >= 0x7f) {
      return InvalidInput("'url' must be printable ASCII without spaces");
    }
  }
  if (!parts->https && !(TestRoutesEnabled(env) && IsLoopbackHost(parts->host))) {
    return InvalidInput("'url' must start with https:// (plain http:// is refused)");
  }
  effects::Effect probe;
  probe.request.url = std::string(url);
  probe.continuation = feed::kSentContinuation;
  return effects::ValidateEffect(probe);
}

// The new secret, sealed and stored; its plaintext (for the answer) and fingerprint.
Result<std::pair<std::string, std::string>> NewSecret(KvStore& store, Env& env, std::string_view tenant) {
  std::string secret = NewWebhookSigningSecret(env);
  DB_ASSIGN_OR_RETURN(auto info, PutConnectionSecret(store, env, tenant, feed::kSecretOwner,
                                                     kWebhookSigningSecretName, secret));
  return std::pair{std::move(secret), std::move(info.fingerprint)};
}

HttpResponse Configure(const HttpRequest& request, KvStore& store, Env& env) {
  auto doc = request.body.empty() ? Result<json>(json::object()) : ParseJson(request.body);
  if (!doc.ok()) return ApiErrorResponse(doc.error());
  if (!doc->is_object()) return ApiErrorResponse(InvalidInput("the request body must be a JSON object", "invalidSyntax"));
  for (auto it = doc->begin(); it != doc->end(); ++it) {
    if (it.key() != "url" && it.key() != "from") {
      return ApiErrorResponse(InvalidInput("the body takes only 'url' and 'from'"));
    }
  }
  std::string url;
  if (auto u = doc->find("url"); u != doc->end()) {
    if (!u->is_string()) return ApiErrorResponse(InvalidInput("'url' must be a string"));
    url = u->get<std::string>();
  }
  if (auto s = ValidateReceiverUrl(url, env); !s.ok()) return ApiErrorResponse(s.error());
  auto last = feed::LastSequence(store, request.tenant);
  if (!last.ok()) return ApiErrorResponse(last.error());
  uint64_t from = *last;
  if (auto f = doc->find("from"); f != doc->end()) {
    if (!f->is_number_unsigned() || f->get<uint64_t>() > *last) {
      return ApiErrorResponse(InvalidInput("'from' must be an integer from 0 to the log's last sequence, " +
                                           std::to_string(*last) + " (the last event the receiver already has)"));
    }
    from = f->get<uint64_t>();
  }
  Transaction txn(store);
  auto existing = feed::LoadFeedState(txn, request.tenant);
  // A record that does not read is replaced: configuring is how an admin repairs it.
  FeedState state;
  if (existing.ok() && *existing) state.run = (*existing)->run;
  state.url = url;
  state.cursor = from;
  state.configured = FormatRfc3339Millis(env.NowMillis());
  // Every input is checked: the secret is made (a 503 without a sealing key changes
  // nothing), then the feed is armed at once (it goes idle when nothing is after `from`).
  auto secret = NewSecret(store, env, request.tenant);
  if (!secret.ok()) return ApiErrorResponse(secret.error());
  if (auto s = feed::Arm(txn, env, request.tenant, state, env.NowMillis()); !s.ok()) return ApiErrorResponse(s.error());
  if (auto s = txn.Commit(); !s.ok()) return ApiErrorResponse(s.error());
  return ApiJsonResponse(201, json{{"url", url},
                                   {"secret", secret->first},
                                   {"secretFingerprint", secret->second},
                                   {"cursor", from},
                                   {"lastSequence", *last},
                                   {"note", "the secret is shown only once; dirbridge keeps it sealed. Deliveries "
                                            "are at least once: dedupe by sequence"}});
}

HttpResponse Show(const HttpRequest& request, KvStore& store) {
  Transaction txn(store);
  auto state = feed::LoadFeedState(txn, request.tenant);
  if (!state.ok()) return ApiErrorResponse(state.error());
  if (!*state) return ApiErrorResponse(NoFeed(request.tenant));
  auto last = feed::LastSequence(store, request.tenant);
  if (!last.ok()) return ApiErrorResponse(last.error());
  auto secret = GetConnectionSecretInfo(store, request.tenant, feed::kSecretOwner, kWebhookSigningSecretName);
  if (!secret.ok()) return ApiErrorResponse(secret.error());
  json out = feed::FeedStateToJson(**state);
  out.erase("run");
  out.erase("touched");
  out["lastSequence"] = *last;
  out["lag"] = *last > (*state)->cursor ? *last - (*state)->cursor : 0;
  out["secretFingerprint"] = *secret ? json((*secret)->fingerprint) : json(nullptr);
  return ApiJsonResponse(200, out);
}

HttpResponse Stop(const HttpRequest& request, KvStore& store) {
  Transaction txn(store);
  auto state = feed::LoadFeedState(txn, request.tenant);
  if (!state.ok() && state.error().kind != ErrorKind::kCorrupt) return ApiErrorResponse(state.error());
  if (state.ok() && !*state) return ApiErrorResponse(NoFeed(request.tenant));
  // Its pending continuations find no record and do nothing.
  feed::DeleteFeedState(txn, request.tenant);
  if (auto s = txn.Commit(); !s.ok()) return ApiErrorResponse(s.error());
  auto removed = DeleteConnectionSecret(store, request.tenant, feed::kSecretOwner, kWebhookSigningSecretName);
  if (!removed.ok()) return ApiErrorResponse(removed.error());
  return ApiNoContent();
}

HttpResponse RotateSecret(const HttpRequest& request, KvStore& store, Env& env) {
  Transaction txn(store);
  auto state = feed::LoadFeedState(txn, request.tenant);
  if (!state.ok()) return ApiErrorResponse(state.error());
  if (!*state) return ApiErrorResponse(NoFeed(request.tenant));
  auto secret = NewSecret(store, env, request.tenant);
  if (!secret.ok()) return ApiErrorResponse(secret.error());
  return ApiJsonResponse(200, json{{"secret", secret->first},
                                   {"secretFingerprint", secret->second},
                                   {"note", "the secret is shown only once; the next delivery is signed with it "
                                            "(one in flight may still carry the old signature and is sent again)"}});
}

uint64_t RandomU64(Env& env) {
  uint64_t r = 0;
  env.RandomBytes(reinterpret_cast<uint8_t*>(&r), sizeof r);
  return r;
}

// Tries again after the feed's backoff (effects/retry_policy.h, capped at
// kBackoffCapMs), with a fresh signature: the chain never parks.
Status Retry(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env,
             FeedState& s, std::string error) {
  s.failures += 1;
  s.last_error = std::move(error);
  s.in_flight_first = s.in_flight_last = 0;
  s.touched_ms = env.NowMillis();
  const int attempt = static_cast<int>(std::min<uint64_t>(s.failures, 30));
  const int64_t at = s.touched_ms + effects::BackoffDelayMs(attempt, RandomU64(env));
  DB_ASSIGN_OR_RETURN(auto id, outbox.WakeAt(at, feed::kSendContinuation, json{{"run", s.run}}));
  (void)id;
  feed::PutFeedState(txn, call.tenant, s);
  return Status::Ok();
}

// Sends the next batch after the cursor, or goes idle when there is none.
Status SendNext(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env,
                FeedState& s) {
  DB_ASSIGN_OR_RETURN(auto batch, feed::NextBatch(txn.store(), call.tenant, s.cursor));
  s.touched_ms = env.NowMillis();
  if (!batch) {
    s.busy = false;
    s.in_flight_first = s.in_flight_last = 0;
    feed::PutFeedState(txn, call.tenant, s);
    return Status::Ok();
  }
  auto secret = ReadConnectionSecret(txn.store(), env, call.tenant, feed::kSecretOwner, kWebhookSigningSecretName);
  if (!secret.ok() && secret.error().kind == ErrorKind::kInternal) return secret.error();
  if (!secret.ok() || !*secret) {
    return Retry(call, txn, outbox, env, s, secret.ok() ? "the signing secret is not set" : secret.error().detail);
  }
  auto key = crypto::DecodeWebhookSecret(**secret);
  if (!key.ok()) return Retry(call, txn, outbox, env, s, "the signing secret does not decode");
  DB_ASSIGN_OR_RETURN(auto id, outbox.Emit(SignedDelivery(call.tenant, *batch, s.url, *key, env.NowMillis(), s.run)));
  (void)id;
  s.in_flight_first = batch->first;
  s.in_flight_last = batch->last;
  feed::PutFeedState(txn, call.tenant, s);
  return Status::Ok();
}

Status Resumed(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env) {
  DB_ASSIGN_OR_RETURN(auto loaded, feed::LoadFeedState(txn, call.tenant));
  // A stopped, reconfigured or rescued feed: this chain ends here.
  if (!loaded || loaded->run != json_fields::UintAt(call.state, "run")) return Status::Ok();
  FeedState s = std::move(*loaded);
  if (call.name == feed::kSendContinuation) return SendNext(call, txn, outbox, env, s);

  const auto& o = *call.outcome;
  if (o.kind == effects::Outcome::Kind::kResponse && o.status >= 200 && o.status < 300) {
    const uint64_t last = json_fields::UintAt(call.state, "last");
    const uint64_t count = json_fields::UintAt(call.state, "count");
    if (last > s.cursor) {  // idempotent: an outcome resumed twice advances once
      s.cursor = last;
      s.delivered += count;
      s.batches += 1;
    }
    s.failures = 0;
    s.last_status = o.status;
    s.last_error.clear();
    s.last_delivered_at = FormatRfc3339Millis(env.NowMillis());
    return SendNext(call, txn, outbox, env, s);
  }
  if (o.kind == effects::Outcome::Kind::kResponse) {
    s.last_status = o.status;
    return Retry(call, txn, outbox, env, s, "the receiver answered " + std::to_string(o.status));
  }
  s.last_status = 0;
  return Retry(call, txn, outbox, env, s, "network error: " + o.error.substr(0, 200));
}

}  // namespace

effects::Effect SignedDelivery(std::string_view tenant, const feed::Batch& batch, const std::string& url,
                               std::string_view key, int64_t now_ms, uint64_t run) {
  effects::Effect e;
  e.request.method = "POST";
  e.request.url = url;
  const std::string id = std::string(tenant) + "." + std::to_string(batch.first) + "-" + std::to_string(batch.last);
  const std::string timestamp = std::to_string(now_ms / 1000);
  e.request.headers["content-type"] = "application/json";
  e.request.headers["webhook-id"] = id;
  e.request.headers["webhook-timestamp"] = timestamp;
  e.request.headers["webhook-signature"] = crypto::SignWebhookV1(key, id, timestamp, batch.body);
  e.request.body = batch.body;
  e.continuation = feed::kSentContinuation;
  e.state = json{{"run", run}, {"first", batch.first}, {"last", batch.last}, {"count", batch.count}};
  e.max_attempts = feed::kAttemptsPerSend;
  e.exhausted_to_continuation = true;
  return e;
}

bool IsFeedContinuation(std::string_view name) {
  return name == feed::kSendContinuation || name == feed::kSentContinuation;
}

Status ResumeFeed(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env) {
  return Resumed(call, txn, outbox, env);
}

HttpResponse HandleEventDelivery(const HttpRequest& request, KvStore& store, Env& env) {
  const auto& r = request.route;  // ["tenants", t, "events", "delivery", ...]
  if (r.size() == 4) {
    if (request.method == "PUT") return Configure(request, store, env);
    if (request.method == "GET") return Show(request, store);
    if (request.method == "DELETE") return Stop(request, store);
    return ApiMethodNotAllowed("GET, PUT, DELETE");
  }
  if (r.size() == 5 && r[4] == "secret") {
    if (request.method != "POST") return ApiMethodNotAllowed("POST");
    return RotateSecret(request, store, env);
  }
  return ApiErrorResponse(NotFound("no such admin endpoint: " + request.path));
}

}  // namespace dirbridge::admin
