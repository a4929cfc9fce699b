// Graph subscriptions (learn.microsoft.com/graph/api/resources/subscription): one on
// `users` and one on `groups` per connection, changeType updated,deleted, both URLs
// (notificationUrl and lifecycleNotificationUrl) the connection's notify address.
//
//   create     POST /subscriptions with a fresh random clientState (sealed as a
//              connection secret, the body a placeholder; only its SHA-256 is kept to
//              check notifications). Graph validates the URL before it answers (notify.h).
//              Created: the old one (if any) is deleted, and a renewal timer is armed
//   renew      a quarter of the lifetime before it lapses (at most a day before):
//              PATCH /subscriptions/{id} {expirationDateTime}; 404 (the subscription
//              is gone) creates a new one and catches up with the delta query
//   failure    a create or renewal refused is in the status and retried after 30 s,
//              doubling to 15 minutes; the gap is closed by a delta catch-up once the
//              new subscription is there
//   lifecycle  reauthorizationRequired: renewed now (a PATCH reauthorizes);
//              subscriptionRemoved: created again, then a catch-up; missed: a catch-up
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "effects/outbox.h"
#include "graph_session.h"

namespace dirbridge::graphsync {

inline constexpr const char* kThenSubscriptionCreated = "subscription.created";
inline constexpr const char* kThenSubscriptionRenewed = "subscription.renewed";
inline constexpr const char* kThenSubscriptionDeleted = "subscription.deleted";
inline constexpr int64_t kRenewMarginMaxMs = 24LL * 60 * 60 * 1000;
inline constexpr int64_t kRetryMinMs = 30 * 1000;
inline constexpr int64_t kRetryMaxMs = 15 * 60 * 1000;

// When to renew a subscription that lapses at `expires_ms` and was made at `made_ms`.
int64_t RenewAtMs(int64_t made_ms, int64_t expires_ms);

Status CreateSubscription(GraphSession& s, const std::string& resource);
Status CreateAllSubscriptions(GraphSession& s);
Status RenewSubscription(GraphSession& s, const std::string& resource);

// What a lifecycle notification asks for `resource`'s subscription.
Status OnLifecycleEvent(GraphSession& s, const std::string& resource, const std::string& event);

// The connection's subscriptions, live and pending (a creation whose answer is not in
// yet: its first notifications can overtake it), read once per notification post.
struct KnownSubscription {
  std::string resource;
  bool pending = false;
  nlohmann::json record;  // {"id" (live), "clientStateSha256", ...}
};
Result<std::vector<KnownSubscription>> LoadSubscriptions(GraphSession& s);
// The one `id` names: the live one with that id, else a pending one whose clientState
// hash is `client_state_sha256`; nullptr when none.
const KnownSubscription* MatchSubscription(const std::vector<KnownSubscription>& known, const std::string& id,
                                           const std::string& client_state_sha256);

Status HandleSubscriptionCreated(GraphSession& s, const nlohmann::json& data, const effects::Outcome& outcome);
Status HandleSubscriptionRenewed(GraphSession& s, const nlohmann::json& data, const effects::Outcome& outcome);
Status ResumeRenew(const effects::ContinuationCall& call, GraphSession& s);     // graph.subscription.renew
Status ResumeRecreate(const effects::ContinuationCall& call, GraphSession& s);  // graph.subscription.recreate

}  // namespace dirbridge::graphsync
