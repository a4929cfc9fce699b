// Effects and timers: the transactional outbox of a tenant (DESIGN.md, "Effects,
// timers and secrets"). No I/O here: a handler never waits on the network; it stages
// outbound requests (effects) and wake-ups (timers) in the same Transaction as the
// change that caused them, so they commit together or not at all. The host then
// sends what is due and calls the module back with each outcome.
//
// An outbox entry (t/{t}/outbox/{id}, store/key_layout.h) is JSON:
//   {"id", "module", "kind": "request" | "timer",
//    "request": {"method", "url", "headers": {...}, "body", "secretsInBody"?}   (kind request)
//    "continuation": "name", "state": <any JSON>,
//    "phase": "pending" | "parked", "attempts", "maxAttempts",
//    "due": ms, "created": ms, "lastStatus": n, "lastError": "..."}
// A pending entry also has one due-index key t/{t}/due/{due}/{id}, so "what is due"
// and "when is the next wake-up" are range reads of the index, never scans.
//
// The cycle (the host drives it; wasm/module_exports.h has the exports):
//   1. Claim (dirbridge_tick): at most kMaxClaimPerTick due entries are claimed: their
//      attempt is counted and their due time moved kLeaseMs ahead, in one batch. If the
//      host dies before it reports back, the entry is claimed again after the lease.
//   2. The host sends each claimed request (a timer needs no sending).
//   3. Resume (dirbridge_resume) with the outcome: a network error, 408, 429 or 5xx is
//      retried after a backoff (effects/retry_policy.h) or, after maxAttempts attempts,
//      parked (or, for an effect that asks so, handed to its continuation); any other answer (or a timer's wake-up) runs the continuation named in
//      the entry, in the module that emitted it, with its state. The continuation's
//      writes, the effects it emits and the removal of the entry commit as one batch.
//      A continuation that fails with a client-kind error (an unknown name, a state it
//      cannot read) parks the entry with that error and writes nothing else; one that
//      fails with an internal error (the store failed) changes nothing and is claimed
//      again after the lease.
// Delivery is therefore at least once: a continuation must be idempotent (the same
// outcome may be resumed twice when a host dies between the continuation's commit and
// its report, and a request may be sent twice when a host dies mid-send).
//
// A tenant's outbox is bounded: t/{t}/count/outbox (store/counter.h) counts its stored
// entries, pending and parked alike (both take storage), and moves in the batch that
// stages or removes one: +1 when staged, -1 when delivered (the continuation's batch)
// or when an admin deletes a parked entry; a claim, a retry, parking and RetryParked
// leave it as it is. Staging past kMaxStoredEffects is refused (OutboxFullError), so
// the call that tried commits nothing; a delivered entry frees its slot before its
// continuation runs, so a continuation may always emit its one next step.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/env.h"
#include "core/result.h"
#include "store/kv_store.h"
#include "store/transaction.h"

namespace dirbridge::effects {

// Bounds (each refused with a 400-kind error when an effect goes past it).
inline constexpr std::size_t kMaxEffectsPerCall = 100;  // effects + timers one call may stage
inline constexpr std::size_t kMaxUrlBytes = 8 * 1024;
inline constexpr std::size_t kMaxHeaders = 64;
inline constexpr std::size_t kMaxHeaderBytes = 32 * 1024;  // names and values together
inline constexpr std::size_t kMaxRequestBodyBytes = 256 * 1024;
inline constexpr std::size_t kMaxStateBytes = 64 * 1024;  // the continuation's state, serialized
inline constexpr std::size_t kMaxContinuationNameBytes = 100;
// The most a host hands back of a response body; a longer body is a network error.
inline constexpr std::size_t kMaxResponseBodyBytes = 1024 * 1024;
// The most entries (requests and timers, pending or parked) a tenant's outbox holds.
// A tenant normally holds a handful (one catch-up timer per Okta connection, the
// effects of the last few requests); a backlog grows only while a target is down or
// answers errors. 10,000 is 100 calls at kMaxEffectsPerCall, a long outage's worth of
// backlog, while the storage stays bounded: ~10 MB at the ~1 KiB an entry usually
// takes, ~3 GiB at the worst (every entry a full body and state), under a Durable
// Object's 10 GB. Over it a call is refused with 503 and Retry-After (OutboxFullError):
// the hosts undo a 5xx call, and a sender (an IdP, a script) retries it later.
inline constexpr std::size_t kMaxStoredEffects = 10'000;
// The Retry-After of that 503: entries leave at the pace of the retries (at least a
// second apart, effects/retry_policy.h) and the claims (kMaxClaimPerTick a tick).
inline constexpr int kOutboxFullRetryAfterSeconds = 60;
// Work per tick: the most entries one dirbridge_tick claims (requests and timers).
inline constexpr std::size_t kMaxClaimPerTick = 16;
// How long a claimed entry is left to its host before it is claimed again.
inline constexpr int64_t kLeaseMs = 60 * 1000;

struct OutboundRequest {
  std::string method = "POST";
  std::string url;
  std::map<std::string, std::string> headers;  // names lower-cased when staged
  std::string body;
  // The body holds sealed-secret placeholders to resolve (ResolveSecretPlaceholders),
  // e.g. a token request's `assertion={{sealed-secret:...}}`. Set it only on a body
  // made of no outside text: a placeholder in a user's name would otherwise send that
  // secret on. Without it the body is sent as staged. Stored as "secretsInBody": true.
  bool secrets_in_body = false;
};

// An outbound request and what to do with its outcome.
struct Effect {
  OutboundRequest request;
  std::string continuation;  // a name the emitting module's FunctionResume knows
  nlohmann::json state = nlohmann::json::object();
  int max_attempts = 0;       // 0: kDefaultMaxAttempts
  int64_t not_before_ms = 0;  // 0: as soon as the call commits
  // After the last attempt fails (network error, 408, 429, 5xx), hand that outcome to
  // the continuation instead of parking the entry: for an emitter that keeps its own
  // schedule of later tries (the event feed re-signs and re-sends). Stored as
  // "exhaustedToContinuation": true.
  bool exhausted_to_continuation = false;
};

// What became of a claimed entry, as the host reports it.
struct Outcome {
  enum class Kind { kResponse, kNetworkError, kTimer };
  Kind kind = Kind::kResponse;
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-case
  std::string body;
  std::string error;  // kNetworkError: the host's reason
};

// The envelope field "outcome" of dirbridge_resume: {"status","headers","body"},
// {"error": "..."} or {"timer": true}. A malformed one is an InvalidInput error.
Result<Outcome> OutcomeFromJson(const nlohmann::json& j);

// What a continuation is called with.
struct ContinuationCall {
  std::string tenant;
  std::string module;
  std::string id;          // the outbox entry's id
  std::string name;        // the continuation's name
  nlohmann::json state;    // as the effect stored it
  const Outcome* outcome;  // never null
  int attempts = 0;        // how many times the request was sent
};

// Stages effects and timers in a Transaction, counting them (kMaxEffectsPerCall per
// call, kMaxStoredEffects per tenant).
class Outbox {
 public:
  Outbox(Transaction& txn, Env& env, std::string tenant, std::string module)
      : txn_(txn), env_(env), tenant_(std::move(tenant)), module_(std::move(module)) {}

  // Validates and stages an effect; returns its id. A full outbox is OutboxFullError.
  Result<std::string> Emit(const Effect& effect);
  // Stages a wake-up at `at_ms` that runs continuation `name` with `state` (an Outcome
  // of kind kTimer); returns its id.
  Result<std::string> WakeAt(int64_t at_ms, std::string name, nlohmann::json state);
  std::size_t staged() const { return staged_; }

 private:
  Result<std::string> Stage(nlohmann::json entry, int64_t due_ms);

  Transaction& txn_;
  Env& env_;
  std::string tenant_;
  std::string module_;
  std::size_t staged_ = 0;
};

// 503 with Retry-After: the tenant's outbox holds `stored` entries, at or over the limit.
Error OutboxFullError(uint64_t stored);
// How many entries the tenant's outbox holds (pending and parked).
Result<uint64_t> StoredEffects(KvStore& store, std::string_view tenant);

// Checks an effect against the bounds above; the error says which and why.
Status ValidateEffect(const Effect& effect);
Status ValidateContinuationName(std::string_view name);

// The earliest due time of the tenant's pending entries, or nullopt when none.
Result<std::optional<int64_t>> NextWake(KvStore& store, std::string_view tenant);

// How many entries this module instance has staged since it started (every Outbox's
// Emit and WakeAt). Only staging makes a tenant's next wake-up earlier, so the host
// boundary reads NextWake after a request only when this moved during it: a request
// that staged nothing costs no store operation for effects.
uint64_t StagedInThisInstance();

// One claimed entry, for the host: {"id","module","timer":true} or
// {"id","module","request":{"method","url","headers","body"}}.
struct Claim {
  std::string id;
  std::string module;
  std::optional<OutboundRequest> request;  // nullopt: a timer
};
struct TickResult {
  std::vector<Claim> claimed;
  std::optional<int64_t> wake;  // after the claim
};
// A credential a request needs is never staged in clear: a header value holds a
// placeholder, SealedSecretPlaceholder(connection, name) (e.g. "SSWS " + placeholder),
// and so may the body of a request that says so (secrets_in_body: a form's
// `assertion=` + placeholder), which ClaimDue replaces, in the claim it hands the host
// only, with the plaintext of the connection's sealed secret (tenancy/sealed_secrets.h),
// read through `resolve`. At most kMaxPlaceholdersPerValue per header value and in the
// body; a secret's plaintext is never searched for placeholders itself. The stored
// entry, the admin listing and every log keep the placeholder. A secret that is not
// set or does not open (or a null resolver), or a placeholder that is not closed or
// has no '/', parks the entry with a reason naming the secret (never a value); it is
// not sent.
using SecretResolver = Result<std::optional<std::string>> (*)(KvStore& store, Env& env, std::string_view tenant,
                                                               std::string_view connection, std::string_view name);
inline constexpr std::size_t kMaxPlaceholdersPerValue = 4;
std::string SealedSecretPlaceholder(std::string_view connection, std::string_view name);
// Replaces the placeholders in the header values of `request`, and in its body when
// secrets_in_body; an error names the secret (never a value).
Status ResolveSecretPlaceholders(OutboundRequest& request, KvStore& store, Env& env, std::string_view tenant,
                                 SecretResolver resolve);

// Claims up to `limit` (at most kMaxClaimPerTick) due entries, committing the claim.
Result<TickResult> ClaimDue(KvStore& store, Env& env, std::string_view tenant, std::size_t limit,
                            SecretResolver resolve = nullptr);
nlohmann::json TickResultToJson(const TickResult& r);

// A continuation: its writes go to `txn` (and its effects through an Outbox on it).
using ContinuationFn = Status (*)(const ContinuationCall& call, Transaction& txn, Outbox& outbox, Env& env);

struct ResumeResult {
  std::string result;                      // "delivered", "retry" or "parked"
  std::optional<int64_t> next_attempt_ms;  // "retry": when
  std::string error;                       // "parked": why
  std::optional<int64_t> wake;
};
// Applies the outcome of entry `id` (see the top of this file). Errors: NotFound (no
// such entry), Conflict (the entry is parked), InvalidInput (the outcome does not
// fit the entry, or the entry belongs to another module); none of them changes
// anything.
Result<ResumeResult> Resume(KvStore& store, Env& env, std::string_view tenant, std::string_view module,
                            std::string_view id, const Outcome& outcome, ContinuationFn continuation);
nlohmann::json ResumeResultToJson(const ResumeResult& r);

// The admin's view. `phase` is "pending", "parked" or "" (both); paging by id after
// `after`. Entries are shown without request headers and body (they may hold
// credentials): their names and the body's length only.
struct EntryPage {
  nlohmann::json entries = nlohmann::json::array();
  std::string next_after;  // empty when this was the last page
};
Result<EntryPage> ListEntries(KvStore& store, std::string_view tenant, std::string_view phase, std::string_view after,
                              std::size_t limit);
// A parked entry made pending again, due now, with its attempts counted from zero.
// NotFound when there is no such entry, Conflict when it is not parked.
Result<nlohmann::json> RetryParked(KvStore& store, Env& env, std::string_view tenant, std::string_view id);
// A parked entry removed, its slot freed. NotFound when there is no such entry,
// Conflict when it is not parked (a pending one may be in flight).
Status DeleteParked(KvStore& store, std::string_view tenant, std::string_view id);

}  // namespace dirbridge::effects
