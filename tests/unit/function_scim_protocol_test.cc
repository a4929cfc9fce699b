// functions/scim in-process: Groups and memberships at O(1) cost, PATCH dialects,
// ETags, filters, sorting, projection and discovery.
#include <catch2/catch.hpp>

#include <set>

#include "scim_test_client.h"

using dirbridge::testing::ClientResponse;
using dirbridge::testing::ScimTestClient;
using nlohmann::json;

namespace {

std::string NewUser(ScimTestClient& c, const std::string& base, const std::string& token, const std::string& name,
                    const std::string& extra = "") {
  auto r = c.Send("POST", base + "/Users",
                  R"({"userName":")" + name + R"(","emails":[{"value":")" + name + R"(@example.com","type":"work"}])" +
                      extra + "}",
                  token);
  REQUIRE(r.status == 201);
  return r.json()["id"];
}

std::string Patch(const std::string& ops) {
  return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" + ops + "}";
}

std::string Enc(std::string s) {
  std::string out;
  for (char ch : s) {
    if (ch == ' ') out += "%20";
    else if (ch == '"') out += "%22";
    else out += ch;
  }
  return out;
}

}  // namespace

TEST_CASE("a group is created with members and lists them") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto u1 = NewUser(c, base, token, "u1");
  auto r = c.Send("POST", base + "/Groups",
                  R"({"displayName":"Engineering","members":[{"value":")" + u1 + R"(","display":"U One"}]})", token);
  REQUIRE(r.status == 201);
  auto g = r.json();
  CHECK(g["members"].size() == 1);
  CHECK(g["members"][0]["value"] == u1);
  CHECK(g["members"][0]["display"] == "U One");
  CHECK(g["meta"]["resourceType"] == "Group");
}

TEST_CASE("a member that is not a user of the tenant is refused and nothing changes") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  const auto before = c.store().size();
  auto r = c.Send("POST", base + "/Groups", R"({"displayName":"X","members":[{"value":"nope"}]})", token);
  CHECK(r.status == 400);
  CHECK(r.json()["detail"].get<std::string>().find("nope") != std::string::npos);
  CHECK(c.store().size() == before);
}

TEST_CASE("adding one member costs the same store operations whatever the group's size") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  const std::string gid = c.Send("POST", base + "/Groups", R"({"displayName":"All"})", token).json()["id"];
  std::vector<std::string> users;
  for (int i = 0; i < 600; ++i) users.push_back(NewUser(c, base, token, "user" + std::to_string(i)));

  auto add_one = [&](const std::string& uid) {
    c.store().ResetCounts();
    auto r = c.Send("PATCH", base + "/Groups/" + gid,
                    Patch(R"([{"op":"add","path":"members","value":[{"value":")" + uid + R"("}]}])"), token);
    REQUIRE(r.status == 204);
    return c.store().counts();
  };
  auto small = add_one(users[0]);
  // Grow the group to 500 members in batches, as Entra does.
  for (int batch = 0; batch < 5; ++batch) {
    json values = json::array();
    for (int i = 1 + batch * 100; i <= (batch + 1) * 100; ++i) values.push_back({{"value", users[i]}});
    auto r = c.Send("PATCH", base + "/Groups/" + gid,
                    Patch(json::array({{{"op", "Add"}, {"path", "members"}, {"value", values}}}).dump()), token);
    REQUIRE(r.status == 204);
  }
  auto large = add_one(users[550]);
  CHECK(large.gets == small.gets);
  CHECK(large.puts == small.puts);
  CHECK(large.lists == 0);
  CHECK(small.lists == 0);

  c.store().ResetCounts();
  auto without = c.Send("GET", base + "/Groups/" + gid + "?excludedAttributes=members", "", token);
  CHECK(without.status == 200);
  CHECK_FALSE(without.json().contains("members"));
  CHECK(c.store().counts().lists == 0);

  auto with = c.Send("GET", base + "/Groups/" + gid, "", token).json();
  CHECK(with["members"].size() == 502);
}

TEST_CASE("members[value eq \"id\"] removes exactly that member") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto u1 = NewUser(c, base, token, "u1");
  auto u2 = NewUser(c, base, token, "u2");
  const std::string gid = c.Send("POST", base + "/Groups",
                                 R"({"displayName":"G","members":[{"value":")" + u1 + R"("},{"value":")" + u2 + R"("}]})",
                                 token)
                              .json()["id"];
  auto r = c.Send("PATCH", base + "/Groups/" + gid,
                  Patch(R"([{"op":"remove","path":"members[value eq \")" + u1 + R"(\"]"}])"), token);
  CHECK(r.status == 204);
  auto g = c.Send("GET", base + "/Groups/" + gid, "", token).json();
  REQUIRE(g["members"].size() == 1);
  CHECK(g["members"][0]["value"] == u2);
}

TEST_CASE("replace of members with a list sets exactly that list") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto u1 = NewUser(c, base, token, "u1");
  auto u2 = NewUser(c, base, token, "u2");
  auto u3 = NewUser(c, base, token, "u3");
  const std::string gid = c.Send("POST", base + "/Groups",
                                 R"({"displayName":"G","members":[{"value":")" + u1 + R"("},{"value":")" + u2 + R"("}]})",
                                 token)
                              .json()["id"];
  auto r = c.Send("PATCH", base + "/Groups/" + gid,
                  Patch(R"([{"op":"replace","path":"members","value":[{"value":")" + u2 + R"("},{"value":")" + u3 +
                        R"("}]}])"),
                  token);
  CHECK(r.status == 204);
  auto members = c.Send("GET", base + "/Groups/" + gid, "", token).json()["members"];
  std::set<std::string> ids;
  for (auto& m : members) ids.insert(m["value"].get<std::string>());
  CHECK(ids == std::set<std::string>{u2, u3});
}

TEST_CASE("Okta's PATCH replace with a value object suspends the user, with one suspended event") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme", "okta");
  auto uid = NewUser(c, base, token, "u1");
  auto r = c.Send("PATCH", base + "/Users/" + uid, Patch(R"([{"op":"replace","value":{"active":false}}])"), token);
  REQUIRE(r.status == 200);
  CHECK(r.json()["active"] == false);
  auto events = c.Admin("GET", "/admin/v1/tenants/acme/events").json()["events"];
  CHECK(events.back()["type"] == "user.suspended");
}

TEST_CASE("Entra's capitalised Replace with a boolean string reactivates the user") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto uid = NewUser(c, base, token, "u1", R"(,"active":false)");
  auto r = c.Send("PATCH", base + "/Users/" + uid,
                  Patch(R"([{"op":"Replace","path":"active","value":"True"}])"), token);
  REQUIRE(r.status == 204);  // Entra's dialect: no body
  CHECK(r.headers["etag"] == "W/\"2\"");
  CHECK(c.Send("GET", base + "/Users/" + uid, "", token).json()["active"] == true);
  CHECK(c.Admin("GET", "/admin/v1/tenants/acme/events").json()["events"].back()["type"] == "user.reactivated");
}

TEST_CASE("a password sent in PATCH is dropped, never stored") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto uid = NewUser(c, base, token, "u1");
  auto r = c.Send("PATCH", base + "/Users/" + uid,
                  Patch(R"([{"op":"replace","path":"password","value":"s3cret-vault-key"}])"), token);
  CHECK(r.status == 204);
  auto entries = c.store().List("t/acme/", "", 100000);
  REQUIRE(entries.ok());
  for (const auto& e : *entries) CHECK(e.value.find("s3cret-vault-key") == std::string::npos);
}

TEST_CASE("If-Match with a stale version is 412 and changes nothing") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme", "onelogin");
  auto uid = NewUser(c, base, token, "u1");
  auto r = c.Send("PATCH", base + "/Users/" + uid, Patch(R"([{"op":"replace","path":"title","value":"CTO"}])"), token,
                  {{"if-match", "W/\"7\""}});
  CHECK(r.status == 412);
  CHECK_FALSE(c.Send("GET", base + "/Users/" + uid, "", token).json().contains("title"));
  auto ok = c.Send("PATCH", base + "/Users/" + uid, Patch(R"([{"op":"replace","path":"title","value":"CTO"}])"), token,
                   {{"if-match", "W/\"1\""}});
  CHECK(ok.status == 200);
  CHECK(ok.headers["etag"] == "W/\"2\"");
  CHECK(c.Send("GET", base + "/Users/" + uid, "", token, {{"if-none-match", "W/\"2\""}}).status == 304);
}

TEST_CASE("filters beyond equality, sorting and paging") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  for (auto n : {"carol", "alice", "bob", "oscar", "olga"}) NewUser(c, base, token, n);
  auto sw = c.Send("GET", base + "/Users?filter=" + Enc("userName sw \"O\"") + "&sortBy=userName", "", token).json();
  REQUIRE(sw["totalResults"] == 2);
  CHECK(sw["Resources"][0]["userName"] == "olga");
  CHECK(sw["Resources"][1]["userName"] == "oscar");
  auto page = c.Send("GET", base + "/Users?sortBy=userName&sortOrder=descending&startIndex=2&count=2", "", token).json();
  CHECK(page["totalResults"] == 5);
  CHECK(page["itemsPerPage"] == 2);
  CHECK(page["Resources"][0]["userName"] == "olga");
  auto unsorted = c.Send("GET", base + "/Users?startIndex=4&count=10", "", token).json();
  CHECK(unsorted["totalResults"] == 5);
  CHECK(unsorted["Resources"].size() == 2);
  auto bad = c.Send("GET", base + "/Users?filter=" + Enc("userName zz \"x\""), "", token);
  CHECK(bad.status == 400);
  CHECK(bad.json()["scimType"] == "invalidFilter");
}

TEST_CASE("attributes keeps only what was asked, plus id and schemas") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  NewUser(c, base, token, "alice");
  auto r = c.Send("GET", base + "/Users?attributes=userName", "", token).json();
  auto u = r["Resources"][0];
  CHECK(u.contains("id"));
  CHECK(u.contains("userName"));
  CHECK_FALSE(u.contains("emails"));
}

TEST_CASE("POST .search takes the query in the body") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  NewUser(c, base, token, "alice");
  NewUser(c, base, token, "bob");
  auto r = c.Send("POST", base + "/Users/.search",
                  R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"userName eq \"bob\""})",
                  token);
  CHECK(r.status == 200);
  CHECK(r.json()["totalResults"] == 1);
}

TEST_CASE("Schemas and ResourceTypes describe Users, the enterprise extension and Groups") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto schemas = c.Send("GET", base + "/Schemas", "", token).json();
  CHECK(schemas["totalResults"] == 3);
  auto types = c.Send("GET", base + "/ResourceTypes", "", token).json();
  CHECK(types["totalResults"] == 2);
  CHECK(c.Send("GET", base + "/ResourceTypes/User", "", token).status == 200);
  CHECK(c.Send("GET", base + "/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group", "", token).status == 200);
}

TEST_CASE("the Group schema says members are Users, the only kind a group accepts") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto group_schema = c.Send("GET", base + "/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group", "", token).json();
  json members;
  for (const auto& a : group_schema["attributes"]) {
    if (a["name"] == "members") members = a;
  }
  REQUIRE(members.is_object());
  int checked = 0;
  for (const auto& sub : members["subAttributes"]) {
    if (sub["name"] == "$ref") {
      CHECK(sub["referenceTypes"] == json::array({"User"}));
      ++checked;
    }
    if (sub["name"] == "type") {
      CHECK(sub["canonicalValues"] == json::array({"User"}));
      ++checked;
    }
  }
  CHECK(checked == 2);
  // What the schema no longer promises: a group is not accepted as a member.
  const std::string inner = c.Send("POST", base + "/Groups", R"({"displayName":"Inner"})", token).json()["id"];
  const std::string outer = c.Send("POST", base + "/Groups", R"({"displayName":"Outer"})", token).json()["id"];
  auto r = c.Send("PATCH", base + "/Groups/" + outer,
                  Patch(R"([{"op":"add","path":"members","value":[{"value":")" + inner + R"(","type":"Group"}]}])"),
                  token);
  CHECK(r.status == 400);
}

TEST_CASE("deleting a user removes its memberships") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto u1 = NewUser(c, base, token, "u1");
  const std::string gid =
      c.Send("POST", base + "/Groups", R"({"displayName":"G","members":[{"value":")" + u1 + R"("}]})", token)
          .json()["id"];
  CHECK(c.Send("DELETE", base + "/Users/" + u1, "", token).status == 204);
  auto g = c.Send("GET", base + "/Groups/" + gid, "", token).json();
  CHECK(g["members"].empty());
  CHECK(g["meta"]["version"] == "W/\"2\"");  // the group changed, so its ETag did
  auto events = c.Admin("GET", "/admin/v1/tenants/acme/events?limit=1000").json()["events"];
  REQUIRE(events.size() >= 2);
  CHECK(events[events.size() - 2]["type"] == "group.member_removed");
  CHECK(events.back()["type"] == "user.archived");
}

TEST_CASE("Entra without aadOptscim062020 removes members by value, not the whole set") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto u1 = NewUser(c, base, token, "u1");
  auto u2 = NewUser(c, base, token, "u2");
  const std::string gid = c.Send("POST", base + "/Groups",
                                 R"({"displayName":"G","members":[{"value":")" + u1 + R"("},{"value":")" + u2 + R"("}]})",
                                 token)
                              .json()["id"];
  auto r = c.Send("PATCH", base + "/Groups/" + gid,
                  Patch(R"([{"op":"Remove","path":"members","value":[{"value":")" + u1 + R"("}]}])"), token);
  CHECK(r.status == 204);
  auto members = c.Send("GET", base + "/Groups/" + gid, "", token).json()["members"];
  REQUIRE(members.size() == 1);
  CHECK(members[0]["value"] == u2);
}

TEST_CASE("Okta group push renames with the id in the value and replaces members") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto u1 = NewUser(c, base, token, "u1");
  const std::string gid = c.Send("POST", base + "/Groups", R"({"displayName":"Old"})", token).json()["id"];
  auto r = c.Send("PATCH", base + "/Groups/" + gid,
                  Patch(R"([{"op":"replace","value":{"id":")" + gid + R"(","displayName":"New"}},
                            {"op":"replace","path":"members","value":[{"value":")" + u1 + R"("}]}])"),
                  token);
  CHECK(r.status == 204);
  auto g = c.Send("GET", base + "/Groups/" + gid, "", token).json();
  CHECK(g["displayName"] == "New");
  CHECK(g["members"].size() == 1);
  auto by_name = c.Send("GET", base + "/Groups?filter=displayName%20eq%20%22new%22&excludedAttributes=members", "", token);
  CHECK(by_name.json()["totalResults"] == 1);
}

TEST_CASE("Bulk is refused as unsupported, as ServiceProviderConfig says") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto r = c.Send("POST", base + "/Bulk", R"({"Operations":[]})", token);
  CHECK(r.status == 501);
  CHECK(c.Send("GET", base + "/ServiceProviderConfig", "", token).json()["bulk"]["supported"] == false);
}

TEST_CASE("a PUT without members keeps them, with members it sets exactly them") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto u1 = NewUser(c, base, token, "u1");
  auto u2 = NewUser(c, base, token, "u2");
  const std::string gid =
      c.Send("POST", base + "/Groups", R"({"displayName":"G","members":[{"value":")" + u1 + R"("}]})", token)
          .json()["id"];
  CHECK(c.Send("PUT", base + "/Groups/" + gid, R"({"displayName":"G2"})", token).status == 200);
  CHECK(c.Send("GET", base + "/Groups/" + gid, "", token).json()["members"].size() == 1);
  auto put = c.Send("PUT", base + "/Groups/" + gid, R"({"displayName":"G2","members":[{"value":")" + u2 + R"("}]})", token);
  CHECK(put.status == 200);
  auto members = put.json()["members"];
  REQUIRE(members.size() == 1);
  CHECK(members[0]["value"] == u2);
}

TEST_CASE("resource endpoints are found whatever their case") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  CHECK(c.Send("GET", base + "/users", "", token).status == 200);
  CHECK(c.Send("GET", base + "/GROUPS", "", token).status == 200);
  CHECK(c.Send("GET", base + "/serviceproviderconfig", "", token).status == 200);
  CHECK(c.Send("GET", base + "/Widgets", "", token).status == 404);
}
