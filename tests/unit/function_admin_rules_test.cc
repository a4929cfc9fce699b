// The admin API's group automation rules (functions/admin/rules_api.h) through the
// router, as a host runs them: PUT (201 / 200), GET, list with paging, DELETE (204 /
// 404), every bad input a 400 that writes nothing, and a SCIM group PATCH that adds a
// member showing entitlement.granted in the event log.
#include <catch2/catch.hpp>

#include "scim_test_client.h"

using dirbridge::testing::ScimTestClient;
using nlohmann::json;

namespace {

const std::string kRules = "/admin/v1/tenants/acme/rules";

std::string PatchBody(const std::string& ops) {
  return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" + ops + "}";
}

std::vector<json> EventsOf(ScimTestClient& c, const std::string& type) {
  auto events = c.Admin("GET", "/admin/v1/tenants/acme/events?limit=1000").json()["events"];
  std::vector<json> out;
  for (const auto& e : events) {
    if (e["type"] == type) out.push_back(e);
  }
  return out;
}

}  // namespace

TEST_CASE("admin rules: put, get, replace, list, delete", "[entitlement]") {
  ScimTestClient c;
  c.NewTenant("acme");
  const std::string body = R"({"entitlements":[{"type":"role","name":"Developers"}],"by":"it-admin"})";
  auto created = c.Admin("PUT", kRules + "/Sales%20EMEA", body);
  REQUIRE(created.status == 201);
  CHECK(created.json()["group"] == "Sales EMEA");
  CHECK(created.json()["by"] == "it-admin");
  auto replaced = c.Admin("PUT", kRules + "/sales%20emea", R"({"entitlements":[{"type":"policy","name":"MFA"}]})");
  REQUIRE(replaced.status == 200);
  auto got = c.Admin("GET", kRules + "/SALES%20EMEA");
  REQUIRE(got.status == 200);
  CHECK(got.json()["entitlements"] == json::parse(R"([{"type":"policy","name":"MFA"}])"));
  REQUIRE(c.Admin("PUT", kRules + "/a%2Fb", body).status == 201);  // a slash in a name is one segment
  REQUIRE(c.Admin("PUT", kRules + "/Zeta", body).status == 201);

  auto first = c.Admin("GET", kRules + "?limit=2").json();
  REQUIRE(first["rules"].size() == 2);
  CHECK(first["rules"][0]["group"] == "a/b");
  REQUIRE(first.contains("next"));
  CHECK(first["next"] == "sales emea");
  auto second = c.Admin("GET", kRules + "?limit=2&after=sales%20emea").json();
  REQUIRE(second["rules"].size() == 1);
  CHECK(second["rules"][0]["group"] == "Zeta");

  REQUIRE(c.Admin("DELETE", kRules + "/zeta").status == 204);
  CHECK(c.Admin("DELETE", kRules + "/zeta").status == 404);
  CHECK(c.Admin("GET", kRules + "/zeta").status == 404);
  CHECK(c.Admin("POST", kRules + "/zeta").status == 405);
  CHECK(EventsOf(c, "rule.set").size() == 4);
  CHECK(EventsOf(c, "rule.deleted").size() == 1);
}

TEST_CASE("admin rules: bad input is a 400 that names the problem and changes nothing", "[entitlement]") {
  ScimTestClient c;
  c.NewTenant("acme");
  const auto events_before = c.Admin("GET", "/admin/v1/tenants/acme/events?limit=1000").json()["events"].size();
  auto refused = [&](const std::string& path, const std::string& body, const std::string& says) {
    auto r = c.Admin("PUT", path, body);
    CHECK(r.status == 400);
    CHECK_THAT(r.json()["detail"].get<std::string>(), Catch::Contains(says));
  };
  refused(kRules + "/Eng", "not json", "");
  refused(kRules + "/Eng", "[]", "JSON object");
  refused(kRules + "/Eng", R"({"entitlements":[{"type":"group","name":"x"}]})", "entitlements[0].type");
  refused(kRules + "/Eng", R"({"entitlements":[]})", "is empty");
  refused(kRules + "/Eng%07", R"({"entitlements":[{"type":"role","name":"x"}]})", "control character");
  refused(kRules + "/" + std::string(600, 'g'), R"({"entitlements":[{"type":"role","name":"x"}]})", "600 bytes");
  CHECK(c.Admin("GET", kRules + "?limit=0").status == 400);
  CHECK(c.Admin("GET", kRules + "?limit=201").status == 400);
  CHECK(c.Admin("DELETE", kRules + "/Eng", R"({"who":"x"})").status == 400);
  CHECK(c.Admin("GET", kRules).json()["rules"].empty());
  CHECK(c.Admin("GET", "/admin/v1/tenants/acme/events?limit=1000").json()["events"].size() == events_before);
}

TEST_CASE("admin rules: a SCIM PATCH adding a member grants, removing revokes", "[entitlement]") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  REQUIRE(c.Admin("PUT", kRules + "/Engineering",
                  R"({"entitlements":[{"type":"role","name":"Dev"},{"type":"sharedFolder","name":"Keys"}]})")
              .status == 201);
  auto user = c.Send("POST", base + "/Users", R"({"userName":"ada@example.com"})", token);
  REQUIRE(user.status == 201);
  const std::string uid = user.json()["id"];
  auto group = c.Send("POST", base + "/Groups", R"({"displayName":"engineering"})", token);
  REQUIRE(group.status == 201);
  const std::string gid = group.json()["id"];
  auto add = c.Send("PATCH", base + "/Groups/" + gid,
                    PatchBody(R"([{"op":"add","path":"members","value":[{"value":")" + uid + R"("}]}])"), token);
  REQUIRE((add.status == 204 || add.status == 200));
  auto granted = EventsOf(c, "entitlement.granted");
  REQUIRE(granted.size() == 1);
  CHECK(granted[0]["user"] == uid);
  CHECK(granted[0]["group"] == gid);
  CHECK(granted[0]["data"]["userName"] == "ada@example.com");
  CHECK(granted[0]["data"]["entitlements"] ==
        json::parse(R"([{"type":"role","name":"Dev"},{"type":"sharedFolder","name":"Keys"}])"));

  auto remove = c.Send("PATCH", base + "/Groups/" + gid,
                       PatchBody(R"([{"op":"remove","path":"members[value eq \")" + uid + R"(\"]"}])"), token);
  REQUIRE((remove.status == 204 || remove.status == 200));
  auto revoked = EventsOf(c, "entitlement.revoked");
  REQUIRE(revoked.size() == 1);
  CHECK(revoked[0]["data"]["entitlements"].size() == 2);
}
