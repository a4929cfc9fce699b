// functions/gworkspace: watching a Google Workspace domain (README, "Google
// Workspace"), a tenant module. Google is not a SCIM client, so this module asks
// Google (through effects: it never waits on the network) and listens to its push:
//
//   POST /t/{tenant}/google/push/{connection}   ["push", c]   a push notification of
//        one of the connection's channels (users.watch or Reports activities.watch);
//        the router checked X-Goog-Channel-Token's MAC (tenancy/bearer_token.h)
//
// and runs the continuations below from the tenant's outbox. One file per concern:
//   google_session    one call's view of a connection: settings, state, where Google is
//   google_calls      every Google API call: the access token (JWT bearer grant, cached
//                     sealed, refreshed on 401) and the calls waiting for it
//   channels          opening, renewing (before expiry, overlapping) and stopping channels
//   push              receiving a notification: check, deduplicate, fetch as an effect
//   changes           applying what a fetch returned through the engine's applier
//   reconcile         the full sync that repairs what push missed
#pragma once

#include "core/env.h"
#include "core/http_message.h"
#include "effects/outbox.h"
#include "normalize/google_workspace.h"

namespace dirbridge::gworkspace {

// Continuations (effects/outbox.h), all of module google::kModule.
inline constexpr const char* kSetupContinuation = google::kSetupContinuation;   // timer: channels + a first reconcile
inline constexpr const char* kCallContinuation = "google.call";                 // a Google API answer
inline constexpr const char* kTokenContinuation = "google.token";               // the token endpoint's answer
inline constexpr const char* kTokenRetryContinuation = "google.token.retry";    // timer: ask for a token again
inline constexpr const char* kDrainContinuation = "google.drain";               // timer: more calls waiting for a token
inline constexpr const char* kRenewContinuation = "google.channel.renew";       // timer: replace a channel
inline constexpr const char* kReopenContinuation = "google.channel.reopen";     // timer: retry opening a channel
inline constexpr const char* kReconcileContinuation = google::kReconcileContinuation;  // timer: start a full sync

HttpResponse Handle(const HttpRequest& request, KvStore& store, Env& env);
Status Resume(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env);

}  // namespace dirbridge::gworkspace
