// functions/webhooks (Okta Event Hooks) through the router, in-process as the hosts
// run it: the hook secret is checked at the edge (its MAC, tenant and connection) and
// against the stored hash; the verification answers the challenge; a delivery is 204
// and changes the directory once; bad bodies and secrets change nothing.

#include <catch2/catch.hpp>

#include "scim_test_client.h"
#include "tenancy/bearer_token.h"

using dirbridge::testing::ScimTestClient;
using nlohmann::json;

namespace {

struct Hook {
  std::string url;  // path only
  std::string header;
  std::string secret;
  std::string connection;
  std::string scim_token;
};

Hook NewOktaHook(ScimTestClient& c, const std::string& tenant, const json& options = json::object()) {
  auto [base, token] = c.NewTenant(tenant, "entra");
  json body = options;
  body["kind"] = "okta";
  auto r = c.Admin("POST", "/admin/v1/tenants/" + tenant + "/connections", body.dump());
  REQUIRE(r.status == 201);
  auto j = r.json();
  Hook h;
  h.url = j["eventHook"]["url"].get<std::string>().substr(std::string("http://127.0.0.1:8787").size());
  h.header = j["eventHook"]["header"];
  h.secret = j["eventHook"]["secret"];
  h.connection = j["id"];
  h.scim_token = token;
  return h;
}

std::string Delivery(const std::string& type, const std::string& uuid, const std::string& published) {
  json e = {{"uuid", uuid},
            {"published", published},
            {"eventType", type},
            {"outcome", {{"result", "SUCCESS"}}},
            {"target",
             json::array(
                 {{{"id", "00uada"}, {"type", "User"}, {"alternateId", "ada@example.com"}, {"displayName", "Ada"}}})}};
  return json{{"eventType", "com.okta.event_hook"}, {"data", {{"events", json::array({e})}}}}.dump();
}

}  // namespace

TEST_CASE("an Okta hook verifies, delivers once, and refuses wrong secrets") {
  ScimTestClient c;
  Hook h = NewOktaHook(c, "acme");
  CHECK(h.header == "authorization");
  CHECK(h.url == "/t/acme/hooks/okta/" + h.connection);

  auto v = c.Send("GET", h.url, "", "", {{"authorization", h.secret}, {"x-okta-verification-challenge", "abc"}});
  CHECK(v.status == 200);
  CHECK(v.json() == json{{"verification", "abc"}});

  auto d = c.Send("POST", h.url, Delivery("user.lifecycle.activate", "u1", "2026-11-25T10:00:00Z"), "",
                  {{"authorization", h.secret}});
  CHECK(d.status == 204);
  CHECK(d.body.empty());
  auto again = c.Send("POST", h.url, Delivery("user.lifecycle.activate", "u1", "2026-11-25T10:00:00Z"), "",
                      {{"authorization", h.secret}});
  CHECK(again.status == 204);
  auto users = c.Send("GET", "/t/acme/scim/v2/Users", "", h.scim_token).json();
  CHECK(users["totalResults"] == 1);
  auto stats = c.Admin("GET", "/admin/v1/tenants/acme/connections/" + h.connection + "/hook").json();
  CHECK(stats["outcomes"]["applied"] == 1);
  CHECK(stats["outcomes"]["duplicate"] == 1);

  const int calls = c.tenant_calls("acme");
  // Refused at the edge: no secret, garbage, another tenant's connection in the URL, the SCIM token.
  CHECK(c.Send("POST", h.url, "{}", "").status == 401);
  CHECK(c.Send("POST", h.url, "{}", "", {{"authorization", "garbage"}}).status == 401);
  CHECK(c.Send("POST", "/t/acme/hooks/okta/0123456789abcdef", "{}", "", {{"authorization", h.secret}}).status == 401);
  CHECK(c.Send("POST", "/t/other/hooks/okta/" + h.connection, "{}", "", {{"authorization", h.secret}}).status == 401);
  CHECK(c.Send("POST", h.url, "{}", h.scim_token).status == 401);
  CHECK(c.Send("PUT", h.url, "{}", "", {{"authorization", h.secret}}).status == 405);
  CHECK(c.tenant_calls("acme") == calls);
  // A secret with a valid MAC that was never issued passes the edge, not the stored hash.
  auto parsed = dirbridge::ParseHookSecret(h.secret);
  REQUIRE(parsed);
  parsed->secret = std::string(43, 'A');
  const std::string minted = dirbridge::FormatHookSecret(ScimTestClient::kTokenKey, *parsed);
  CHECK(c.Send("POST", h.url, "{}", "", {{"authorization", minted}}).status == 401);
  CHECK(c.tenant_calls("acme") == calls + 1);

  CHECK(c.Send("POST", h.url, "{nope", "", {{"authorization", h.secret}}).status == 400);
  CHECK(c.Send("POST", h.url, "{}", "", {{"authorization", h.secret}}).status == 400);
  CHECK(c.Send("GET", h.url, "", "", {{"authorization", h.secret}}).status == 400);  // no challenge
}

TEST_CASE("a custom hook header: the secret counts only there, options only for okta") {
  ScimTestClient c;
  Hook h = NewOktaHook(c, "acme", {{"hookHeader", "X-Okta-Key"}});
  CHECK(h.header == "x-okta-key");
  auto ok = c.Send("GET", h.url, "", "", {{"x-okta-key", h.secret}, {"x-okta-verification-challenge", "v"}});
  CHECK(ok.status == 200);
  auto wrong = c.Send("GET", h.url, "", "", {{"authorization", h.secret}, {"x-okta-verification-challenge", "v"}});
  CHECK(wrong.status == 401);
  CHECK(c.Admin("POST", "/admin/v1/tenants/acme/connections", R"({"kind":"entra","hookHeader":"x"})").status == 400);
  CHECK(c.Admin("POST", "/admin/v1/tenants/acme/connections", R"({"kind":"okta","hookHeader":"bad header"})").status ==
        400);
  CHECK(c.Admin("POST", "/admin/v1/tenants/acme/connections", R"({"kind":"okta","hookHeader":"Host"})").status == 400);
  auto entra = c.Admin("POST", "/admin/v1/tenants/acme/connections", R"({"kind":"entra"})").json();
  CHECK_FALSE(entra.contains("eventHook"));
  CHECK(c.Admin("GET", "/admin/v1/tenants/acme/connections/" + entra["id"].get<std::string>() + "/hook").status == 404);
}
