// What one SCIM request costs the store, pinned: each point operation reads and
// writes a fixed number of keys whatever the tenant's size, a group PATCH loads the
// group once (the update runs inside the engine's one read and version check), and a
// GET never writes.
#include <catch2/catch.hpp>

#include "scim_test_client.h"

using dirbridge::KvOperationCounts;
using dirbridge::testing::ScimTestClient;
using nlohmann::json;

namespace {

struct Cost {
  std::size_t gets, lists, puts_and_deletes, commits;
};

Cost CostOf(ScimTestClient& c, const std::string& method, const std::string& path, const std::string& body,
            const std::string& token, int expected_status) {
  c.store().ResetCounts();
  auto r = c.Send(method, path, body, token);
  REQUIRE(r.status == expected_status);
  const KvOperationCounts& n = c.store().counts();
  return Cost{n.gets, n.lists, n.puts + n.deletes, n.commits};
}

std::string PatchBody(const std::string& ops) {
  return R"({"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":)" + ops + "}";
}

}  // namespace

TEST_CASE("store cost of each point request is pinned") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  const std::string user_body =
      R"({"userName":"ada@example.com","externalId":"e-1","emails":[{"value":"ada@example.com","type":"work"}]})";

  auto create = CostOf(c, "POST", base + "/Users", user_body, token, 201);
  // connection, userName index, the archived userName index (a user its source
  // deleted comes back: provision/deprovisioning.h), the tenant's precedence rules
  // (provision/attribute_ownership.h; none here), user count, generation, event
  // sequence, the event feed's state (provision/event_feed.h: read once per batch)
  CHECK(create.gets == 8);
  CHECK(create.lists == 0);
  // record, 3 index keys, count, generation, event, sequence, the connection's activity
  CHECK(create.puts_and_deletes == 9);
  CHECK(create.commits == 1);

  const std::string id =
      c.Send("GET", base + "/Users?filter=userName%20eq%20%22ada@example.com%22", "", token).json()["Resources"][0]["id"];

  auto read = CostOf(c, "GET", base + "/Users/" + id, "", token, 200);
  CHECK(read.gets == 2);  // connection, record
  CHECK(read.puts_and_deletes == 0);
  CHECK(read.commits == 0);

  auto find = CostOf(c, "GET", base + "/Users?filter=userName%20eq%20%22ada@example.com%22", "", token, 200);
  CHECK(find.gets == 3);  // connection, index, record
  CHECK(find.lists == 0);
  CHECK(find.commits == 0);

  // Entra's displayName replace: no index changes, so only the record and the event.
  auto patch = CostOf(c, "PATCH", base + "/Users/" + id,
                      PatchBody(R"([{"op":"Replace","path":"displayName","value":"Ada L"}])"), token, 204);
  // connection, record, userName index, precedence rules, event sequence, feed state
  CHECK(patch.gets == 6);
  CHECK(patch.lists == 1);  // the user's groups, for the event (at most 101 memberships)
  CHECK(patch.puts_and_deletes == 4);  // record, event, sequence, the connection's activity
  CHECK(patch.commits == 1);

  const std::string gid = c.Send("POST", base + "/Groups", R"({"displayName":"Staff"})", token).json()["id"];
  auto add = CostOf(c, "PATCH", base + "/Groups/" + gid,
                    PatchBody(R"([{"op":"add","path":"members","value":[{"value":")" + id + R"("}]}])"), token, 204);
  // connection, group (read once), user exists, membership, the group's automation
  // rule (provision/entitlement_rules.h; none here), event sequence, feed state
  CHECK(add.gets == 7);
  CHECK(add.lists == 0);
  // membership, reverse membership, event, sequence, group version, the connection's activity
  CHECK(add.puts_and_deletes == 6);
  CHECK(add.commits == 1);

  // With a rule of two entitlements: no more reads (the rule is the same one get), and
  // one event more in the same batch (entitlement.granted, listing both).
  REQUIRE(c.Admin("PUT", "/admin/v1/tenants/acme/rules/staff",
                  R"({"entitlements":[{"type":"role","name":"Staff"},{"type":"policy","name":"MFA"}]})")
              .status == 201);
  const std::string bob = c.Send("POST", base + "/Users", R"({"userName":"bob@example.com"})", token).json()["id"];
  auto granted =
      CostOf(c, "PATCH", base + "/Groups/" + gid,
             PatchBody(R"([{"op":"add","path":"members","value":[{"value":")" + bob + R"("}]}])"), token, 204);
  CHECK(granted.gets == 7);
  CHECK(granted.lists == 0);
  // the six above, then the entitlement event, the sequence and the activity again
  CHECK(granted.puts_and_deletes == 6 + 3);
  CHECK(granted.commits == 1);
}

TEST_CASE("listing by startIndex writes nothing") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  for (int i = 0; i < 30; ++i) {
    REQUIRE(c.Send("POST", base + "/Users", json{{"userName", "u" + std::to_string(i)}}.dump(), token).status == 201);
  }
  for (int start = 1; start <= 30; start += 10) {
    auto page = CostOf(c, "GET", base + "/Users?startIndex=" + std::to_string(start) + "&count=10", "", token, 200);
    CHECK(page.puts_and_deletes == 0);
    CHECK(page.commits == 0);
  }
  auto groups = CostOf(c, "GET", base + "/Groups?startIndex=1&count=10", "", token, 200);
  CHECK(groups.commits == 0);
}
