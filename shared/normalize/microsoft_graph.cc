#include "normalize/microsoft_graph.h"

#include "core/ascii.h"
#include "core/http_message.h"
#include "core/json_input.h"
#include "model/json_fields.h"

namespace dirbridge::graph {
namespace {

using json_fields::StringAt;
using nlohmann::json;

constexpr std::size_t kMaxNameBytes = 512;
constexpr std::size_t kMaxLinkBytes = 8 * 1024;

// A value Graph sends that we keep: bounded, else dropped.
std::string Bounded(std::string value) { return value.size() <= kMaxNameBytes ? value : std::string(); }

}  // namespace

// .../v2-oauth2-client-creds-grant-flow, "Get a token": POST
// https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token
std::string TokenUrl(std::string_view login_base, std::string_view tenant_id) {
  return std::string(login_base) + "/" + PercentEncode(tenant_id) + "/oauth2/v2.0/token";
}

// .../graph/api/subscription-post-subscriptions: POST /subscriptions; -update: PATCH
// /subscriptions/{id}; -delete: DELETE /subscriptions/{id}; subscription-reauthorize:
// POST /subscriptions/{id}/reauthorize.
std::string SubscriptionsUrl(std::string_view graph_base) { return std::string(graph_base) + "/v1.0/subscriptions"; }
std::string SubscriptionUrl(std::string_view graph_base, std::string_view id) {
  return SubscriptionsUrl(graph_base) + "/" + PercentEncode(id);
}
std::string ReauthorizeUrl(std::string_view graph_base, std::string_view id) {
  return SubscriptionUrl(graph_base, id) + "/reauthorize";
}

// .../graph/api/user-get: GET /users/{id}?$select=...
std::string UserGetUrl(std::string_view graph_base, std::string_view id) {
  return std::string(graph_base) + "/v1.0/users/" + PercentEncode(id) + "?$select=" + kUserSelect;
}

// .../graph/api/user-delta, group-delta: GET /users/delta, /groups/delta ($select).
std::string UsersDeltaUrl(std::string_view graph_base) {
  return std::string(graph_base) + "/v1.0/users/delta?$select=" + kUserSelect;
}
std::string GroupsDeltaUrl(std::string_view graph_base) {
  return std::string(graph_base) + "/v1.0/groups/delta?$select=displayName,members";
}

std::string ClientSecretTokenBody(std::string_view client_id, std::string_view secret_placeholder) {
  return "grant_type=client_credentials&client_id=" + PercentEncode(client_id) +
         "&scope=" + PercentEncode(kGraphScope) + "&client_secret=" + std::string(secret_placeholder);
}

// .../certificate-credentials, "Using a client assertion".
std::string ClientAssertionTokenBody(std::string_view client_id, std::string_view assertion_placeholder) {
  return "grant_type=client_credentials&client_id=" + PercentEncode(client_id) + "&scope=" + PercentEncode(kGraphScope) +
         "&client_assertion_type=" + PercentEncode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
         "&client_assertion=" + std::string(assertion_placeholder);
}

json SubscriptionBody(std::string_view resource, std::string_view notification_url,
                      std::string_view expiration_rfc3339, std::string_view client_state) {
  return json{{"changeType", "updated,deleted"},
              {"notificationUrl", std::string(notification_url)},
              {"lifecycleNotificationUrl", std::string(notification_url)},
              {"resource", std::string(resource)},
              {"expirationDateTime", std::string(expiration_rfc3339)},
              {"clientState", std::string(client_state)}};
}

// .../graph/api/resources/user: id, userPrincipalName, mail, displayName, givenName,
// surname, accountEnabled.
Result<SourceEvent> UserClaim(const json& user, int64_t published_ms, std::string uuid) {
  if (!user.is_object()) return InvalidInput("a Graph user is not an object");
  SourceEvent e;
  e.uuid = std::move(uuid);
  e.published_ms = published_ms;
  e.user.source_id = StringAt(user, "id");
  if (e.user.source_id.empty() || e.user.source_id.size() > kMaxSourceIdBytes) {
    return InvalidInput("a Graph user has no valid 'id'");
  }
  const std::string upn = StringAt(user, "userPrincipalName");
  if (upn.empty() || upn.size() > kMaxNameBytes) return InvalidInput("a Graph user has no valid 'userPrincipalName'");
  e.user.login = upn;
  e.user.email = Bounded(ToLowerAscii(StringAt(user, "mail")));
  e.user.display_name = Bounded(StringAt(user, "displayName"));
  e.user.given_name = Bounded(StringAt(user, "givenName"));
  e.user.family_name = Bounded(StringAt(user, "surname"));
  auto enabled = user.find("accountEnabled");
  const bool disabled = enabled != user.end() && enabled->is_boolean() && !enabled->get<bool>();
  e.kind = disabled ? SourceEventKind::kUserSuspended : SourceEventKind::kUserActivated;
  e.with_profile = true;
  e.source_type = disabled ? "users.disabled" : "users.enabled";
  return e;
}

// .../graph/change-notifications-delivery-webhooks, "Change notification example", and
// .../graph/change-notifications-lifecycle-events.
Result<std::vector<Notification>> ReadNotifications(std::string_view body) {
  auto doc = ParseJson(body);
  if (!doc.ok()) return doc.error();
  if (!doc->is_object()) return InvalidInput("a Graph notification is not a JSON object");
  auto value = doc->find("value");
  if (value == doc->end() || !value->is_array()) return InvalidInput("a Graph notification has no 'value' array");
  if (value->size() > kMaxNotificationsPerPost) {
    return InvalidInput("a Graph notification with more than " + std::to_string(kMaxNotificationsPerPost) + " items");
  }
  std::vector<Notification> out;
  out.reserve(value->size());
  for (const auto& item : *value) {
    if (!item.is_object()) return InvalidInput("an item of a Graph notification is not an object");
    Notification n;
    n.subscription_id = StringAt(item, "subscriptionId");
    n.client_state = StringAt(item, "clientState");
    n.change_type = StringAt(item, "changeType");
    n.lifecycle_event = StringAt(item, "lifecycleEvent");
    const std::string resource = StringAt(item, "resource");
    const std::string lower = ToLowerAscii(resource.substr(0, resource.find('/')));
    n.resource = lower == "users" || lower == "groups" ? lower : std::string();
    if (auto data = item.find("resourceData"); data != item.end() && data->is_object()) {
      n.resource_id = StringAt(*data, "id");
    }
    if (n.resource_id.empty() && resource.find('/') != std::string::npos) {
      n.resource_id = resource.substr(resource.find('/') + 1);
    }
    if (n.subscription_id.empty() || n.subscription_id.size() > 64 || n.client_state.size() > kMaxClientStateBytes ||
        n.resource_id.size() > kMaxSourceIdBytes) {
      return InvalidInput("an item of a Graph notification has no valid 'subscriptionId', 'clientState' or resource id");
    }
    out.push_back(std::move(n));
  }
  return out;
}

// .../graph/delta-query-overview: a page is {"value": [...]} with either
// "@odata.nextLink" (more pages) or "@odata.deltaLink" (the last page).
Result<DeltaPage> ReadDeltaPage(std::string_view body) {
  auto doc = ParseResponseJson(body);
  if (!doc.ok() || !doc->is_object()) return InvalidInput("a delta page is not a JSON object");
  DeltaPage page;
  if (auto items = doc->find("value"); items != doc->end()) {
    if (!items->is_array()) return InvalidInput("a delta page's 'value' is not an array");
    page.items.assign(items->begin(), items->end());
  }
  page.next_link = StringAt(*doc, "@odata.nextLink");
  page.delta_link = StringAt(*doc, "@odata.deltaLink");
  if (page.next_link.size() > kMaxLinkBytes || page.delta_link.size() > kMaxLinkBytes) {
    return InvalidInput("a delta link longer than " + std::to_string(kMaxLinkBytes) + " bytes");
  }
  if (page.next_link.empty() == page.delta_link.empty()) {
    return InvalidInput("a delta page needs exactly one of '@odata.nextLink' and '@odata.deltaLink'");
  }
  return page;
}

// .../graph/api/group-delta: members@delta items are {"@odata.type":
// "#microsoft.graph.user", "id"} with "@removed" when the member left.
Result<GroupDelta> ReadGroupDelta(const json& item) {
  if (!item.is_object()) return InvalidInput("a groups delta item is not an object");
  GroupDelta g;
  g.group.source_id = StringAt(item, "id");
  if (g.group.source_id.empty() || g.group.source_id.size() > kMaxSourceIdBytes) {
    return InvalidInput("a groups delta item has no valid 'id'");
  }
  g.group.display_name = Bounded(StringAt(item, "displayName"));
  g.removed = item.contains("@removed");
  if (auto members = item.find("members@delta"); members != item.end() && members->is_array()) {
    for (const auto& m : *members) {
      if (!m.is_object()) continue;
      const std::string type = StringAt(m, "@odata.type");
      const std::string id = StringAt(m, "id");
      if ((!type.empty() && ToLowerAscii(type) != "#microsoft.graph.user") || id.empty() || id.size() > kMaxSourceIdBytes) {
        continue;  // nested groups, devices, service principals: not users
      }
      g.members.push_back({id, m.contains("@removed")});
    }
  }
  return g;
}

SourceEvent MembershipClaim(bool added, const SourceSubject& group, std::string_view user_id, int64_t published_ms,
                            std::string uuid) {
  SourceEvent e;
  e.uuid = std::move(uuid);
  e.published_ms = published_ms;
  e.kind = added ? SourceEventKind::kMemberAdded : SourceEventKind::kMemberRemoved;
  e.group = group;
  e.user.source_id = std::string(user_id);
  e.source_type = added ? "members@delta.added" : "members@delta.removed";
  return e;
}

}  // namespace dirbridge::graph
