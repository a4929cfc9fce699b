// Receiving a push notification (developers.google.com/admin-sdk/directory/v1/guides/push,
// "Receiving notifications"): POST /t/{tenant}/google/push/{connection} with
//   X-Goog-Channel-ID        one of the connection's channels (else 404: unknown or stopped)
//   X-Goog-Channel-Token     that channel's token (its SHA-256 compared in constant time)
//   X-Goog-Resource-ID       the resource Google named when the channel opened (constant time)
//   X-Goog-Resource-State    "sync" (the channel opened), a users.watch event, or an
//                            admin activity for the Reports channel
//   X-Goog-Message-Number    increasing per channel: a number seen before, or older than
//                            the kRecentMessages newest, is acknowledged and dropped
// The body is thin (users: {"kind", "id", "etag", "primaryEmail"}; Reports: the
// activity), so the answer comes at once, 200, and the change is fetched as an effect
// (users.get, groups.get) and applied when it returns (changes.h). A bad header is
// 400, a wrong token or resource 401; nothing is stored for a refused notification.
#pragma once

#include "core/env.h"
#include "core/http_message.h"
#include "effects/outbox.h"

namespace dirbridge::gworkspace {

inline constexpr std::size_t kRecentMessages = 64;

HttpResponse HandlePush(const HttpRequest& request, KvStore& store, Env& env);

}  // namespace dirbridge::gworkspace
