// functions/webhooks: events pushed to dirbridge by identity sources, a tenant module
// (it runs with the storage of request.tenant). Mounted at /t/{tenant}/hooks;
// request.route holds the segments after it, as the router decided:
//
//   GET  /t/{tenant}/hooks/okta/{connection}     ["okta", c]    Okta's one-time verification
//   POST /t/{tenant}/hooks/okta/{connection}     ["okta", c]    an Okta Event Hook delivery
//   POST /t/{tenant}/hooks/signed/{connection}/{gate}   ["signed", c]  Standard
//        Webhooks-signed canonical lifecycle events (standard_webhooks.h,
//        canonical_events.h), for a connection of kind signed_webhook; the router
//        checked the gate (tenancy/hook_url_gate.h) and leaves it out of the route
//
// One file per source (okta_hook.cc, signed_hook.cc). Errors are the API error of
// core/api_error.h. Signed answers:
//   200  taken: {"webhookId", "received", one count per outcome of the engine's
//        applier ("applied", "unchanged", "duplicate", "stale", "unknownUser",
//        "unknownGroup", "rejected", "ignored", "invalid"),
//        "results": [{"id", "type", "outcome", "detail"?}]}
//   200  a replayed webhook-id: {"webhookId", "replay": true}, nothing changes
//   400  a malformed body (nothing changes); 401 a bad, missing or stale signature;
//   404  no such connection (or not a signed_webhook one: the same answer);
//   503  no DIRBRIDGE_SECRET_KEY (the signing secret cannot be opened)
// A body over the modules' limit gets 413 from the host before any of this runs.
#pragma once

#include "core/env.h"
#include "effects/outbox.h"
#include "core/http_message.h"

namespace dirbridge {
class KvStore;
}  // namespace dirbridge

namespace dirbridge::webhooks {

// How long a delivery id is remembered past its timestamp: the tolerance either way,
// plus a margin.
inline constexpr int64_t kRememberMillis = 2 * 5 * 60 * 1000 + 60 * 1000;

HttpResponse Handle(const HttpRequest& request, KvStore& store, Env& env);

// Okta Event Hooks (okta_hook.cc).
// The Okta System Log catch-up's continuations (okta_catchup.cc).
Status ResumeOktaCatchup(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env);
HttpResponse HandleOktaHook(const HttpRequest& request, KvStore& store, Env& env);

// Standard Webhooks (signed_hook.cc).
HttpResponse HandleSignedHook(const HttpRequest& request, KvStore& store, Env& env, const std::string& connection_id);

}  // namespace dirbridge::webhooks
