// Request shapes from the IdPs' own documentation that are not covered elsewhere:
// OneLogin, PingOne / PingFederate and JumpCloud send RFC 7644 as written, with a few
// habits of their own (members with "$ref": null and "type", full-user PUT to suspend,
// PATCH with path "active", sub-attribute paths).
#include <catch2/catch.hpp>

#include "scim_test_client.h"

using dirbridge::testing::ScimTestClient;
using nlohmann::json;

namespace {
std::string PatchBody(const json& ops) {
  return json{{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}}, {"Operations", ops}}.dump();
}
std::string LastEventType(ScimTestClient& c, const std::string& tenant) {
  return c.Admin("GET", "/admin/v1/tenants/" + tenant + "/events?limit=1000").json()["events"].back()["type"];
}
}  // namespace

TEST_CASE("members sent with $ref null and a type are accepted (OneLogin, JFrog-style clients)") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme", "onelogin");
  const std::string uid = c.Send("POST", base + "/Users", R"({"userName":"u1"})", token).json()["id"];
  const std::string gid = c.Send("POST", base + "/Groups", R"({"displayName":"G"})", token).json()["id"];
  auto r = c.Send("PATCH", base + "/Groups/" + gid,
                  PatchBody({{{"op", "Add"}, {"path", "members"},
                              {"value", {{{"$ref", nullptr}, {"value", uid}, {"type", "User"}}}}}}),
                  token);
  CHECK(r.status == 204);
  CHECK(c.Send("GET", base + "/Groups/" + gid, "", token).json()["members"][0]["value"] == uid);
}

TEST_CASE("PingFederate suspends with a full-user PUT of active false") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme", "pingone");
  const std::string uid =
      c.Send("POST", base + "/Users", R"({"userName":"p1","name":{"givenName":"P","familyName":"One"}})", token)
          .json()["id"];
  auto r = c.Send("PUT", base + "/Users/" + uid,
                  R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"p1",
                      "name":{"givenName":"P","familyName":"One"},"active":false})",
                  token);
  CHECK(r.status == 200);
  CHECK(r.json()["active"] == false);
  CHECK(LastEventType(c, "acme") == "user.suspended");
  // A PUT that changes nothing appends no event.
  const auto events_before = c.Admin("GET", "/admin/v1/tenants/acme/events?limit=1000").json()["events"].size();
  c.Send("PUT", base + "/Users/" + uid,
         R"({"userName":"p1","name":{"givenName":"P","familyName":"One"},"active":false})", token);
  CHECK(c.Admin("GET", "/admin/v1/tenants/acme/events?limit=1000").json()["events"].size() == events_before);
}

TEST_CASE("JumpCloud deactivates with PATCH path active, and renames with a sub-attribute path") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme", "jumpcloud");
  const std::string uid = c.Send("POST", base + "/Users", R"({"userName":"j1"})", token).json()["id"];
  auto r = c.Send("PATCH", base + "/Users/" + uid,
                  PatchBody({{{"op", "replace"}, {"path", "active"}, {"value", false}},
                             {{"op", "replace"}, {"path", "name.givenName"}, {"value", "Jay"}}}),
                  token);
  REQUIRE(r.status == 200);
  CHECK(r.json()["active"] == false);
  CHECK(r.json()["name"]["givenName"] == "Jay");
  CHECK(LastEventType(c, "acme") == "user.suspended");
}

TEST_CASE("an enterprise manager is set through its URN path and filtered back") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme", "entra");
  const std::string boss = c.Send("POST", base + "/Users", R"({"userName":"boss"})", token).json()["id"];
  const std::string uid = c.Send("POST", base + "/Users", R"({"userName":"worker"})", token).json()["id"];
  auto r = c.Send(
      "PATCH", base + "/Users/" + uid,
      PatchBody({{{"op", "Add"},
                  {"path", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"},
                  {"value", boss}}}),
      token);
  CHECK(r.status == 204);
  auto u = c.Send("GET", base + "/Users/" + uid, "", token).json();
  CHECK(u["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["manager"]["value"] == boss);
  auto found = c.Send("GET",
                      base + "/Users?filter=urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value%20eq%20%22" +
                          boss + "%22",
                      "", token);
  CHECK(found.status == 200);
  CHECK(found.json()["totalResults"] == 1);
}

TEST_CASE("Entra adds a manager as a one-element array with a null $ref, other dialects refuse it") {
  constexpr const char* kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  for (const std::string path : {std::string("manager"), std::string(kEnterprise) + ":manager"}) {
    INFO(path);
    ScimTestClient c;
    auto [base, token] = c.NewTenant("acme", "entra");
    const std::string boss = c.Send("POST", base + "/Users", R"({"userName":"boss"})", token).json()["id"];
    const std::string uid = c.Send("POST", base + "/Users", R"({"userName":"worker"})", token).json()["id"];
    // As Microsoft's own tutorial sends it.
    auto r = c.Send("PATCH", base + "/Users/" + uid,
                    PatchBody({{{"op", "Add"}, {"path", path}, {"value", {{{"$ref", nullptr}, {"value", boss}}}}}}),
                    token);
    CHECK(r.status == 204);
    auto u = c.Send("GET", base + "/Users/" + uid, "", token).json();
    CHECK(u[kEnterprise]["manager"]["value"] == boss);
    // A replace the same way; two elements are no single value.
    const std::string boss2 = c.Send("POST", base + "/Users", R"({"userName":"boss2"})", token).json()["id"];
    r = c.Send("PATCH", base + "/Users/" + uid,
               PatchBody({{{"op", "Replace"}, {"path", path}, {"value", {{{"value", boss2}, {"$ref", nullptr}}}}}}),
               token);
    CHECK(r.status == 204);
    CHECK(c.Send("GET", base + "/Users/" + uid, "", token).json()[kEnterprise]["manager"]["value"] == boss2);
    r = c.Send("PATCH", base + "/Users/" + uid,
               PatchBody({{{"op", "Add"}, {"path", path}, {"value", {{{"value", boss}}, {{"value", boss2}}}}}}), token);
    CHECK(r.status == 400);

    // Outside Entra's dialect the array stays what RFC 7644 says it is: not a single value.
    auto [okta_base, okta_token] = c.NewTenant("other", "okta");
    const std::string okta_boss =
        c.Send("POST", okta_base + "/Users", R"({"userName":"boss"})", okta_token).json()["id"];
    const std::string okta_uid =
        c.Send("POST", okta_base + "/Users", R"({"userName":"worker"})", okta_token).json()["id"];
    const auto before = c.store().size();
    r = c.Send("PATCH", okta_base + "/Users/" + okta_uid,
               PatchBody({{{"op", "Add"}, {"path", path}, {"value", {{{"$ref", nullptr}, {"value", okta_boss}}}}}}),
               okta_token);
    CHECK(r.status == 400);
    CHECK(r.json()["scimType"] == "invalidValue");
    CHECK(c.store().size() == before);
  }
}

TEST_CASE("Entra's replace through an unmatched filter adds a value only when the filter says what it is") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme", "entra");
  const std::string uid = c.Send("POST", base + "/Users", R"({"userName":"ada"})", token).json()["id"];
  auto r = c.Send("PATCH", base + "/Users/" + uid,
                  PatchBody({{{"op", "Replace"}, {"path", "emails[type eq \"work\"].value"}, {"value", "ada@work.example"}}}),
                  token);
  CHECK(r.status == 204);
  auto u = c.Send("GET", base + "/Users/" + uid, "", token).json();
  CHECK(u["emails"] == json::parse(R"([{"type":"work","value":"ada@work.example"}])"));

  const auto before = c.store().size();
  for (const char* path : {R"(addresses[type eq "work" or type eq "home"].locality)", "entitlements[toto eq true].value"}) {
    INFO(path);
    r = c.Send("PATCH", base + "/Users/" + uid, PatchBody({{{"op", "Replace"}, {"path", path}, {"value", "x"}}}), token);
    CHECK(r.status == 400);
    CHECK(r.json()["scimType"] == "noTarget");
  }
  CHECK(c.store().size() == before);
  u = c.Send("GET", base + "/Users/" + uid, "", token).json();
  CHECK_FALSE(u.contains("addresses"));
  CHECK_FALSE(u.contains("entitlements"));
}

TEST_CASE("Entra's test-connection lookup of a random value gets an empty list") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme", "entra");
  auto r = c.Send("GET", base + "/Users?filter=userName%20eq%20%22c5b4a4e0-8a7a-4b5b-9b62-6f0e5e8f7d1a%22", "", token);
  CHECK(r.status == 200);
  CHECK(r.json()["totalResults"] == 0);
  CHECK(r.json()["Resources"].empty());
  auto g = c.Send("GET", base + "/Groups?filter=displayName%20eq%20%22nope%22&excludedAttributes=members", "", token);
  CHECK(g.json()["totalResults"] == 0);
}

TEST_CASE("OneLogin's documented user template: one email object and SCIM 1.1 URNs") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme", "onelogin");
  const std::string manager = c.Send("POST", base + "/Users", R"({"userName":"boss"})", token).json()["id"];
  auto body = json::parse(R"({
    "schemas": ["urn:scim:schemas:core:2.0", "urn:scim:schemas:extension:enterprise:1.0"],
    "userName": "ol.user@example.com",
    "name": {"givenName": "Olu", "familyName": "Login"},
    "emails": {"value": "ol.user@example.com", "primary": true},
    "urn:scim:schemas:extension:enterprise:1.0": {"department": "Finance", "manager": {"managerId": ""}}
  })");
  body["urn:scim:schemas:extension:enterprise:1.0"]["manager"]["managerId"] = manager;
  auto r = c.Send("POST", base + "/Users", body.dump(), token);
  REQUIRE(r.status == 201);
  auto user = r.json();
  CHECK(user["emails"] == json::parse(R"([{"value":"ol.user@example.com","primary":true}])"));
  const auto& enterprise = user["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"];
  CHECK(enterprise["department"] == "Finance");
  CHECK(enterprise["manager"]["value"] == manager);
  // The same body from a connection that is not OneLogin is refused, as RFC 7643 says.
  auto [entra_base, entra_token] = c.NewTenant("other", "entra");
  CHECK(c.Send("POST", entra_base + "/Users", body.dump(), entra_token).status == 400);
}
