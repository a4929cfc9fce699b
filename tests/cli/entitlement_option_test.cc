// `--entitlement TYPE:NAME` (cli/entitlement_option.h): split at the first colon; the
// server checks the rest.
#include "entitlement_option.h"

#include <catch2/catch.hpp>

using namespace dirbridge::cli;
using nlohmann::json;

TEST_CASE("an entitlement option is TYPE:NAME, split at the first colon") {
  auto role = EntitlementFromOption("role:Developers");
  REQUIRE(role.ok());
  CHECK(*role == json{{"type", "role"}, {"name", "Developers"}});
  auto folder = EntitlementFromOption("sharedFolder:Keys: EMEA");
  REQUIRE(folder.ok());
  CHECK((*folder)["name"] == "Keys: EMEA");
  for (const char* bad : {"Developers", ":Developers", "role:", ""}) {
    auto r = EntitlementFromOption(bad);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().detail, Catch::StartsWith("--entitlement takes TYPE:NAME"));
  }
}
