// The admin API of the event feed (provision/event_feed.h), and the continuations
// that deliver it. Under /admin/v1/tenants/{tenant}/events/delivery:
//
//   PUT    {"url": "https://...", "from"?: N}   configures the tenant's one receiver
//          (replacing any earlier one) and makes a new signing secret, shown once:
//          201 {"url", "secret", "secretFingerprint", "cursor", "lastSequence", "note"}.
//          `from` is the last sequence the receiver already has (default: the log's
//          last, so only new events go; 0 replays the whole log). 400 for a URL that is
//          not https:// (http:// only to 127.0.0.1 or localhost, and only where
//          DIRBRIDGE_TEST_EFFECTS=1, as the effects test routes), that carries
//          credentials or a fragment, or is over kMaxUrlBytes; for `from` not an integer
//          from 0 to the last sequence; for any other member. Nothing changes then.
//   GET    {"url", "secretFingerprint", "cursor", "lastSequence", "lag", "delivered",
//           "batches", "busy", "inFlight"?, "failures", "lastStatus"?, "lastError"?,
//           "lastDeliveredAt"?, "configured"}; 404 when no feed is configured
//   DELETE stops the feed and removes its secret: 204; 404 when none
//   POST   .../delivery/secret   a new signing secret, shown once: 200 {"secret",
//          "secretFingerprint", "note"}; 404 when no feed is configured
//
// Deliveries: a POST to the URL, body {"tenant", "events": [...]} (at most
// feed::kMaxBatchEvents events, feed::kMaxBatchBodyBytes), signed per Standard
// Webhooks (crypto/webhook_signature.h) with headers webhook-id
// "{tenant}.{first}-{last}" (the same batch has the same id), webhook-timestamp and
// webhook-signature. At least once: a receiver dedupes by sequence.
#pragma once

#include "core/env.h"
#include "core/http_message.h"
#include "effects/outbox.h"
#include "provision/event_feed.h"

namespace dirbridge::admin {

inline constexpr std::size_t kMaxFeedUrlBytes = 2048;

// route = ["tenants", t, "events", "delivery", ...]; the tenant exists.
HttpResponse HandleEventDelivery(const HttpRequest& request, KvStore& store, Env& env);

// The delivery request of `batch` to `url`, signed with `key` (the secret's bytes) at
// `now_ms`; its continuation is feed.sent with the run and the batch's range.
effects::Effect SignedDelivery(std::string_view tenant, const feed::Batch& batch, const std::string& url,
                               std::string_view key, int64_t now_ms, uint64_t run);

// Whether `name` is one of the feed's continuations, and running it.
bool IsFeedContinuation(std::string_view name);
Status ResumeFeed(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env);

}  // namespace dirbridge::admin
