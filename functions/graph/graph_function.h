// functions/graph: Entra in seconds (README, "Graph change notifications"), a tenant
// module. Beside an entra connection's SCIM provisioning (the path of record, every
// ~40 minutes), dirbridge subscribes to Microsoft Graph change notifications on users
// and groups and applies what changed within a second:
//
//   POST /t/{tenant}/graph/notify/{connection}   ["notify", c]   Graph's validation call
//        (?validationToken=...: echoed, text/plain), a change notification collection or
//        a lifecycle notification
//
// and runs the continuations below from the tenant's outbox. One file per concern:
//   graph_session    one call's view of a connection: settings, state, where Graph is,
//                    its calls (remote/oauth_calls.h: client credentials token)
//   subscriptions    creating, renewing, reauthorizing and replacing subscriptions
//   notify           the notification endpoint: validation, clientState, what to fetch
//   changes          applying a fetched user, and the delta catch-up (users/delta,
//                    groups/delta from the stored deltaLink)
#pragma once

#include "core/env.h"
#include "core/http_message.h"
#include "effects/outbox.h"
#include "normalize/microsoft_graph.h"

namespace dirbridge::graphsync {

// Continuations (effects/outbox.h), all of module graph::kModule.
inline constexpr const char* kSetupContinuation = graph::kSetupContinuation;      // timer: subscribe + first sync
inline constexpr const char* kCatchUpContinuation = graph::kCatchUpContinuation;  // timer: a delta catch-up
inline constexpr const char* kCallContinuation = "graph.call";                    // a Graph answer
inline constexpr const char* kTokenContinuation = "graph.token";                  // the token endpoint's answer
inline constexpr const char* kTokenRetryContinuation = "graph.token.retry";       // timer: ask for a token again
inline constexpr const char* kDrainContinuation = "graph.drain";                  // timer: calls waiting for a token
inline constexpr const char* kRenewContinuation = "graph.subscription.renew";     // timer: renew a subscription
inline constexpr const char* kRecreateContinuation = "graph.subscription.recreate";  // timer: retry creating one

HttpResponse Handle(const HttpRequest& request, KvStore& store, Env& env);
Status Resume(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env);

}  // namespace dirbridge::graphsync
