// Authentication at the edge, in-process through the router as the hosts run it: a
// SCIM request whose bearer token is absent, malformed, forged, for another tenant
// or made under another deployment's key is refused with 401 by the router, before
// any tenant module runs, so it creates no tenant storage (on Workers: no Durable
// Object). A token that passes the edge is still checked against the stored hash,
// so a connection whose record is gone stops working.
#include <catch2/catch.hpp>

#include "scim_test_client.h"
#include "tenancy/bearer_token.h"
#include "tenancy/hook_url_gate.h"

using dirbridge::testing::ScimTestClient;
using nlohmann::json;

namespace {

bool StoreHasTenant(ScimTestClient& c, const std::string& tenant) {
  auto all = c.store().List("", "", 1000000);
  REQUIRE(all.ok());
  for (const auto& e : *all) {
    if (e.key.find(tenant) != std::string::npos) return true;
  }
  return false;
}

void CheckRefused(const dirbridge::testing::ClientResponse& r) {
  CHECK(r.status == 401);
  auto j = r.json();
  REQUIRE(j.is_object());
  CHECK(j["schemas"] == json::array({"urn:ietf:params:scim:api:messages:2.0:Error"}));
  CHECK(j["status"] == "401");
  CHECK(r.headers.at("www-authenticate") == "Bearer realm=\"dirbridge\"");
}

}  // namespace

TEST_CASE("a forged, garbage or other tenant's token is 401 at the edge and creates no tenant storage") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  REQUIRE(c.Send("GET", base + "/Users", "", token).status == 200);
  const int acme_calls = c.tenant_calls("acme");

  auto parsed = dirbridge::ParseBearerToken(token);
  REQUIRE(parsed);
  CHECK(parsed->tenant == "acme");

  // Tokens aimed at a tenant that does not exist.
  const std::string ghost = "/t/ghost-tenant/scim/v2";
  std::string forged = dirbridge::FormatBearerToken("not-the-deployment-key-0123456789abc",
                                                    {"ghost-tenant", parsed->connection_id, parsed->secret});
  for (const std::string& bad : {std::string(), std::string("garbage"), token, forged,
                                 "dbt1.ghost-tenant.0123.c2Vj." + std::string(22, 'A')}) {
    INFO("token: " << bad.substr(0, 40));
    CheckRefused(c.Send("GET", ghost + "/Users", "", bad));
    CheckRefused(c.Send("POST", ghost + "/Users", R"({"userName":"mallory"})", bad));
  }
  CHECK(c.tenant_calls("ghost-tenant") == 0);
  CHECK_FALSE(StoreHasTenant(c, "ghost-tenant"));

  // acme's token with its MAC broken never reaches acme either.
  std::string broken = token;
  broken.back() = broken.back() == 'A' ? 'B' : 'A';
  CheckRefused(c.Send("GET", base + "/Users", "", broken));
  CHECK(c.tenant_calls("acme") == acme_calls);
}

TEST_CASE("a token that passes the edge is still checked against the stored connection") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  // A token with a valid MAC (the deployment key) for a connection that acme never
  // issued: the edge lets it through, the scim module refuses it.
  auto parsed = dirbridge::ParseBearerToken(token);
  REQUIRE(parsed);
  const std::string minted =
      dirbridge::FormatBearerToken(ScimTestClient::kTokenKey, {"acme", "0000000000000000", parsed->secret});
  const int before = c.tenant_calls("acme");
  CheckRefused(c.Send("GET", base + "/Users", "", minted));
  CHECK(c.tenant_calls("acme") == before + 1);

  // Revocation: once the connection's record is gone, its token stops working.
  auto conns = c.store().List("t/acme/", "", 1000);
  REQUIRE(conns.ok());
  bool removed = false;
  for (const auto& e : *conns) {
    if (e.key.find(parsed->connection_id) != std::string::npos && e.value.find("tokenSha256") != std::string::npos) {
      dirbridge::WriteBatch batch;
      batch.Delete(e.key);
      REQUIRE(c.store().Commit(batch).ok());
      removed = true;
    }
  }
  REQUIRE(removed);
  CheckRefused(c.Send("GET", base + "/Users", "", token));
}

TEST_CASE("without a token key no connection is issued and nothing is written") {
  ScimTestClient c;
  c.env().SetConfig("DIRBRIDGE_TOKEN_KEY", "");
  REQUIRE(c.Admin("POST", "/admin/v1/tenants", R"({"id":"acme"})").status == 201);
  const auto before = c.store().size();
  auto r = c.Admin("POST", "/admin/v1/tenants/acme/connections", R"({"kind":"okta"})");
  CHECK(r.status == 503);
  CHECK(r.json()["error"] == "unavailable");
  CHECK(c.store().size() == before);
}

TEST_CASE("a signed-webhook URL with a wrong or missing gate is 404 at the edge and creates no tenant storage") {
  ScimTestClient c;
  REQUIRE(c.Admin("POST", "/admin/v1/tenants", R"({"id":"acme"})").status == 201);
  auto created = c.Admin("POST", "/admin/v1/tenants/acme/connections", R"({"kind":"signed_webhook"})");
  REQUIRE(created.status == 201);
  const std::string connection = created.json()["id"].get<std::string>();
  const std::string url = created.json()["webhookUrl"].get<std::string>();
  const std::string gate = url.substr(url.rfind('/') + 1);
  CHECK(url == "http://127.0.0.1:8787/t/acme/hooks/signed/" + connection + "/" + gate);
  CHECK(gate == dirbridge::SignedHookGate(ScimTestClient::kTokenKey, "acme", connection));
  // Reading the connection shows the same URL.
  CHECK(c.Admin("GET", "/admin/v1/tenants/acme/connections/" + connection).json()["webhookUrl"] == url);

  const std::map<std::string, std::string> headers = {
      {"webhook-id", "msg_1"}, {"webhook-timestamp", "1700000000"}, {"webhook-signature", "v1,c2ln"}};
  std::string flipped = gate;
  flipped[0] = flipped[0] == 'A' ? 'B' : 'A';
  const std::string ghost = "/t/ghost-tenant/hooks/signed/" + connection;
  for (const std::string& path :
       {ghost, ghost + "/" + gate, ghost + "/" + flipped,
        ghost + "/" + dirbridge::SignedHookGate("not-the-deployment-key-0123456789abc", "ghost-tenant", connection)}) {
    INFO(path);
    auto r = c.Send("POST", path, R"({"events":[]})", "", headers);
    CHECK(r.status == 404);
    CHECK(r.json()["error"] == "notFound");
  }
  CHECK(c.tenant_calls("ghost-tenant") == 0);
  CHECK_FALSE(StoreHasTenant(c, "ghost-tenant"));

  // At acme: without the gate, or with a wrong one, acme's module is never called;
  // with it, the request reaches the module (which checks the signature: 401).
  const int acme_calls = c.tenant_calls("acme");
  CHECK(c.Send("POST", "/t/acme/hooks/signed/" + connection, "{}", "", headers).status == 404);
  CHECK(c.Send("POST", "/t/acme/hooks/signed/" + connection + "/" + flipped, "{}", "", headers).status == 404);
  CHECK(c.tenant_calls("acme") == acme_calls);
  CHECK(c.Send("POST", "/t/acme/hooks/signed/" + connection + "/" + gate, "{}", "", headers).status == 401);
  CHECK(c.tenant_calls("acme") == acme_calls + 1);
}
