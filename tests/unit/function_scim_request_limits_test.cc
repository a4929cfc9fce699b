// The work one request may ask for is bounded (shared/scim/patch_limits.h): at the
// bound the request succeeds, one past it is 400 tooMany, saying the count and the
// limit, and nothing changes.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "scim/patch_limits.h"
#include "scim_test_client.h"

using dirbridge::testing::ClientResponse;
using dirbridge::testing::ScimTestClient;
using nlohmann::json;
using dirbridge::scim::kMaxMembersPerRequest;
using dirbridge::scim::kMaxPatchOperations;

namespace {

std::string PatchBody(const json& ops) {
  return json{{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}}, {"Operations", ops}}.dump();
}

void CheckTooMany(const ClientResponse& r, const std::string& count, const std::string& limit) {
  CHECK(r.status == 400);
  const json body = r.json();
  CHECK(body["scimType"] == "tooMany");
  const std::string detail = body["detail"];
  INFO(detail);
  CHECK(detail.find(count) != std::string::npos);
  CHECK(detail.find("the limit is " + limit) != std::string::npos);
}

std::vector<std::string> NewUsers(ScimTestClient& c, const std::string& base, const std::string& token,
                                  std::size_t n) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < n; ++i) {
    auto r = c.Send("POST", base + "/Users", json{{"userName", "user" + std::to_string(i)}}.dump(), token);
    REQUIRE(r.status == 201);
    ids.push_back(r.json()["id"]);
  }
  return ids;
}

json MemberValues(const std::vector<std::string>& ids, std::size_t from, std::size_t n) {
  json out = json::array();
  for (std::size_t i = from; i < from + n; ++i) out.push_back({{"value", ids[i]}});
  return out;
}

std::size_t MemberCount(ScimTestClient& c, const std::string& base, const std::string& token, const std::string& gid) {
  return c.Send("GET", base + "/Groups/" + gid, "", token).json()["members"].size();
}

}  // namespace

TEST_CASE("a PATCH of 1000 operations is applied, 1001 is tooMany and changes nothing") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme", "okta");
  const std::string id = c.Send("POST", base + "/Users", R"({"userName":"ada"})", token).json()["id"];
  json ops = json::array();
  for (std::size_t i = 0; i < kMaxPatchOperations; ++i) {
    ops.push_back({{"op", "replace"}, {"path", "displayName"}, {"value", "Ada " + std::to_string(i)}});
  }
  auto r = c.Send("PATCH", base + "/Users/" + id, PatchBody(ops), token);
  REQUIRE(r.status == 200);
  CHECK(r.json()["displayName"] == "Ada 999");

  const auto before = c.store().size();
  ops.push_back({{"op", "replace"}, {"path", "displayName"}, {"value", "Ada 1000"}});
  CheckTooMany(c.Send("PATCH", base + "/Users/" + id, PatchBody(ops), token), "1001 operations", "1000");
  CHECK(c.store().size() == before);
  CHECK(c.Send("GET", base + "/Users/" + id, "", token).json()["displayName"] == "Ada 999");
}

TEST_CASE("a group PATCH may name 200 members, 201, summed over its operations, is tooMany and changes nothing") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  const auto users = NewUsers(c, base, token, kMaxMembersPerRequest + 1);
  const std::string gid = c.Send("POST", base + "/Groups", R"({"displayName":"All"})", token).json()["id"];

  // One past the limit, split over an add and a remove: refused, nothing stored.
  auto before = c.store().size();
  CheckTooMany(c.Send("PATCH", base + "/Groups/" + gid,
                      PatchBody({{{"op", "Add"}, {"path", "members"}, {"value", MemberValues(users, 0, 120)}},
                                 {{"op", "Remove"}, {"path", "members"}, {"value", MemberValues(users, 120, 81)}}}),
                      token),
               "201 member values", "200");
  CHECK(c.store().size() == before);
  CheckTooMany(c.Send("PATCH", base + "/Groups/" + gid,
                      PatchBody({{{"op", "Add"}, {"path", "members"}, {"value", MemberValues(users, 0, 201)}}}), token),
               "201 member values", "200");
  CHECK(c.store().size() == before);
  CHECK(MemberCount(c, base, token, gid) == 0);

  // At the limit: applied.
  auto r = c.Send("PATCH", base + "/Groups/" + gid,
                  PatchBody({{{"op", "Add"}, {"path", "members"}, {"value", MemberValues(users, 0, 200)}}}), token);
  CHECK(r.status == 204);
  CHECK(MemberCount(c, base, token, gid) == 200);
}

TEST_CASE("5,000 unknown member ids (a body under the size limit) are refused as tooMany before any is looked up") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  const std::string gid = c.Send("POST", base + "/Groups", R"({"displayName":"All"})", token).json()["id"];
  json members = json::array();
  for (int i = 0; i < 5000; ++i) members.push_back({{"value", "no-such-user-" + std::to_string(i)}});
  const auto before = c.store().size();
  c.store().ResetCounts();
  CheckTooMany(c.Send("PATCH", base + "/Groups/" + gid,
                      PatchBody({{{"op", "Add"}, {"path", "members"}, {"value", members}}}), token),
               "5000 member values", "200");
  CHECK(c.store().counts().gets < 100);  // no id was looked up
  CHECK(c.store().size() == before);
}

TEST_CASE("a group POST or PUT with 200 members is stored, 201 is tooMany and changes nothing") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  const auto users = NewUsers(c, base, token, kMaxMembersPerRequest + 1);
  auto before = c.store().size();
  CheckTooMany(c.Send("POST", base + "/Groups",
                      json{{"displayName", "Too many"}, {"members", MemberValues(users, 0, 201)}}.dump(), token),
               "201 values", "200");
  CHECK(c.store().size() == before);

  auto created = c.Send("POST", base + "/Groups",
                        json{{"displayName", "All"}, {"members", MemberValues(users, 0, 200)}}.dump(), token);
  REQUIRE(created.status == 201);
  CHECK(created.json()["members"].size() == 200);
  const std::string gid = created.json()["id"];

  before = c.store().size();
  CheckTooMany(c.Send("PUT", base + "/Groups/" + gid,
                      json{{"displayName", "All"}, {"members", MemberValues(users, 0, 201)}}.dump(), token),
               "201 values", "200");
  CHECK(c.store().size() == before);
  auto replaced = c.Send("PUT", base + "/Groups/" + gid,
                         json{{"displayName", "All"}, {"members", MemberValues(users, 1, 200)}}.dump(), token);
  CHECK(replaced.status == 200);
  CHECK(MemberCount(c, base, token, gid) == 200);
}

TEST_CASE("a long filter examines fewer resources: 32 comparisons scan at most 400, 8 scan 1000") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  NewUsers(c, base, token, 401);
  auto ors = [](int n) {
    std::string f;
    for (int i = 0; i < n; ++i) f += std::string(i ? "%20or%20" : "") + "title%20eq%20%22t" + std::to_string(i) + "%22";
    return f;
  };
  auto query = [&](int comparisons, const std::string& extra) {
    return c.Send("GET", base + "/Users?filter=" + ors(comparisons) + extra, "", token);
  };
  // 401 users: over the 400 a 32-comparison scan may examine, inside the 1000 of a short one.
  auto refused = query(32, "");
  CHECK(refused.status == 400);
  CHECK(refused.json()["scimType"] == "tooMany");
  CHECK(std::string(refused.json()["detail"]).find("more than 400 resources") != std::string::npos);
  CHECK(query(8, "").status == 200);
  // With a cursor, a page examines at most 400 and says where to go on.
  auto paged = query(32, "&cursor=&count=10");
  REQUIRE(paged.status == 200);
  CHECK(paged.json()["totalResults"] == 0);
  CHECK(paged.json().contains("nextCursor"));
}
