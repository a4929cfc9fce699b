// The notification endpoint, POST /t/{tenant}/graph/notify/{connection}
// (learn.microsoft.com/graph/change-notifications-delivery-webhooks):
//
//   ?validationToken=...   Graph checking the URL when a subscription is made: 200,
//                          text/plain, the decoded token (at most kMaxValidationTokenBytes),
//                          for a connection with Graph settings; nothing is written
//   a change notification  {"value": [...]}: every item's clientState must be the one its
//                          subscription was made with (its SHA-256, compared in constant
//                          time), else 401 and nothing changes. Then 202 at once; what
//                          changed is fetched as effects: a user by its id (users/{id}),
//                          a group by a groups delta round. More than kMaxUserFetches
//                          distinct users in one post: a users delta round instead.
//   a lifecycle event      reauthorizationRequired, subscriptionRemoved, missed
//                          (subscriptions.h)
#pragma once

#include <cstddef>

#include "core/env.h"
#include "core/http_message.h"
#include "effects/outbox.h"

namespace dirbridge::graphsync {

inline constexpr std::size_t kMaxValidationTokenBytes = 4096;
inline constexpr std::size_t kMaxUserFetches = 50;

HttpResponse HandleNotify(const HttpRequest& request, KvStore& store, Env& env);

}  // namespace dirbridge::graphsync
