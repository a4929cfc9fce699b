// Microsoft Graph (README, "Entra in seconds: Graph change notifications"): the pure
// parts of watching an Entra tenant beside its SCIM provisioning. SCIM stays the path of
// record; Graph tells dirbridge within seconds what SCIM would say in 40 minutes.
//
//   client credentials      learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
//   subscriptions           learn.microsoft.com/graph/api/subscription-post-subscriptions
//                           (users and groups: changeType updated,deleted; at most 41,760
//                           minutes; renewed with PATCH before they lapse)
//   change notifications    learn.microsoft.com/graph/change-notifications-delivery-webhooks
//                           ({"value": [{subscriptionId, clientState, changeType, resource,
//                           resourceData: {id}}]}; lifecycle events: lifecycleEvent)
//   delta queries           learn.microsoft.com/graph/delta-query-overview (users/delta,
//                           groups/delta with members@delta; @odata.nextLink, @odata.deltaLink)
//
// Everything here turns Graph's documented JSON into the engine's SourceEvents
// (model/source_event.h) or builds Graph's URLs and bodies; no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "model/source_event.h"

namespace dirbridge::graph {

// The module every Graph continuation runs in (functions/graph), and the continuations
// the admin API schedules there.
inline constexpr const char* kModule = "graph";
inline constexpr const char* kSetupContinuation = "graph.setup";
inline constexpr const char* kCatchUpContinuation = "graph.catchup";

// Microsoft's endpoints. A deployment for tests may point both at a local stand-in with
// the setting DIRBRIDGE_GRAPH_API_BASE (Graph is then {base}/v1.0, the token endpoint
// {base}/{tenant}/oauth2/v2.0/token).
inline constexpr const char* kGraphBase = "https://graph.microsoft.com";
inline constexpr const char* kLoginBase = "https://login.microsoftonline.com";
inline constexpr const char* kApiBaseSetting = "DIRBRIDGE_GRAPH_API_BASE";
inline constexpr const char* kGraphScope = "https://graph.microsoft.com/.default";

// Sealed secrets of an entra connection with Graph credentials.
inline constexpr const char* kClientSecretSecret = "graph-client-secret";
inline constexpr const char* kAccessTokenSecret = "graph-access-token";
inline constexpr const char* kClientStateSecret = "graph-client-state";

// The resources subscribed to, and the longest subscription Graph allows for them
// (learn.microsoft.com/graph/api/resources/subscription, "Subscription lifetime").
inline constexpr const char* kResources[] = {"users", "groups"};
inline constexpr int64_t kMaxSubscriptionMinutes = 41'760;
inline constexpr std::size_t kMaxClientStateBytes = 128;

// URLs (`graph_base` and `login_base` without a trailing '/').
std::string TokenUrl(std::string_view login_base, std::string_view tenant_id);
std::string SubscriptionsUrl(std::string_view graph_base);
std::string SubscriptionUrl(std::string_view graph_base, std::string_view id);
std::string ReauthorizeUrl(std::string_view graph_base, std::string_view id);
std::string UserGetUrl(std::string_view graph_base, std::string_view id);
std::string UsersDeltaUrl(std::string_view graph_base);
std::string GroupsDeltaUrl(std::string_view graph_base);
// The user properties dirbridge reads ($select: accountEnabled is not in Graph's default set).
inline constexpr const char* kUserSelect = "id,userPrincipalName,mail,displayName,givenName,surname,accountEnabled";

// The client credentials grant's form body, the secret a placeholder resolved at the claim.
std::string ClientSecretTokenBody(std::string_view client_id, std::string_view secret_placeholder);
// The same with a certificate: client_assertion_type jwt-bearer and the assertion (a
// placeholder resolved at the claim, tenancy/graph_client_assertion.h).
std::string ClientAssertionTokenBody(std::string_view client_id, std::string_view assertion_placeholder);

// A subscription request (POST /subscriptions): `client_state` may be a placeholder.
nlohmann::json SubscriptionBody(std::string_view resource, std::string_view notification_url,
                                std::string_view expiration_rfc3339, std::string_view client_state);

// A user resource (users/{id}?$select=..., or an item of users/delta) as a claim at
// `published_ms`: user.activated, or user.suspended when accountEnabled is false, with
// its profile. Named by its object id (its permanent id: matched as externalId when the
// admin maps objectId to externalId), its login userPrincipalName, its email mail. 400
// when it has no id or userPrincipalName.
Result<SourceEvent> UserClaim(const nlohmann::json& user, int64_t published_ms, std::string uuid);

// One item of a notification collection.
struct Notification {
  std::string subscription_id;
  std::string client_state;
  std::string change_type;      // "updated", "deleted" (change notifications)
  std::string lifecycle_event;  // "reauthorizationRequired", "subscriptionRemoved", "missed"
  std::string resource;         // "users" or "groups" (from "Users/{id}")
  std::string resource_id;      // resourceData.id
};
inline constexpr std::size_t kMaxNotificationsPerPost = 1000;
// The items of a POST to the notification URL; 400 when it is not such a collection or
// has more than kMaxNotificationsPerPost items.
Result<std::vector<Notification>> ReadNotifications(std::string_view body);

// A delta page: its items and either its nextLink or its deltaLink.
struct DeltaPage {
  std::vector<nlohmann::json> items;
  std::string next_link;
  std::string delta_link;
};
Result<DeltaPage> ReadDeltaPage(std::string_view body);

// A group of groups/delta: the group (named by its object id, displayed by its
// displayName) and its members@delta, each a user id added or removed.
struct GroupDelta {
  SourceSubject group;
  bool removed = false;  // "@removed": the group is gone
  struct Member {
    std::string user_id;
    bool removed = false;
  };
  std::vector<Member> members;
};
Result<GroupDelta> ReadGroupDelta(const nlohmann::json& item);

// A membership claim: the user named by its object id, the group by its subject.
SourceEvent MembershipClaim(bool added, const SourceSubject& group, std::string_view user_id, int64_t published_ms,
                            std::string uuid);

}  // namespace dirbridge::graph
