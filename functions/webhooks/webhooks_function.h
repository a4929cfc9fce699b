// functions/webhooks: events pushed to dirbridge by identity sources, a tenant module.
// Mounted at /t/{tenant}/hooks; request.route holds the segments after it:
//
//   POST /t/{tenant}/hooks/signed/{connection}   ["signed", c]   Standard Webhooks-signed
//        canonical lifecycle events (standard_webhooks.h, canonical_events.h), for a
//        connection of kind signed_webhook
//
// Answers (the API error of core/api_error.h for errors):
//   200  taken: {"webhookId", "received", "applied", "unchanged", "stale", "skipped",
//        "ignored", "rejected", "results": [{"id", "type", "outcome", "detail"?}]}
//   200  a replayed webhook-id: {"webhookId", "duplicate": true}, nothing changes
//   400  a malformed body (nothing changes); 401 a bad, missing or stale signature;
//   404  no such connection (or not a signed_webhook one: the same answer);
//   503  no DIRBRIDGE_SECRET_KEY (the signing secret cannot be opened)
// A body over the modules' limit gets 413 from the host before any of this runs.
#pragma once

#include "core/env.h"
#include "core/http_message.h"

namespace dirbridge {
class KvStore;
}  // namespace dirbridge

namespace dirbridge::webhooks {

// How long a delivery id is remembered past its timestamp: the tolerance either way,
// plus a margin.
inline constexpr int64_t kRememberMillis = 2 * 5 * 60 * 1000 + 60 * 1000;

HttpResponse Handle(const HttpRequest& request, KvStore& store, Env& env);

}  // namespace dirbridge::webhooks
