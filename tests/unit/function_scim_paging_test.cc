// Index paging (startIndex/count) on a key-value store: an in-order walk resumes
// from page hints at O(page) cost, a stale hint is never trusted, and jumping far
// ahead of any served page is refused with tooMany rather than scanning.
#include <catch2/catch.hpp>

#include <set>

#include "scim_test_client.h"

using dirbridge::testing::ScimTestClient;
using nlohmann::json;

namespace {
void AddUsers(ScimTestClient& c, const std::string& base, const std::string& token, int n, const std::string& prefix) {
  for (int i = 0; i < n; ++i) {
    REQUIRE(c.Send("POST", base + "/Users", json{{"userName", prefix + std::to_string(i)}}.dump(), token).status == 201);
  }
}
}  // namespace

TEST_CASE("an in-order walk returns every user once, each page at the same store cost") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  AddUsers(c, base, token, 250, "u");
  std::set<std::string> seen;
  std::vector<std::size_t> listed;
  for (int start = 1; start <= 250; start += 50) {
    c.store().ResetCounts();
    auto page = c.Send("GET", base + "/Users?startIndex=" + std::to_string(start) + "&count=50", "", token).json();
    listed.push_back(c.store().counts().listed_entries);
    CHECK(page["totalResults"] == 250);
    for (auto& u : page["Resources"]) CHECK(seen.insert(u["id"].get<std::string>()).second);
  }
  CHECK(seen.size() == 250);
  // Pages after the first resume from a hint: they read 50 records, never the skipped ones.
  for (std::size_t i = 1; i < listed.size(); ++i) CHECK(listed[i] == 50);
}

TEST_CASE("a page hint is ignored once users were added or removed") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  AddUsers(c, base, token, 30, "u");
  auto first = c.Send("GET", base + "/Users?startIndex=1&count=10", "", token).json();
  const std::string first_id = first["Resources"][0]["id"];
  // Removing the first user shifts every position by one.
  REQUIRE(c.Send("DELETE", base + "/Users/" + first_id, "", token).status == 204);
  auto second = c.Send("GET", base + "/Users?startIndex=11&count=10", "", token).json();
  auto all = c.Send("GET", base + "/Users?startIndex=1&count=100", "", token).json();
  REQUIRE(all["Resources"].size() == 29);
  CHECK(second["Resources"][0]["id"] == all["Resources"][10]["id"]);
}

TEST_CASE("startIndex far ahead of any served page is tooMany, not a scan") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  AddUsers(c, base, token, 3, "u");
  auto r = c.Send("GET", base + "/Users?startIndex=900000&count=10", "", token);
  CHECK(r.status == 400);
  CHECK(r.json()["scimType"] == "tooMany");
  // Within the skip bound, past the end: an empty page with the right total.
  auto past = c.Send("GET", base + "/Users?startIndex=50&count=10", "", token).json();
  CHECK(past["totalResults"] == 3);
  CHECK(past["Resources"].empty());
}

TEST_CASE("count=0 returns only the total") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  AddUsers(c, base, token, 4, "u");
  auto r = c.Send("GET", base + "/Users?count=0", "", token).json();
  CHECK(r["totalResults"] == 4);
  CHECK(r["Resources"].empty());
}

TEST_CASE("cursor paging (RFC 9865) walks the collection and ends without nextCursor") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  AddUsers(c, base, token, 25, "u");
  std::set<std::string> seen;
  std::string cursor;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = c.Send("GET", base + "/Users?count=10&cursor=" + cursor, "", token).json();
    for (auto& u : page["Resources"]) CHECK(seen.insert(u["id"].get<std::string>()).second);
    if (!page.contains("nextCursor")) break;
    cursor = page["nextCursor"];
  }
  CHECK(seen.size() == 25);
}

TEST_CASE("a wrong method is 405 with Allow, and the error body says 405") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto r = c.Send("DELETE", base + "/Users", "", token);
  CHECK(r.status == 405);
  CHECK(r.headers["allow"] == "GET, POST");
  CHECK(r.json()["status"] == "405");
  auto admin = c.Admin("GET", "/admin/v1/tenants");
  CHECK(admin.status == 405);
  CHECK(admin.headers["allow"] == "POST");
  CHECK(admin.json()["status"] == 405);  // the admin API's error shape (core/api_error.h)
}

TEST_CASE("a page spliced from stored text equals each user rendered on its own") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  c.Send("POST", base + "/Users",
         R"({"userName":"ent","name":{"givenName":"E"},"emails":[{"value":"e@x","primary":true}],
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R\"&D"}})",
         token);
  c.Send("POST", base + "/Users", R"({"userName":"plain","active":false})", token);
  auto page = c.Send("GET", base + "/Users?count=10", "", token);
  REQUIRE(page.status == 200);
  auto list = page.json();
  REQUIRE(list.is_object());
  REQUIRE(list["Resources"].size() == 2);
  for (auto& listed : list["Resources"]) {
    auto single = c.Send("GET", base + "/Users/" + listed["id"].get<std::string>(), "", token).json();
    CHECK(listed == single);
  }
  CHECK(list["Resources"][0]["schemas"].size() == 2);
  CHECK(list["Resources"][0]["meta"]["version"] == "W/\"1\"");
}

TEST_CASE("a scan examines at most 1,000 resources: tooMany past it, or a cursor to go on") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  AddUsers(c, base, token, 1000, "u");
  // Exactly at the bound: answered.
  auto at_bound = c.Send("GET", base + "/Users?filter=title%20eq%20%22x%22", "", token);
  CHECK(at_bound.status == 200);
  CHECK(c.Send("GET", base + "/Users?sortBy=userName&count=5", "", token).status == 200);
  AddUsers(c, base, token, 1, "v");
  for (const char* query : {"filter=title%20eq%20%22x%22", "sortBy=userName&count=5"}) {
    auto r = c.Send("GET", base + "/Users?" + std::string(query), "", token);
    CHECK(r.status == 400);
    CHECK(r.json()["scimType"] == "tooMany");
    CHECK(r.json()["detail"].get<std::string>().find("more than 1000 resources") != std::string::npos);
  }
  // With a cursor, a filtered walk goes on page after page, each within the bound.
  auto first = c.Send("GET", base + "/Users?filter=userName%20sw%20%22v%22&cursor=", "", token).json();
  CHECK(first["Resources"].empty());
  REQUIRE(first.contains("nextCursor"));
  auto second = c.Send("GET", base + "/Users?filter=userName%20sw%20%22v%22&cursor=" + first["nextCursor"].get<std::string>(),
                       "", token).json();
  REQUIRE(second["Resources"].size() == 1);
  CHECK(second["Resources"][0]["userName"] == "v0");
}
