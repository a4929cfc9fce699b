// Values are bounded (provision/record_limits.h) and only declared sub-attributes are
// stored: an oversized or over-long value is a 400 that names it and changes nothing,
// and a secret smuggled inside a complex value is never stored or returned.
#include <catch2/catch.hpp>

#include "scim_test_client.h"

using dirbridge::testing::ScimTestClient;
using nlohmann::json;

namespace {

std::string PatchBody(const json& ops) {
  return json{{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}}, {"Operations", ops}}.dump();
}

bool StoreHolds(ScimTestClient& c, const std::string& needle) {
  auto all = c.store().List("", "", 1000000);
  for (const auto& e : *all) {
    if (e.key.find(needle) != std::string::npos || e.value.find(needle) != std::string::npos) return true;
  }
  return false;
}

void CheckRefused(const dirbridge::testing::ClientResponse& r, const std::string& names) {
  CHECK(r.status == 400);
  CHECK(r.json()["scimType"] == "invalidValue");
  CHECK(r.json()["detail"].get<std::string>().find(names) != std::string::npos);
}

}  // namespace

TEST_CASE("an indexed value over 512 bytes is refused and stores nothing") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  const auto before = c.store().size();
  CheckRefused(c.Send("POST", base + "/Users", json{{"userName", std::string(200 * 1024, 'a')}}.dump(), token),
               "userName");
  CheckRefused(c.Send("POST", base + "/Users", json{{"userName", std::string(513, 'a')}}.dump(), token), "userName");
  CheckRefused(c.Send("POST", base + "/Users",
                      json{{"userName", "ada"}, {"emails", {{{"value", std::string(600, 'e') + "@x"}}}}}.dump(), token),
               "emails.value");
  CheckRefused(c.Send("POST", base + "/Groups", json{{"displayName", std::string(513, 'g')}}.dump(), token),
               "displayName");
  CHECK(c.store().size() == before);
  CHECK(c.Send("POST", base + "/Users", json{{"userName", std::string(512, 'a')}}.dump(), token).status == 201);
}

TEST_CASE("more than 100 values of one attribute are refused, on POST and on PATCH") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  json emails = json::array();
  for (int i = 0; i < 2000; ++i) emails.push_back({{"value", "u" + std::to_string(i) + "@example.com"}});
  const auto before = c.store().size();
  CheckRefused(c.Send("POST", base + "/Users", json{{"userName", "ada"}, {"emails", emails}}.dump(), token), "emails");
  CHECK(c.store().size() == before);

  const std::string id = c.Send("POST", base + "/Users", R"({"userName":"ada"})", token).json()["id"];
  json many = json::array();
  for (int i = 0; i < 101; ++i) many.push_back({{"value", "r" + std::to_string(i)}});
  const auto after_create = c.store().size();
  CheckRefused(c.Send("PATCH", base + "/Users/" + id,
                      PatchBody({{{"op", "add"}, {"path", "roles"}, {"value", many}}}), token),
               "roles");
  CHECK(c.store().size() == after_create);
}

TEST_CASE("a member's display over 4096 bytes is refused") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  const std::string uid = c.Send("POST", base + "/Users", R"({"userName":"ada"})", token).json()["id"];
  auto r = c.Send("POST", base + "/Groups",
                  json{{"displayName", "G"}, {"members", {{{"value", uid}, {"display", std::string(5000, 'd')}}}}}.dump(),
                  token);
  CHECK(r.status == 400);
  CHECK(r.json()["detail"].get<std::string>().find("display") != std::string::npos);
}

TEST_CASE("sub-attributes a schema does not declare are dropped, a password above all") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto created = c.Send("POST", base + "/Users",
                        R"({"userName":"ada","roles":[{"value":"admin","password":"canary-roles-7f3a","Primary":true}]})",
                        token);
  REQUIRE(created.status == 201);
  CHECK(created.body.find("canary-roles-7f3a") == std::string::npos);
  CHECK(created.json()["roles"] == json::parse(R"([{"value":"admin","primary":true}])"));
  const std::string id = created.json()["id"];

  auto patched = c.Send("PATCH", base + "/Users/" + id,
                        PatchBody(json::parse(R"([{"op":"add","path":"addresses",
                          "value":[{"locality":"London","password":"canary-addr-91c2","secretKey":"canary-key-55"}]}])")),
                        token);
  REQUIRE(patched.status == 204);  // the Entra dialect answers a user PATCH with 204
  auto got = c.Send("GET", base + "/Users/" + id, "", token);
  CHECK(got.json()["addresses"] == json::parse(R"([{"locality":"London"}])"));
  for (const char* canary : {"canary-roles-7f3a", "canary-addr-91c2", "canary-key-55"}) {
    CHECK(got.body.find(canary) == std::string::npos);
    CHECK_FALSE(StoreHolds(c, canary));
  }
}
