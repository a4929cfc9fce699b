// The canonical models: JSON round trips, validation with specific errors, and the
// zero-knowledge rule (a password never survives reading).
#include <catch2/catch.hpp>

#include "model/group.h"
#include "model/lifecycle_event.h"
#include "model/user.h"

using namespace dirbridge;
using nlohmann::json;

TEST_CASE("a user with core and enterprise attributes survives a JSON round trip") {
  auto in = json::parse(R"({
    "userName":"ada@example.com","externalId":"E-1","displayName":"Ada Lovelace","nickName":"ada",
    "title":"Analyst","userType":"Employee","preferredLanguage":"en-GB","locale":"en-GB","timezone":"Europe/London",
    "active":false,"name":{"givenName":"Ada","familyName":"Lovelace","formatted":"Ada Lovelace"},
    "emails":[{"value":"ada@example.com","type":"work","primary":true},{"value":"a@home.example","type":"home"}],
    "phoneNumbers":[{"value":"+44 20 7946 0000","type":"work"}],
    "addresses":[{"type":"work","locality":"London"}],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"701984","costCenter":"4130",
      "organization":"Analytical Engines","division":"R&D","department":"Computation",
      "manager":{"value":"26118915-6090-4610-87e4-49d8ca9f808d","displayName":"Charles Babbage"}}})");
  auto user = UserFromJson(in);
  REQUIRE(user.ok());
  CHECK(user->enterprise.manager->display_name == "Charles Babbage");
  CHECK(user->PrimaryEmail() == "ada@example.com");
  CHECK_FALSE(user->active);
  auto out = UserToJson(*user);
  auto again = UserFromJson(out);
  REQUIRE(again.ok());
  CHECK(UserToJson(*again) == out);
  CHECK(out["addresses"][0]["locality"] == "London");
  CHECK(out["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["department"] == "Computation");
}

TEST_CASE("attribute names are matched case-insensitively, as SCIM requires") {
  auto user = UserFromJson(json::parse(R"({"USERNAME":"x","Name":{"FamilyName":"Employee"},"Active":true})"));
  REQUIRE(user.ok());
  CHECK(user->user_name == "x");
  CHECK(user->name.family_name == "Employee");
}

TEST_CASE("reading a user drops any password") {
  auto user = UserFromJson(json::parse(R"({"userName":"x","password":"correct horse battery staple"})"));
  REQUIRE(user.ok());
  CHECK(UserToJson(*user).dump().find("correct horse") == std::string::npos);
}

TEST_CASE("user validation names the offending attribute") {
  auto missing = UserFromJson(json::parse(R"({"displayName":"x"})"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().detail.find("userName") != std::string::npos);
  auto blank = UserFromJson(json::parse(R"({"userName":"   "})"));
  REQUIRE_FALSE(blank.ok());
  auto bad_email = UserFromJson(json::parse(R"({"userName":"x","emails":[{"value":7}]})"));
  REQUIRE_FALSE(bad_email.ok());
  CHECK(bad_email.error().detail.find("emails[0].value") != std::string::npos);
  auto two_primary = UserFromJson(
      json::parse(R"({"userName":"x","emails":[{"value":"a","primary":true},{"value":"b","primary":true}]})"));
  REQUIRE_FALSE(two_primary.ok());
  CHECK(two_primary.error().detail.find("primary") != std::string::npos);
}

TEST_CASE("a group round-trips without members, displayName is required") {
  auto g = GroupFromJson(json::parse(R"({"displayName":"Eng","externalId":"g-1","members":[{"value":"u"}]})"));
  REQUIRE(g.ok());
  auto out = GroupToJson(*g);
  CHECK(out["displayName"] == "Eng");
  CHECK_FALSE(out.contains("members"));
  CHECK_FALSE(GroupFromJson(json::parse(R"({"externalId":"g"})")).ok());
}

TEST_CASE("event type names are stable and reversible") {
  for (auto t : {EventType::kUserProvisioned, EventType::kUserSuspended, EventType::kGroupMemberAdded,
                 EventType::kUserDeprovisioned}) {
    CHECK(EventTypeFromName(EventTypeName(t)) == t);
  }
  CHECK(std::string(EventTypeName(EventType::kGroupMemberRemoved)) == "group.member_removed");
  CHECK_FALSE(EventTypeFromName("user.exploded").has_value());
}

TEST_CASE("null sub-attributes of kept multi-valued attributes are unassigned, not echoed") {
  auto user = UserFromJson(json::parse(R"({"userName":"x","addresses":[{"type":"work","country":null},{"country":null}]})"));
  REQUIRE(user.ok());
  auto out = UserToJson(*user);
  REQUIRE(out["addresses"].size() == 1);
  CHECK_FALSE(out["addresses"][0].contains("country"));
}
