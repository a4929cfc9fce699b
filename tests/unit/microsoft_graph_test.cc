// shared/normalize/microsoft_graph.h: Graph's documented JSON into the engine's claims
// and the notification items, the URLs and bodies dirbridge sends, and the renewal
// time of a subscription (functions/graph).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "normalize/microsoft_graph.h"
#include "subscriptions.h"

using namespace dirbridge;
using nlohmann::json;

TEST_CASE("a Graph user is an active or suspended claim named by its object id") {
  json user = {{"id", "87d349ed-44d7-43e1-9a83-5f2406dee5bd"},
               {"userPrincipalName", "AdeleV@contoso.com"},
               {"mail", "AdeleV@Contoso.com"},
               {"displayName", "Adele Vance"},
               {"givenName", "Adele"},
               {"surname", "Vance"},
               {"accountEnabled", true}};
  auto active = graph::UserClaim(user, 1000, "u1");
  REQUIRE(active.ok());
  CHECK(active->kind == SourceEventKind::kUserActivated);
  CHECK(active->user.source_id == "87d349ed-44d7-43e1-9a83-5f2406dee5bd");
  CHECK(active->user.external_id.empty());  // matched as externalId, never written over SCIM's
  CHECK(active->user.login == "AdeleV@contoso.com");
  CHECK(active->user.email == "adelev@contoso.com");
  CHECK(active->user.family_name == "Vance");
  CHECK(active->with_profile);
  user["accountEnabled"] = false;
  CHECK(graph::UserClaim(user, 1000, "u2")->kind == SourceEventKind::kUserSuspended);
  user.erase("accountEnabled");  // not selected: no opinion on status but active
  CHECK(graph::UserClaim(user, 1000, "u3")->kind == SourceEventKind::kUserActivated);
  CHECK_FALSE(graph::UserClaim(json{{"id", "x"}}, 1, "u").ok());
  CHECK_FALSE(graph::UserClaim(json{{"userPrincipalName", "a@b"}}, 1, "u").ok());
  CHECK_FALSE(graph::UserClaim(json::array(), 1, "u").ok());
}

TEST_CASE("notification collections: change items, lifecycle items, refusals") {
  auto read = graph::ReadNotifications(R"({"value":[
    {"subscriptionId":"s1","clientState":"cs","changeType":"updated","resource":"Users/u-1",
     "resourceData":{"@odata.type":"#Microsoft.Graph.User","@odata.id":"Users/u-1","id":"u-1"}},
    {"subscriptionId":"s2","clientState":"cs","changeType":"updated","resource":"Groups/g-1"},
    {"subscriptionId":"s1","clientState":"cs","lifecycleEvent":"reauthorizationRequired"}]})");
  REQUIRE(read.ok());
  REQUIRE(read->size() == 3);
  CHECK((*read)[0].resource == "users");
  CHECK((*read)[0].resource_id == "u-1");
  CHECK((*read)[1].resource == "groups");
  CHECK((*read)[1].resource_id == "g-1");
  CHECK((*read)[2].lifecycle_event == "reauthorizationRequired");
  CHECK_FALSE(graph::ReadNotifications("[]").ok());
  CHECK_FALSE(graph::ReadNotifications(R"({"value":{}})").ok());
  CHECK_FALSE(graph::ReadNotifications(R"({"value":[{"clientState":"x"}]})").ok());  // no subscriptionId
  CHECK_FALSE(graph::ReadNotifications(R"({"value":[{"subscriptionId":"s","clientState":")" +
                                       std::string(129, 'x') + R"("}]})").ok());
  json many = {{"value", json::array()}};
  for (std::size_t i = 0; i <= graph::kMaxNotificationsPerPost; ++i) {
    many["value"].push_back({{"subscriptionId", "s"}, {"clientState", "c"}});
  }
  auto over = graph::ReadNotifications(many.dump());
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().detail.find("more than 1000") != std::string::npos);
}

TEST_CASE("delta pages and groups with members@delta") {
  auto page = graph::ReadDeltaPage(R"({"value":[{"id":"1"}],"@odata.nextLink":"https://g/v1.0/users/delta?$skiptoken=a"})");
  REQUIRE(page.ok());
  CHECK(page->items.size() == 1);
  CHECK(page->delta_link.empty());
  CHECK_FALSE(graph::ReadDeltaPage(R"({"value":[]})").ok());  // neither link
  CHECK_FALSE(graph::ReadDeltaPage(R"({"value":[],"@odata.nextLink":"a","@odata.deltaLink":"b"})").ok());
  auto group = graph::ReadGroupDelta(json::parse(R"({"id":"g-1","displayName":"Sales","members@delta":[
    {"@odata.type":"#microsoft.graph.user","id":"u-1"},
    {"@odata.type":"#microsoft.graph.user","id":"u-2","@removed":{"reason":"deleted"}},
    {"@odata.type":"#microsoft.graph.group","id":"g-2"}]})"));
  REQUIRE(group.ok());
  CHECK(group->group.display_name == "Sales");
  REQUIRE(group->members.size() == 2);  // the nested group is not a user
  CHECK_FALSE(group->members[0].removed);
  CHECK(group->members[1].removed);
  CHECK(graph::ReadGroupDelta(json::parse(R"({"id":"g-3","@removed":{"reason":"changed"}})"))->removed);
  auto claim = graph::MembershipClaim(false, group->group, "u-2", 5, "m");
  CHECK(claim.kind == SourceEventKind::kMemberRemoved);
  CHECK(claim.user.source_id == "u-2");
}

TEST_CASE("Graph's URLs and bodies") {
  CHECK(graph::TokenUrl("https://login.microsoftonline.com", "contoso.onmicrosoft.com") ==
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
  CHECK(graph::UserGetUrl("https://g", "a/b") ==
        std::string("https://g/v1.0/users/a%2Fb?$select=") + graph::kUserSelect);
  CHECK(graph::ClientSecretTokenBody("c1", "{{S}}") ==
        "grant_type=client_credentials&client_id=c1&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&client_secret={{S}}");
  auto body = graph::SubscriptionBody("users", "https://x/t/a/graph/notify/c", "2026-12-01T00:00:00.000Z", "{{CS}}");
  CHECK(body["changeType"] == "updated,deleted");
  CHECK(body["lifecycleNotificationUrl"] == body["notificationUrl"]);
  CHECK(body["clientState"] == "{{CS}}");
}

TEST_CASE("a subscription is renewed a quarter of its life before it lapses, at most a day before") {
  const int64_t day = 24LL * 60 * 60 * 1000;
  CHECK(graphsync::RenewAtMs(0, 40'000) == 30'000);
  CHECK(graphsync::RenewAtMs(0, 29 * day) == 28 * day);
}
