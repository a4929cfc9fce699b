// SCIM semantics that two popular SCIM libraries' test suites showed we had wrong
// (RFC 7643 §2.4, RFC 7644 §3.4.2.2, §3.5.2), and the rule that only an explicit
// value changes `active`.
#include <catch2/catch.hpp>

#include "scim_test_client.h"

using dirbridge::testing::ScimTestClient;
using nlohmann::json;

namespace {

std::string PatchBody(const std::string& ops) {
  return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" + ops + "}";
}

std::string EventTypes(ScimTestClient& c) {
  auto events = c.Admin("GET", "/admin/v1/tenants/acme/events?limit=1000").json()["events"];
  std::string out;
  for (const auto& e : events) out += e["type"].get<std::string>() + " ";
  return out;
}

}  // namespace

TEST_CASE("primary false is kept on emails and can be filtered on") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto r = c.Send("POST", base + "/Users",
                  R"({"userName":"ada","emails":[{"value":"a@x.com","primary":true},{"value":"b@x.com","primary":false}]})",
                  token);
  REQUIRE(r.status == 201);
  CHECK(r.json()["emails"][1]["primary"] == false);
  auto found = c.Send("GET", base + "/Users?filter=emails%5Bprimary%20eq%20false%5D", "", token).json();
  CHECK(found["totalResults"] == 1);
  const std::string id = r.json()["id"];
  REQUIRE(c.Send("PATCH", base + "/Users/" + id,
                 PatchBody(R"([{"op":"replace","path":"emails[primary eq false].value","value":"c@x.com"}])"), token)
              .status == 204);
  auto got = c.Send("GET", base + "/Users/" + id, "", token).json();
  CHECK(got["emails"][1] == json::parse(R"({"value":"c@x.com","primary":false})"));
}

TEST_CASE("removing active never reactivates a suspended user") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  const std::string id = c.Send("POST", base + "/Users", R"({"userName":"ada","active":false})", token).json()["id"];
  auto r = c.Send("PATCH", base + "/Users/" + id, PatchBody(R"([{"op":"remove","path":"active"}])"), token);
  CHECK(r.status == 204);
  CHECK(c.Send("GET", base + "/Users/" + id, "", token).json()["active"] == false);
  // A PUT that leaves active out does not reactivate either; an explicit true does.
  CHECK(c.Send("PUT", base + "/Users/" + id, R"({"userName":"ada","title":"Eng"})", token).json()["active"] == false);
  CHECK(EventTypes(c).find("user.reactivated") == std::string::npos);
  CHECK(c.Send("PUT", base + "/Users/" + id, R"({"userName":"ada","active":true})", token).json()["active"] == true);
  CHECK(EventTypes(c).find("user.reactivated") != std::string::npos);
}

TEST_CASE("pr on a complex attribute asks whether it has any value") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  REQUIRE(c.Send("POST", base + "/Users", R"({"userName":"named","name":{"givenName":"Ada"}})", token).status == 201);
  REQUIRE(c.Send("POST", base + "/Users",
                 R"({"userName":"housed","addresses":[{"locality":"London"}]})", token).status == 201);
  REQUIRE(c.Send("POST", base + "/Users", R"({"userName":"bare"})", token).status == 201);
  auto named = c.Send("GET", base + "/Users?filter=name%20pr", "", token).json();
  CHECK(named["totalResults"] == 1);
  CHECK(named["Resources"][0]["userName"] == "named");
  auto housed = c.Send("GET", base + "/Users?filter=addresses%20pr", "", token).json();
  CHECK(housed["totalResults"] == 1);
  CHECK(housed["Resources"][0]["userName"] == "housed");
}

TEST_CASE("ordering operators on a boolean or null are invalidFilter") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  for (const char* filter : {"active%20lt%20true", "active%20ge%20false", "title%20gt%20null"}) {
    auto r = c.Send("GET", base + "/Users?filter=" + std::string(filter), "", token);
    CHECK(r.status == 400);
    CHECK(r.json()["scimType"] == "invalidFilter");
  }
}
