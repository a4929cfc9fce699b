// externalId is not unique (RFC 7643 §3.1: it belongs to the provisioning client),
// and Entra looks users up by it: every resource that carries a value is found by
// `externalId eq`, and removing one never hides another.
#include <catch2/catch.hpp>

#include <set>

#include "scim_test_client.h"

using dirbridge::testing::ScimTestClient;
using nlohmann::json;

namespace {
std::set<std::string> IdsOf(const json& list) {
  std::set<std::string> ids;
  for (const auto& r : list["Resources"]) ids.insert(r["id"].get<std::string>());
  return ids;
}
}  // namespace

TEST_CASE("users sharing an externalId are all found, and deleting one leaves the other") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto older = c.Send("POST", base + "/Users", R"({"userName":"a","externalId":"shared-1"})", token).json()["id"];
  auto newer = c.Send("POST", base + "/Users", R"({"userName":"b","externalId":"shared-1"})", token).json()["id"];
  const std::string query = base + "/Users?filter=externalId%20eq%20%22shared-1%22";
  CHECK(IdsOf(c.Send("GET", query, "", token).json()) == std::set<std::string>{older, newer});
  // caseExact: another case is another value.
  CHECK(c.Send("GET", base + "/Users?filter=externalId%20eq%20%22SHARED-1%22", "", token).json()["totalResults"] == 0);

  REQUIRE(c.Send("DELETE", base + "/Users/" + newer.get<std::string>(), "", token).status == 204);
  CHECK(IdsOf(c.Send("GET", query, "", token).json()) == std::set<std::string>{older});

  // Changing one user's externalId moves only that user's index entry.
  auto third = c.Send("POST", base + "/Users", R"({"userName":"c","externalId":"shared-1"})", token).json()["id"];
  REQUIRE(c.Send("PUT", base + "/Users/" + third.get<std::string>(), R"({"userName":"c","externalId":"other"})", token)
              .status == 200);
  CHECK(IdsOf(c.Send("GET", query, "", token).json()) == std::set<std::string>{older});
}

TEST_CASE("groups sharing an externalId are all found, and deleting one leaves the other") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  auto g1 = c.Send("POST", base + "/Groups", R"({"displayName":"A","externalId":"g"})", token).json()["id"];
  auto g2 = c.Send("POST", base + "/Groups", R"({"displayName":"B","externalId":"g"})", token).json()["id"];
  const std::string query = base + "/Groups?filter=externalId%20eq%20%22g%22&excludedAttributes=members";
  CHECK(IdsOf(c.Send("GET", query, "", token).json()) == std::set<std::string>{g1, g2});
  REQUIRE(c.Send("DELETE", base + "/Groups/" + g2.get<std::string>(), "", token).status == 204);
  CHECK(IdsOf(c.Send("GET", query, "", token).json()) == std::set<std::string>{g1});
}
