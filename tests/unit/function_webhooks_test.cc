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

bool StoreHolds(ScimTestClient& c, std::string_view needle) {
  auto all = c.store().List("", "", 1000000);
  REQUIRE(all.ok());
  for (const auto& e : *all) {
    if (e.key.find(needle) != std::string::npos || e.value.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a signed delivery is applied once; a replay is acknowledged without effect") {
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
  CHECK(again.json()["duplicate"] == true);
  CHECK(c.Admin("GET", "/admin/v1/tenants/acme/events").json()["events"].size() == events_before);

  auto conn = c.Admin("GET", "/admin/v1/tenants/acme/connections/" + h.connection).json();
  CHECK(conn["deliveries"]["deliveries"] == 1);
  CHECK(conn["deliveries"]["duplicates"] == 1);
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

TEST_CASE("an older event never undoes a newer one; two sources describing one person end as one user") {
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
  auto old_create = h.Post("m4", json{{"id", "e1"}, {"type", "user.created"}, {"occurredAt", At(c, -60)},
                                      {"user", {{"userName", "grace@example.com"}}}}
                                     .dump());
  CHECK(old_create.json()["stale"] == 1);
  CHECK(Users(c, "acme").empty());
  CHECK(Users(c, "other").empty());
}

TEST_CASE("admin secrets: set, replace, list, delete; only fingerprints come back") {
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
