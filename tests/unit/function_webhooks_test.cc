// POST /t/{tenant}/hooks/signed/{connection} in-process, through the router and the
// webhooks module as the hosts run them: a signed_webhook connection's secret is
// shown once and stored sealed; signed canonical events change the directory through
// the engine; forged, stale and malformed deliveries change nothing; a replay is
// acknowledged without effect; an older event never undoes a newer one.
#include <catch2/catch.hpp>

#include "core/timestamp.h"
#include "model/user.h"
#include "provision/directory.h"
#include "scim_test_client.h"
#include "standard_webhooks.h"
#include "tenancy/hook_url_gate.h"

using dirbridge::testing::ClientResponse;
using dirbridge::testing::ScimTestClient;
using nlohmann::json;

namespace {

struct Hook {
  ScimTestClient& c;
  std::string tenant;
  std::string connection;
  std::string secret;
  std::string path;

  ClientResponse Post(const std::string& id, const std::string& body, int64_t skew_seconds = 0,
                      const std::string& with_secret = "") {
    const std::string ts = std::to_string(c.env().NowMillis() / 1000 + skew_seconds);
    auto key = dirbridge::webhooks::DecodeSigningSecret(with_secret.empty() ? secret : with_secret);
    REQUIRE(key.ok());
    const std::string sig = dirbridge::webhooks::SignV1(*key, id, ts, body);
    return c.Send("POST", path, body, "",
                  {{"webhook-id", id}, {"webhook-timestamp", ts}, {"webhook-signature", sig},
                   {"content-type", "application/json"}});
  }
};

Hook NewHook(ScimTestClient& c, const std::string& tenant) {
  REQUIRE(c.Admin("POST", "/admin/v1/tenants", json{{"id", tenant}}.dump()).status == 201);
  auto r = c.Admin("POST", "/admin/v1/tenants/" + tenant + "/connections", R"({"kind":"signed_webhook"})");
  REQUIRE(r.status == 201);
  auto j = r.json();
  const std::string secret = j["webhookSecret"].get<std::string>();
  CHECK(secret.rfind("whsec_", 0) == 0);
  CHECK(j["webhookSecretFingerprint"].get<std::string>().rfind("fp1:", 0) == 0);
  const std::string url = j["webhookUrl"].get<std::string>();
  return Hook{c, tenant, j["id"].get<std::string>(), secret, url.substr(std::string("http://127.0.0.1:8787").size())};
}

std::string At(ScimTestClient& c, int64_t offset_seconds) {
  return dirbridge::FormatRfc3339Millis(c.env().NowMillis() + offset_seconds * 1000);
}

json Users(ScimTestClient& c, const std::string& tenant) {
  // Read straight from the engine: no SCIM connection needed.
  dirbridge::Directory d(c.store(), c.env(), tenant, {"admin", "", dirbridge::ChangeChannel::kAdmin});
  auto page = d.Users("", 100);
  REQUIRE(page.ok());
  json out = json::array();
  for (const auto& u : page->items) out.push_back(dirbridge::UserToJson(u));
  return out;
}

// Every key and value of the store, to show that a request changed nothing.
std::vector<std::pair<std::string, std::string>> Snapshot(ScimTestClient& c) {
  auto all = c.store().List("", "", 1000000);
  REQUIRE(all.ok());
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : *all) out.emplace_back(e.key, e.value);
  return out;
}

std::size_t EventCount(ScimTestClient& c, const std::string& tenant) {
  return c.Admin("GET", "/admin/v1/tenants/" + tenant + "/events?limit=1000").json()["events"].size();
}

json UserEvent(const std::string& id, const std::string& type, const std::string& at, const json& user) {
  return json{{"id", id}, {"type", type}, {"occurredAt", at}, {"user", user}};
}

json MemberEvent(const std::string& id, const std::string& type, const std::string& at, const std::string& user_name,
                 const std::string& group) {
  return json{{"id", id},
              {"type", type},
              {"occurredAt", at},
              {"user", {{"userName", user_name}}},
              {"group", {{"displayName", group}}}};
}

// An Okta Event Hook connection of the same tenant, and one Okta user event for it.
struct OktaHook {
  ScimTestClient& c;
  std::string path;
  std::string secret;

  int Deliver(const std::string& type, const std::string& uuid, const std::string& okta_id, const std::string& login) {
    json e = {{"uuid", uuid},
              {"published", dirbridge::FormatRfc3339Millis(c.env().NowMillis())},
              {"eventType", type},
              {"outcome", {{"result", "SUCCESS"}}},
              {"target", json::array({{{"id", okta_id}, {"type", "User"}, {"alternateId", login}}})}};
    const json body = {{"eventType", "com.okta.event_hook"}, {"data", {{"events", json::array({e})}}}};
    return c.Send("POST", path, body.dump(), "", {{"authorization", secret}}).status;
  }
};

OktaHook NewOktaHook(ScimTestClient& c, const std::string& tenant) {
  auto r = c.Admin("POST", "/admin/v1/tenants/" + tenant + "/connections", R"({"kind":"okta"})");
  REQUIRE(r.status == 201);
  auto j = r.json();
  return OktaHook{c, j["eventHook"]["url"].get<std::string>().substr(std::string("http://127.0.0.1:8787").size()),
                  j["eventHook"]["secret"].get<std::string>()};
}

// A SCIM connection of the tenant: its token.
std::string ScimToken(ScimTestClient& c, const std::string& tenant) {
  auto r = c.Admin("POST", "/admin/v1/tenants/" + tenant + "/connections", R"({"kind":"entra"})");
  REQUIRE(r.status == 201);
  return r.json()["token"].get<std::string>();
}

bool StoreHolds(ScimTestClient& c, std::string_view needle) {
  auto all = c.store().List("", "", 1000000);
  REQUIRE(all.ok());
  for (const auto& e : *all) {
    if (e.key.find(needle) != std::string::npos || e.value.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a signed delivery is applied once, a replay is acknowledged without effect") {
  ScimTestClient c;
  Hook h = NewHook(c, "acme");
  CHECK_FALSE(StoreHolds(c, h.secret));
  CHECK_FALSE(StoreHolds(c, h.secret.substr(6)));

  const std::string body = json{{"id", "evt_1"},
                                {"type", "user.created"},
                                {"occurredAt", At(c, -10)},
                                {"user", {{"userName", "ada@example.com"}, {"displayName", "Ada"}, {"email", "ada@example.com"}}}}
                               .dump();
  auto r = h.Post("msg_1", body);
  REQUIRE(r.status == 200);
  CHECK(r.json()["applied"] == 1);
  auto users = Users(c, "acme");
  REQUIRE(users.size() == 1);
  CHECK(users[0]["userName"] == "ada@example.com");
  CHECK(users[0]["displayName"] == "Ada");

  // Same webhook-id again (a retry): 200, nothing changes.
  const auto events_before = c.Admin("GET", "/admin/v1/tenants/acme/events").json()["events"].size();
  auto again = h.Post("msg_1", body);
  CHECK(again.status == 200);
  CHECK(again.json()["replay"] == true);
  CHECK(c.Admin("GET", "/admin/v1/tenants/acme/events").json()["events"].size() == events_before);

  auto conn = c.Admin("GET", "/admin/v1/tenants/acme/connections/" + h.connection).json();
  CHECK(conn["deliveries"]["deliveries"] == 1);
  CHECK(conn["deliveries"]["replays"] == 1);
  CHECK(conn["deliveries"]["outcomes"] == json{{"applied", 1}});
  CHECK(conn.dump().find(h.secret.substr(6)) == std::string::npos);
  CHECK(conn["secrets"][0]["name"] == "webhook-signing");
}

TEST_CASE("forged, stale, malformed and unknown deliveries") {
  ScimTestClient c;
  Hook h = NewHook(c, "acme");
  const std::string body = json{{"id", "evt_1"},
                                {"type", "user.created"},
                                {"occurredAt", At(c, 0)},
                                {"user", {{"userName", "eve@example.com"}}}}
                               .dump();
  auto forged = h.Post("msg_f", body, 0, "whsec_QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB");
  CHECK(forged.status == 401);
  auto stale = h.Post("msg_s", body, -400);
  CHECK(stale.status == 401);
  CHECK(stale.json()["detail"].get<std::string>().find("seconds old") != std::string::npos);
  CHECK(h.Post("msg_j", "{not json").status == 400);
  CHECK(h.Post("msg_e", R"({"id":"e","type":"user.created","occurredAt":"yesterday","user":{"userName":"x"}})").status == 400);
  CHECK(Users(c, "acme").empty());

  // Missing headers never reach the tenant.
  const int calls = c.tenant_calls("acme");
  CHECK(c.Send("POST", h.path, body).status == 401);
  CHECK(c.tenant_calls("acme") == calls);

  auto unknown = h.Post("msg_u", json{{"events", {{{"id", "x1"}, {"type", "user.teleported"}}}}}.dump());
  REQUIRE(unknown.status == 200);
  CHECK(unknown.json()["ignored"] == 1);
  CHECK(unknown.json()["applied"] == 0);
  CHECK(unknown.json()["results"][0]["outcome"] == "ignored");
  auto conn = c.Admin("GET", "/admin/v1/tenants/acme/connections/" + h.connection).json();
  CHECK(conn["deliveries"]["unknownTypes"] == json{{"user.teleported", 1}});

  // Another tenant's path, or a connection of another kind: 404.
  auto scim = c.Admin("POST", "/admin/v1/tenants/acme/connections", R"({"kind":"entra"})").json();
  // (with a gate that holds, so the webhooks module is the one that answers)
  const std::string scim_id = scim["id"].get<std::string>();
  const std::string scim_path = "/t/acme/hooks/signed/" + scim_id + "/" +
                                dirbridge::SignedHookGate(ScimTestClient::kTokenKey, "acme", scim_id);
  Hook wrong = h;
  wrong.path = scim_path;
  CHECK(wrong.Post("msg_k", body).status == 404);
}

TEST_CASE("an older event never undoes a newer one, two sources describing one person end as one user") {
  ScimTestClient c;
  Hook h = NewHook(c, "acme");
  auto [base, token] = c.NewTenant("other");  // unrelated tenant: untouched
  (void)base;
  (void)token;
  // A SCIM connection of acme created Grace already.
  auto scim = c.Admin("POST", "/admin/v1/tenants/acme/connections", R"({"kind":"okta"})").json();
  auto created = c.Send("POST", "/t/acme/scim/v2/Users", R"({"userName":"grace@example.com"})",
                        scim["token"].get<std::string>());
  REQUIRE(created.status == 201);

  const json batch = {{"events",
                       {{{"id", "e3"}, {"type", "user.suspended"}, {"occurredAt", At(c, -5)},
                         {"user", {{"userName", "GRACE@example.com"}}}},
                        {{"id", "e1"}, {"type", "user.created"}, {"occurredAt", At(c, -60)},
                         {"user", {{"userName", "grace@example.com"}, {"displayName", "Grace H"}}}},
                        {{"id", "e4"}, {"type", "group.created"}, {"occurredAt", At(c, -50)},
                         {"group", {{"displayName", "Eng"}}}},
                        {{"id", "e5"}, {"type", "group.member_added"}, {"occurredAt", At(c, -40)},
                         {"group", {{"displayName", "eng"}}}, {"user", {{"userName", "grace@example.com"}}}}}}};
  auto r = h.Post("m1", batch.dump());
  REQUIRE(r.status == 200);
  CHECK(r.json()["applied"] == 4);
  auto users = Users(c, "acme");
  REQUIRE(users.size() == 1);
  CHECK(users[0]["active"] == false);
  CHECK(users[0]["displayName"] == "Grace H");

  // Delivered late: a reactivation older than the suspension changes nothing.
  auto late = h.Post("m2", json{{"id", "e2"}, {"type", "user.reactivated"}, {"occurredAt", At(c, -30)},
                                {"user", {{"userName", "grace@example.com"}}}}
                               .dump());
  REQUIRE(late.status == 200);
  CHECK(late.json()["stale"] == 1);
  CHECK(Users(c, "acme")[0]["active"] == false);

  // A deletion, then an older creation: the user stays gone.
  REQUIRE(h.Post("m3", json{{"id", "e6"}, {"type", "user.deleted"}, {"occurredAt", At(c, 0)},
                            {"user", {{"userName", "grace@example.com"}}}}
                           .dump())
              .json()["applied"] == 1);
  auto old_create = h.Post("m4", json{{"id", "e7"},
                                      {"type", "user.created"},
                                      {"occurredAt", At(c, -60)},
                                      {"user", {{"userName", "grace@example.com"}}}}
                                     .dump());
  CHECK(old_create.json()["stale"] == 1);
  CHECK(Users(c, "acme").empty());
  CHECK(Users(c, "other").empty());
}

TEST_CASE("admin secrets: set, replace, list, delete, only fingerprints come back") {
  ScimTestClient c;
  Hook h = NewHook(c, "acme");
  const std::string base = "/admin/v1/tenants/acme/connections/" + h.connection + "/secrets";
  const std::string canary = "canary-graph-client-secret-19d2c7";
  auto put = c.Admin("PUT", base + "/graph-secret", json{{"value", canary}}.dump());
  REQUIRE(put.status == 201);
  CHECK(put.body.find(canary) == std::string::npos);
  CHECK(put.json()["fingerprint"].get<std::string>().rfind("fp1:", 0) == 0);
  CHECK(c.Admin("PUT", base + "/graph-secret", json{{"value", canary + "2"}}.dump()).status == 200);
  auto list = c.Admin("GET", base);
  REQUIRE(list.status == 200);
  CHECK(list.json()["secrets"].size() == 2);
  CHECK(list.body.find(canary) == std::string::npos);
  CHECK_FALSE(StoreHolds(c, canary));
  CHECK(c.env().last_log().find(canary) == std::string::npos);
  CHECK(c.Admin("PUT", base + "/x", R"({"value":"a","generate":true})").status == 400);
  CHECK(c.Admin("PUT", base + "/Bad%20Name", R"({"value":"a"})").status == 400);
  CHECK(c.Admin("PUT", "/admin/v1/tenants/acme/connections/0000000000000000/secrets/x", R"({"value":"a"})").status ==
        404);

  // Rotating the signing secret: the old one stops working.
  auto rotated = c.Admin("PUT", base + "/webhook-signing", R"({"generate":true})");
  REQUIRE(rotated.status == 200);
  const std::string fresh = rotated.json()["value"].get<std::string>();
  const std::string body =
      json{{"id", "e"}, {"type", "group.created"}, {"occurredAt", At(c, 0)}, {"group", {{"displayName", "G"}}}}.dump();
  CHECK(h.Post("r1", body).status == 401);
  CHECK(h.Post("r2", body, 0, fresh).status == 200);

  CHECK(c.Admin("DELETE", base + "/graph-secret").status == 204);
  CHECK(c.Admin("DELETE", base + "/graph-secret").status == 404);
  CHECK(c.Admin("DELETE", base + "/webhook-signing").status == 204);
  CHECK(h.Post("r3", body, 0, fresh).status == 401);
}

TEST_CASE("a user SCIM created is the one signed events change, found by userName or externalId") {
  ScimTestClient c;
  Hook h = NewHook(c, "acme");
  const std::string token = ScimToken(c, "acme");
  auto x = c.Send("POST", "/t/acme/scim/v2/Users", R"({"userName":"xavier@example.com"})", token);
  REQUIRE(x.status == 201);
  const std::string xid = x.json()["id"].get<std::string>();
  auto y = c.Send("POST", "/t/acme/scim/v2/Users", R"({"userName":"yara@example.com","externalId":"hr-42"})", token);
  REQUIRE(y.status == 201);
  const std::string yid = y.json()["id"].get<std::string>();

  auto r = h.Post(
      "m1",
      json{{"events",
            {UserEvent("u1", "user.updated", At(c, -20),
                       {{"userName", "Xavier@Example.com"},
                        {"displayName", "Xavier Xu"},
                        {"givenName", "Xavier"},
                        {"familyName", "Xu"},
                        {"email", "xavier@example.com"}}),
             UserEvent("u2", "user.suspended", At(c, -10), {{"userName", "xavier@example.com"}}),
             UserEvent("u3", "user.updated", At(c, -10),
                       {{"userName", "yara.new@example.com"}, {"externalId", "hr-42"}, {"displayName", "Yara"}})}}}
          .dump());
  REQUIRE(r.status == 200);
  INFO(r.body);
  CHECK(r.json()["applied"] == 3);
  CHECK(r.json()["received"] == 3);
  CHECK(Users(c, "acme").size() == 2);  // one user each, not two

  auto xa = c.Send("GET", "/t/acme/scim/v2/Users/" + xid, "", token).json();
  CHECK(xa["userName"] == "xavier@example.com");  // a change of case alone is no change
  CHECK(xa["displayName"] == "Xavier Xu");
  CHECK(xa["name"]["givenName"] == "Xavier");
  CHECK(xa["name"]["familyName"] == "Xu");
  CHECK(xa["emails"][0]["value"] == "xavier@example.com");
  CHECK(xa["emails"][0]["primary"] == true);
  CHECK(xa["active"] == false);
  CHECK(xa.value("externalId", "") == "");  // none made up

  auto ya = c.Send("GET", "/t/acme/scim/v2/Users/" + yid, "", token).json();
  CHECK(ya["userName"] == "yara.new@example.com");  // found by externalId, renamed as stated
  CHECK(ya["externalId"] == "hr-42");
  CHECK(ya["displayName"] == "Yara");
  CHECK(ya["active"] == true);

  // A user the signed source creates gets the externalId it states, and none otherwise.
  auto created = h.Post(
      "m2",
      json{{"events",
            {UserEvent("u4", "user.created", At(c, -5), {{"userName", "zed@example.com"}}),
             UserEvent("u5", "user.created", At(c, -5), {{"userName", "wu@example.com"}, {"externalId", "hr-7"}})}}}
          .dump());
  REQUIRE(created.status == 200);
  CHECK(created.json()["applied"] == 2);
  for (const auto& u : Users(c, "acme")) {
    if (u["userName"] == "zed@example.com") CHECK_FALSE(u.contains("externalId"));
    if (u["userName"] == "wu@example.com") CHECK(u["externalId"] == "hr-7");
  }
}

TEST_CASE("an Okta hook event and a signed event about one person end as one user") {
  ScimTestClient c;
  Hook h = NewHook(c, "acme");
  OktaHook okta = NewOktaHook(c, "acme");

  // Okta first: the activation creates Ada; the signed source names her by userName.
  REQUIRE(okta.Deliver("user.lifecycle.activate", "ok1", "00uada", "ada@example.com") == 204);
  auto r = h.Post("m1", UserEvent("s1", "user.updated", At(c, 0),
                                  {{"userName", "ADA@example.com"}, {"displayName", "Ada Lovelace"}})
                            .dump());
  REQUIRE(r.status == 200);
  CHECK(r.json()["applied"] == 1);

  // The signed source first: it creates Bob; Okta's activation then finds him.
  REQUIRE(h.Post("m2", UserEvent("s2", "user.created", At(c, 0), {{"userName", "bob@example.com"}}).dump())
              .json()["applied"] == 1);
  REQUIRE(okta.Deliver("user.lifecycle.activate", "ok2", "00ubob", "bob@example.com") == 204);
  REQUIRE(okta.Deliver("user.lifecycle.suspend", "ok3", "00ubob", "bob@example.com") == 204);

  auto users = Users(c, "acme");
  REQUIRE(users.size() == 2);
  for (const auto& u : users) {
    INFO(u.dump());
    if (u["userName"] == "ada@example.com") {
      CHECK(u["displayName"] == "Ada Lovelace");
      CHECK(u["externalId"] == "00uada");  // Okta's own id, kept
      CHECK(u["active"] == true);
    } else {
      CHECK(u["userName"] == "bob@example.com");
      CHECK(u["active"] == false);
    }
  }
}

TEST_CASE("a signed event delivered late never undoes a newer one") {
  ScimTestClient c;
  Hook h = NewHook(c, "acme");
  const std::string token = ScimToken(c, "acme");
  auto outcome = [&](const std::string& webhook_id, const json& event) {
    auto r = h.Post(webhook_id, event.dump());
    REQUIRE(r.status == 200);
    return r.json()["results"][0]["outcome"].get<std::string>();
  };
  auto ada = [&] { return Users(c, "acme").at(0); };
  const json named = {{"userName", "ada@example.com"}};

  CHECK(outcome("m0", UserEvent("c0", "user.created", At(c, -100), named)) == "applied");
  CHECK(outcome("m1", UserEvent("s1", "user.suspended", At(c, -10), named)) == "applied");
  CHECK(outcome("m2", UserEvent("r1", "user.reactivated", At(c, -20), named)) == "stale");
  CHECK(ada()["active"] == false);
  CHECK(outcome("m3", UserEvent("p1", "user.updated", At(c, -5),
                                {{"userName", "ada@example.com"}, {"displayName", "New"}})) == "applied");
  CHECK(outcome("m4", UserEvent("p0", "user.updated", At(c, -15),
                                {{"userName", "ada@example.com"}, {"displayName", "Old"}})) == "stale");
  CHECK(ada()["displayName"] == "New");
  // An older user.created neither reactivates nor renames.
  CHECK(outcome("m5", UserEvent("c1", "user.created", At(c, -50),
                                {{"userName", "ada@example.com"}, {"displayName", "Older"}})) == "stale");
  CHECK(ada()["active"] == false);
  CHECK(ada()["displayName"] == "New");

  // Memberships: the removal of -9 comes after the addition of -8.
  CHECK(outcome("m6", MemberEvent("g1", "group.member_added", At(c, -8), "ada@example.com", "Eng")) == "applied");
  CHECK(outcome("m7", MemberEvent("g0", "group.member_removed", At(c, -9), "ada@example.com", "Eng")) == "stale");
  auto groups = c.Send("GET", "/t/acme/scim/v2/Groups", "", token).json();
  REQUIRE(groups["totalResults"] == 1);
  CHECK(groups["Resources"][0]["members"].size() == 1);

  // Within one delivery, events apply in occurredAt order, whatever order they are listed in.
  auto r = h.Post("m8", json{{"events",
                              {UserEvent("s2", "user.suspended", At(c, -1), named),
                               UserEvent("r2", "user.reactivated", At(c, -2), named)}}}
                            .dump());
  REQUIRE(r.status == 200);
  CHECK(r.json()["results"][0]["id"] == "r2");
  CHECK(r.json()["applied"] == 2);
  CHECK(ada()["active"] == false);
  CHECK(Users(c, "acme").size() == 1);
}

TEST_CASE("the same event id in two deliveries is applied once") {
  ScimTestClient c;
  Hook h = NewHook(c, "acme");
  const json first =
      UserEvent("evt-same", "user.created", At(c, -10), {{"userName", "carol@example.com"}, {"displayName", "Carol"}});
  auto r1 = h.Post("msg_a", first.dump());
  REQUIRE(r1.status == 200);
  CHECK(r1.json()["applied"] == 1);
  const auto events_before = EventCount(c, "acme");

  // Another webhook-id (a new delivery, not a replay), the same event id: a duplicate.
  const json again =
      UserEvent("evt-same", "user.created", At(c, -10), {{"userName", "carol@example.com"}, {"displayName", "Other"}});
  auto r2 = h.Post("msg_b", again.dump());
  REQUIRE(r2.status == 200);
  CHECK(r2.json()["duplicate"] == 1);
  CHECK(r2.json()["applied"] == 0);
  CHECK(r2.json()["results"][0]["outcome"] == "duplicate");
  CHECK(EventCount(c, "acme") == events_before);
  CHECK(Users(c, "acme").at(0)["displayName"] == "Carol");

  auto conn = c.Admin("GET", "/admin/v1/tenants/acme/connections/" + h.connection).json();
  CHECK(conn["deliveries"]["deliveries"] == 2);
  CHECK(conn["deliveries"]["replays"] == 0);
  CHECK(conn["deliveries"]["outcomes"] == json{{"applied", 1}, {"duplicate", 1}});
}

TEST_CASE("a malformed, forged, stale or incomplete delivery changes nothing in the store") {
  ScimTestClient c;
  Hook h = NewHook(c, "acme");
  REQUIRE(h.Post("m0", UserEvent("e0", "user.created", At(c, -5), {{"userName", "dan@example.com"}}).dump()).status ==
          200);
  const auto before = Snapshot(c);
  const std::string good = UserEvent("e1", "user.suspended", At(c, 0), {{"userName", "dan@example.com"}}).dump();

  // Malformed: the good event beside a bad one is refused with it, naming the bad one.
  const json mixed = {{"events",
                       {UserEvent("e2", "user.suspended", At(c, 0), {{"userName", "dan@example.com"}}),
                        {{"id", "e3"}, {"type", "user.updated"}, {"user", {{"userName", "dan@example.com"}}}}}}};
  auto r = h.Post("b1", mixed.dump());
  CHECK(r.status == 400);
  CHECK(r.json()["detail"].get<std::string>().find("events[1].occurredAt") != std::string::npos);
  CHECK(h.Post("b2", "{not json").status == 400);
  CHECK(h.Post("b3", R"({"events":[]})").status == 400);
  CHECK(
      h.Post(
           "b4",
           R"({"id":"e4","type":"group.member_added","occurredAt":"2026-11-26T04:00:00Z","user":{"userName":"dan@example.com"}})")
          .status == 400);
  CHECK(h.Post("b5", R"({"id":"e5","type":"user.suspended","occurredAt":"2026-11-26T04:00:00Z","user":{"userName":7}})")
            .status == 400);
  // Wrong signature, stale or future timestamps, missing headers.
  CHECK(h.Post("b6", good, 0, "whsec_QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB").status == 401);
  CHECK(h.Post("b7", good, -301).status == 401);
  CHECK(h.Post("b8", good, 301).status == 401);
  const std::string ts = std::to_string(c.env().NowMillis() / 1000);
  CHECK(c.Send("POST", h.path, good, "", {{"webhook-id", "b9"}, {"webhook-timestamp", ts}}).status == 401);
  auto key = dirbridge::webhooks::DecodeSigningSecret(h.secret);
  REQUIRE(key.ok());
  // Signed for another webhook-id.
  CHECK(c.Send("POST", h.path, good, "",
               {{"webhook-id", "b10"},
                {"webhook-timestamp", ts},
                {"webhook-signature", dirbridge::webhooks::SignV1(*key, "b11", ts, good)}})
            .status == 401);

  CHECK(Snapshot(c) == before);
  CHECK(Users(c, "acme").at(0)["active"] == true);
  // A refused delivery's webhook-id was not taken: the sender may fix and resend it.
  CHECK(h.Post("b1", good).json()["applied"] == 1);
}
