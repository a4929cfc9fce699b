// functions/scim end to end in-process: tenants, connections, the first SCIM user
// endpoints, isolation between tenants, and bad input changing nothing.
#include <catch2/catch.hpp>

#include "scim_test_client.h"

using dirbridge::testing::ScimTestClient;
using nlohmann::json;

namespace {
const char* kAda = R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
  "userName":"Ada@Example.com","externalId":"e-1","name":{"givenName":"Ada","familyName":"Lovelace"},
  "emails":[{"value":"ada@example.com","type":"work","primary":true}],"active":true,
  "password":"hunter2-never-stored"})";

void CheckScimError(const dirbridge::testing::ClientResponse& r, int status) {
  CHECK(r.status == status);
  auto j = r.json();
  REQUIRE(j.is_object());
  CHECK(j["schemas"] == json::array({"urn:ietf:params:scim:api:messages:2.0:Error"}));
  CHECK(j["status"] == std::to_string(status));
  CHECK(j["detail"].is_string());
}

// The admin API's errors (core/api_error.h): {"status": 401, "error": "unauthorized", "detail": ...}.
void CheckApiError(const dirbridge::testing::ClientResponse& r, int status, const std::string& error) {
  CHECK(r.status == status);
  CHECK(r.headers.at("content-type") == "application/json");
  auto j = r.json();
  REQUIRE(j.is_object());
  CHECK(j["status"] == status);
  CHECK(j["error"] == error);
  CHECK(j["detail"].is_string());
  CHECK_FALSE(j.contains("schemas"));
}
}  // namespace

TEST_CASE("admin API refuses requests without the admin token") {
  ScimTestClient c;
  CheckApiError(c.Send("POST", "/admin/v1/tenants", "{}"), 401, "unauthorized");
  CheckApiError(c.Send("POST", "/admin/v1/tenants", "{}", "wrong-token"), 401, "unauthorized");
  CHECK(c.store().size() == 0);
}

TEST_CASE("a tenant id that is not a slug is refused and nothing is created") {
  ScimTestClient c;
  auto r = c.Admin("POST", "/admin/v1/tenants", R"({"id":"Bad Id/.."})");
  CheckApiError(r, 400, "invalidInput");
  CHECK(r.json()["detail"].get<std::string>().find("invalid") != std::string::npos);
  CHECK(c.store().size() == 0);
}

TEST_CASE("creating the same tenant twice is a conflict") {
  ScimTestClient c;
  CHECK(c.Admin("POST", "/admin/v1/tenants", R"({"id":"acme"})").status == 201);
  CheckApiError(c.Admin("POST", "/admin/v1/tenants", R"({"id":"acme"})"), 409, "conflict");
}

TEST_CASE("a connection of an unknown kind is refused with the list of kinds") {
  ScimTestClient c;
  c.Admin("POST", "/admin/v1/tenants", R"({"id":"acme"})");
  auto r = c.Admin("POST", "/admin/v1/tenants/acme/connections", R"({"kind":"myspace"})");
  CheckApiError(r, 400, "invalidInput");
  CHECK(r.json()["detail"].get<std::string>().find("okta") != std::string::npos);
}

TEST_CASE("a connection token is returned once and only its hash is stored") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  CHECK(token.rfind("dbt1.acme.", 0) == 0);  // tenancy/bearer_token.h
  auto entries = c.store().List("t/acme/", "", 1000);
  REQUIRE(entries.ok());
  for (const auto& e : *entries) CHECK(e.value.find(token) == std::string::npos);
}

TEST_CASE("POST, GET, filter by userName and DELETE a user") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto created = c.Send("POST", base + "/Users", kAda, token);
  REQUIRE(created.status == 201);
  CHECK(created.headers["content-type"] == "application/scim+json");
  auto user = created.json();
  const std::string id = user["id"];
  CHECK(user["meta"]["location"] == "http://127.0.0.1:8787" + base + "/Users/" + id);
  CHECK(user["meta"]["version"] == "W/\"1\"");
  CHECK_FALSE(user.contains("password"));

  auto got = c.Send("GET", base + "/Users/" + id, "", token);
  CHECK(got.status == 200);
  CHECK(got.json()["userName"] == "Ada@Example.com");
  CHECK(got.body.find("hunter2") == std::string::npos);

  // userName is case-insensitive, and the lookup goes through the index.
  c.store().ResetCounts();
  auto found = c.Send("GET", base + "/Users?filter=userName%20eq%20%22ada@example.COM%22", "", token);
  CHECK(found.status == 200);
  CHECK(found.json()["totalResults"] == 1);
  CHECK(found.json()["Resources"][0]["id"] == id);
  CHECK(c.store().counts().lists == 0);

  auto none = c.Send("GET", base + "/Users?filter=userName%20eq%20%22nobody%22", "", token);
  CHECK(none.json()["totalResults"] == 0);

  CHECK(c.Send("DELETE", base + "/Users/" + id, "", token).status == 204);
  CheckScimError(c.Send("GET", base + "/Users/" + id, "", token), 404);
  CHECK(c.Send("GET", base + "/Users?filter=userName%20eq%20%22ada@example.com%22", "", token)
            .json()["totalResults"] == 0);
}

TEST_CASE("a second user with the same userName in any case is 409 uniqueness") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  REQUIRE(c.Send("POST", base + "/Users", kAda, token).status == 201);
  const auto before = c.store().size();
  auto dup = c.Send("POST", base + "/Users", R"({"userName":"ADA@example.com"})", token);
  CheckScimError(dup, 409);
  CHECK(dup.json()["scimType"] == "uniqueness");
  CHECK(c.store().size() == before);
}

TEST_CASE("bad bodies get specific 400s and change nothing") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  const auto before = c.store().size();
  auto not_json = c.Send("POST", base + "/Users", "{\"userName\": ", token);
  CheckScimError(not_json, 400);
  CHECK(not_json.json()["scimType"] == "invalidSyntax");
  auto no_name = c.Send("POST", base + "/Users", R"({"displayName":"x"})", token);
  CheckScimError(no_name, 400);
  CHECK(no_name.json()["detail"].get<std::string>().find("userName") != std::string::npos);
  auto wrong_type = c.Send("POST", base + "/Users", R"({"userName":"x","active":[1]})", token);
  CheckScimError(wrong_type, 400);
  CHECK(wrong_type.json()["detail"].get<std::string>().find("active") != std::string::npos);
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  CheckScimError(c.Send("POST", base + "/Users", deep, token), 400);
  CHECK(c.store().size() == before);
}

TEST_CASE("a token of tenant A never reaches tenant B") {
  ScimTestClient c;
  auto [base_a, token_a] = c.NewTenant("tenant-a");
  auto [base_b, token_b] = c.NewTenant("tenant-b");
  auto created = c.Send("POST", base_b + "/Users", kAda, token_b);
  REQUIRE(created.status == 201);
  const std::string id = created.json()["id"];
  CheckScimError(c.Send("GET", base_b + "/Users/" + id, "", token_a), 401);
  CheckScimError(c.Send("POST", base_b + "/Users", R"({"userName":"mallory"})", token_a), 401);
  CheckScimError(c.Send("GET", base_a + "/Users/" + id, "", token_a), 404);
}

TEST_CASE("every change appends one event to the tenant's ordered log") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  const std::string id = c.Send("POST", base + "/Users", kAda, token).json()["id"];
  c.Send("DELETE", base + "/Users/" + id, "", token);
  auto events = c.Admin("GET", "/admin/v1/tenants/acme/events").json()["events"];
  REQUIRE(events.size() == 2);
  CHECK(events[0]["sequence"] == 1);
  CHECK(events[0]["type"] == "user.provisioned");
  CHECK(events[0]["source"]["kind"] == "entra");
  CHECK(events[1]["type"] == "user.archived");  // the default policy keeps the account
  CHECK(events[1]["user"] == id);
}

TEST_CASE("a failed commit leaves no partial state") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  const auto before = c.store().size();
  c.store().FailNextCommit();
  auto r = c.Send("POST", base + "/Users", kAda, token);
  CheckScimError(r, 500);
  CHECK(c.store().size() == before);
}

TEST_CASE("ServiceProviderConfig describes the server") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto r = c.Send("GET", base + "/ServiceProviderConfig", "", token);
  CHECK(r.status == 200);
  auto j = r.json();
  CHECK(j["schemas"][0] == "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig");
  CHECK(j["authenticationSchemes"][0]["type"] == "oauthbearertoken");
}
