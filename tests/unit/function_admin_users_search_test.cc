// The admin API's user search and a user's groups (functions/admin/users_api.h), the
// console's reads: ?q= matches userName, email and displayName, ASCII case folded, in
// creation order; it reads at most kMaxUsersScannedPerSearch users per call and says
// where it stopped; a too-long query is a 400. Through the router, as a host runs it,
// also with the console's session cookie instead of the admin token.
#include <catch2/catch.hpp>

#include <set>
#include <tuple>

#include "scim_test_client.h"
#include "users_api.h"

using dirbridge::testing::ScimTestClient;
using nlohmann::json;

namespace {

const std::string kUsers = "/admin/v1/tenants/acme/users";

std::vector<std::string> NamesOf(const json& answer) {
  std::vector<std::string> names;
  for (const auto& u : answer["users"]) names.push_back(u["userName"]);
  return names;
}

}  // namespace

TEST_CASE("admin user search: by name, email or display name, any case, paged") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  for (auto [name, display, email] : {std::tuple{"alice", "Alice Liddell", "alice@wonder.example"},
                                      std::tuple{"bob", "Bob", "robert@builder.example"},
                                      std::tuple{"carol", "Carol Wonder", "carol@x.example"},
                                      std::tuple{"dave", "Dave", "dave@x.example"}}) {
    json u = {{"userName", name}, {"displayName", display}, {"emails", {{{"value", email}, {"primary", true}}}}};
    REQUIRE(c.Send("POST", base + "/Users", u.dump(), token).status == 201);
  }
  CHECK(NamesOf(c.Admin("GET", kUsers + "?q=WONDER").json()) == std::vector<std::string>{"alice", "carol"});
  CHECK(NamesOf(c.Admin("GET", kUsers + "?q=builder").json()) == std::vector<std::string>{"bob"});
  CHECK(NamesOf(c.Admin("GET", kUsers + "?q=dav").json()) == std::vector<std::string>{"dave"});
  auto none = c.Admin("GET", kUsers + "?q=zzz").json();
  CHECK(none["users"].empty());
  CHECK(none["scanned"] == 4);
  CHECK_FALSE(none.contains("next"));

  auto first = c.Admin("GET", kUsers + "?q=x.example&limit=1").json();
  CHECK(NamesOf(first) == std::vector<std::string>{"carol"});
  REQUIRE(first.contains("next"));
  auto second = c.Admin("GET", kUsers + "?q=x.example&limit=1&after=" + first["next"].get<std::string>()).json();
  CHECK(NamesOf(second) == std::vector<std::string>{"dave"});

  auto too_long = c.Admin("GET", kUsers + "?q=" + std::string(dirbridge::admin::kMaxUserSearchBytes + 1, 'q'));
  CHECK(too_long.status == 400);
  CHECK(too_long.json()["detail"].get<std::string>().find("'q' is longer than") != std::string::npos);
}

TEST_CASE("admin user search reads at most kMaxUsersScannedPerSearch users per call") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  const std::size_t total = dirbridge::admin::kMaxUsersScannedPerSearch + 5;
  for (std::size_t i = 0; i < total; ++i) {
    const std::string name = i + 1 == total ? "needle" : "hay" + std::to_string(i);
    REQUIRE(c.Send("POST", base + "/Users", json{{"userName", name}}.dump(), token).status == 201);
  }
  auto first = c.Admin("GET", kUsers + "?q=needle").json();
  CHECK(first["users"].empty());
  CHECK(first["scanned"] == dirbridge::admin::kMaxUsersScannedPerSearch);
  REQUIRE(first.contains("next"));
  auto rest = c.Admin("GET", kUsers + "?q=needle&after=" + first["next"].get<std::string>()).json();
  CHECK(NamesOf(rest) == std::vector<std::string>{"needle"});
  CHECK(rest["scanned"] == 5);
}

TEST_CASE("a user's page lists their groups, and the console's cookie reads it") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto user = c.Send("POST", base + "/Users", json{{"userName", "alice"}}.dump(), token).json();
  const std::string id = user["id"];
  for (const char* name : {"Sales", "Admins"}) {
    json g = {{"displayName", name}, {"members", {{{"value", id}}}}};
    REQUIRE(c.Send("POST", base + "/Groups", g.dump(), token).status == 201);
  }
  auto detail = c.Admin("GET", kUsers + "/" + id).json();
  REQUIRE(detail["groups"].size() == 2);
  std::set<std::string> names;
  for (const auto& g : detail["groups"]) names.insert(g["displayName"].get<std::string>());
  CHECK(names == std::set<std::string>{"Admins", "Sales"});
  CHECK_FALSE(detail.contains("moreGroups"));

  auto signin = c.Send("POST", "/console/session", json{{"token", ScimTestClient::kAdminToken}}.dump());
  REQUIRE(signin.status == 200);
  const std::string set_cookie = signin.headers.at("set-cookie");
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  auto read = c.Send("GET", kUsers + "/" + id, "", "", {{"cookie", cookie}});
  CHECK(read.status == 200);
  CHECK(read.json()["groups"].size() == 2);
  // A write with the cookie but no CSRF value is refused and changes nothing.
  auto offboard = c.Send("POST", kUsers + "/" + id + "/offboard", "{}", "", {{"cookie", cookie}});
  CHECK(offboard.status == 403);
  CHECK(c.Admin("GET", kUsers + "/" + id).json()["active"] == true);
  auto csrf = signin.json()["csrf"].get<std::string>();
  CHECK(c.Send("POST", kUsers + "/" + id + "/offboard", "{}", "", {{"cookie", cookie}, {"x-csrf-token", csrf}}).status ==
        200);
  CHECK(c.Admin("GET", kUsers + "/" + id).json()["active"] == false);
}
