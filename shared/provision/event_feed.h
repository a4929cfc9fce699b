// The event feed: the tenant's ordered event log (provision/event_log.h) pushed to
// one receiver, the account service. This file holds the feed's state record and
// the trigger; the admin module (functions/admin/event_feed_api.h) configures it
// and runs the deliveries as its continuations.
//
// State: one small record, t/{t}/feed/state (absent: no feed):
//   {"url", "cursor": last sequence the receiver acknowledged (2xx), "run", "busy",
//    "touched": ms of the running delivery's last step, "delivered", "batches",
//    "failures" (consecutive), "inFlight": {"first","last"}?, "lastStatus",
//    "lastError", "lastDeliveredAt", "configured"}
//
// One delivery is in flight per tenant: a feed is idle (busy false) or runs one chain
// of continuations, feed.send (a timer: read the batch after the cursor, sign, emit
// it) then feed.sent (its outcome: a 2xx advances the cursor and sends the next batch
// or goes idle; anything else retries with a fresh signature after a capped backoff).
// Each arming bumps "run"; a continuation whose run is not the record's does nothing,
// so a reconfigured, stopped or rescued feed never has two chains.
//
// The trigger (WakeOnAppend), called by EventLog::Append in the batch of each event:
// one read of the record per batch (Transaction::GetCached); when a feed is
// configured and idle it is armed: marked busy and one wake-up (module "admin",
// continuation "feed.send", due now) staged in the same batch, so the delivery starts
// without a poll and commits (or not) with the event. A feed busy with no step for
// kStaleBusyMs (its chain lost: an entry parked by a failing store, an admin deleting
// it) is armed again by the next event. An outbox that is full does not refuse the
// change: the feed is left idle and the next event (or a PUT) arms it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/result.h"
#include "store/kv_store.h"
#include "store/transaction.h"

namespace dirbridge::feed {

// The module and continuations that run deliveries.
inline constexpr const char* kModule = "admin";
inline constexpr const char* kSendContinuation = "feed.send";
inline constexpr const char* kSentContinuation = "feed.sent";
// A batch: at most this many events, and a body of at most kMaxBatchBodyBytes (one
// event always goes, whatever its size: a stored event is far under the outbox's
// kMaxRequestBodyBytes).
inline constexpr std::size_t kMaxBatchEvents = 100;
inline constexpr std::size_t kMaxBatchBodyBytes = 128 * 1024;
// A busy feed whose chain made no step for this long is armed again by the next event.
// Longer than any step takes: a send's attempts (kAttemptsPerSend, seconds apart) plus
// the outbox lease, or the feed's longest backoff (effects::kBackoffCapMs, 10 minutes).
inline constexpr int64_t kStaleBusyMs = 15 * 60 * 1000;
// Attempts of one signed request through the outbox (1 s, 2 s, 4 s apart: well within
// a receiver's 5-minute timestamp tolerance) before its failure is handed to feed.sent,
// which sends the batch again, freshly signed, after the feed's own backoff.
inline constexpr int kAttemptsPerSend = 4;
// The owner and name of the feed's sealed signing secret (tenancy/sealed_secrets.h):
// not a connection id (those are 16 hex digits), so never one's.
inline constexpr const char* kSecretOwner = "event-feed";

struct FeedState {
  std::string url;
  uint64_t cursor = 0;
  uint64_t run = 0;
  bool busy = false;
  int64_t touched_ms = 0;
  uint64_t delivered = 0;
  uint64_t batches = 0;
  uint64_t failures = 0;
  uint64_t in_flight_first = 0;  // 0: none
  uint64_t in_flight_last = 0;
  int last_status = 0;
  std::string last_error;
  std::string last_delivered_at;
  std::string configured;
};
nlohmann::json FeedStateToJson(const FeedState& s);

Result<std::optional<FeedState>> LoadFeedState(Transaction& txn, std::string_view tenant);
void PutFeedState(Transaction& txn, std::string_view tenant, const FeedState& s);
void DeleteFeedState(Transaction& txn, std::string_view tenant);
// The last sequence of the tenant's event log (0 when empty).
Result<uint64_t> LastSequence(KvStore& store, std::string_view tenant);

// Arms `s`: run + 1, busy, touched now, and a feed.send wake-up at `at_ms` staged in
// `txn` (OutboxFullError when the outbox is full); `s` is written to `txn`.
Status Arm(Transaction& txn, Env& env, std::string_view tenant, FeedState& s, int64_t at_ms);

// The trigger (see the top of this file).
Status WakeOnAppend(Transaction& txn, Env& env, std::string_view tenant);

// The next batch after `cursor`: {"tenant", "events": [...]} with the events as GET
// events shows them, in order; nullopt when the receiver has everything.
struct Batch {
  uint64_t first = 0;
  uint64_t last = 0;
  std::size_t count = 0;
  std::string body;
};
Result<std::optional<Batch>> NextBatch(KvStore& store, std::string_view tenant, uint64_t cursor);

}  // namespace dirbridge::feed
