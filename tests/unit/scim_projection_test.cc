// Tests of attributes / excludedAttributes projection and sortBy ordering
// (shared/scim/projection.h).
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "scim/projection.h"
#include "scim/schema.h"

using nlohmann::json;
using namespace dirbridge::scim;

namespace {

constexpr const char* kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

json User() {
  return json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    "id": "u1",
    "externalId": "e1",
    "userName": "bjensen",
    "password": "must-never-appear",
    "name": {"givenName": "Barbara", "familyName": "Jensen"},
    "displayName": "Babs",
    "emails": [
      {"value": "b@work.example", "type": "work", "primary": true},
      {"value": "b@home.example", "type": "home"}
    ],
    "meta": {"resourceType": "User", "created": "2024-01-01T00:00:00Z", "location": "https://h/Users/u1"},
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
      "department": "Tours", "manager": {"value": "m1", "displayName": "Boss"}
    }
  })");
}

json Project(const json& r, std::string_view attrs, std::string_view excluded) {
  auto out = ProjectResource(r, UserResource(), attrs, excluded);
  if (!out.ok()) INFO(out.error().detail);
  REQUIRE(out.ok());
  return *out;
}

}  // namespace

TEST_CASE("projection: default drops password only", "[scim]") {
  json out = Project(User(), "", "");
  json expected = User();
  expected.erase("password");
  CHECK(out == expected);
}

TEST_CASE("projection: attributes keeps named plus always-returned", "[scim]") {
  json out = Project(User(), "userName,NAME.givenName", "");
  CHECK(out == json::parse(R"({
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    "id": "u1", "userName": "bjensen", "name": {"givenName": "Barbara"},
    "meta": {"resourceType": "User"}})"));
  out = Project(User(), "emails.value, password", "");
  CHECK(out["emails"] == R"([{"value":"b@work.example"},{"value":"b@home.example"}])"_json);
  CHECK_FALSE(out.contains("password"));
  out = Project(User(), "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", "");
  CHECK(out[kEnterprise] == R"({"manager":{"value":"m1"}})"_json);
  out = Project(User(), kEnterprise, "");
  CHECK(out[kEnterprise] == User()[kEnterprise]);
  out = Project(User(), "department", "");
  CHECK(out[kEnterprise] == R"({"department":"Tours"})"_json);
  out = Project(User(), "meta", "");
  CHECK(out["meta"] == User()["meta"]);
  out = Project(User(), "noSuchThing", "");
  CHECK(out.size() == 3);  // schemas, id, meta.resourceType
}

TEST_CASE("projection: value-path entries as Entra sends", "[scim]") {
  json out = Project(User(), "emails[type eq \"work\"]", "");
  CHECK(out["emails"] == R"([{"value":"b@work.example","type":"work","primary":true}])"_json);
  out = Project(User(), "emails[type eq \"home\"].value,userName", "");
  CHECK(out["emails"] == R"([{"value":"b@home.example"}])"_json);
  CHECK(out["userName"] == "bjensen");
  out = Project(User(), "", "emails[type eq \"work\"]");
  CHECK(out["emails"] == R"([{"value":"b@home.example","type":"home"}])"_json);
  auto bad = ProjectResource(User(), UserResource(), "emails[type eq ]", "");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().scim_type == "invalidFilter");
  bad = ProjectResource(User(), UserResource(), "name..x", "");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().scim_type == "invalidValue");
  CHECK(bad.error().detail.find("name..x") != std::string::npos);
}

TEST_CASE("projection: excludedAttributes never removes always-returned", "[scim]") {
  json out = Project(User(), "", "id,schemas,emails,name.familyName,meta.resourceType,meta.created," +
                                     std::string(kEnterprise) + ":manager");
  CHECK(out["id"] == "u1");
  CHECK(out.contains("schemas"));
  CHECK_FALSE(out.contains("emails"));
  CHECK(out["name"] == R"({"givenName":"Barbara"})"_json);
  CHECK(out["meta"] == R"({"resourceType":"User","location":"https://h/Users/u1"})"_json);
  CHECK(out[kEnterprise] == R"({"department":"Tours"})"_json);
  out = Project(User(), "", kEnterprise);
  CHECK_FALSE(out.contains(kEnterprise));
  // attributes wins when both are given
  out = Project(User(), "userName", "userName");
  CHECK(out["userName"] == "bjensen");
}

TEST_CASE("projection: groups keep members unless excluded", "[scim]") {
  json g = R"({"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g","displayName":"G",
               "members":[{"value":"u1","display":"A"}]})"_json;
  auto out = ProjectResource(g, GroupResource(), "", "members");
  REQUIRE(out.ok());
  CHECK_FALSE(out->contains("members"));
  CHECK((*out)["displayName"] == "G");
  out = ProjectResource(g, GroupResource(), "members.value", "");
  REQUIRE(out.ok());
  CHECK((*out)["members"] == R"([{"value":"u1"}])"_json);
}

TEST_CASE("sortBy: type-aware order, primary value, missing last", "[scim]") {
  std::vector<json> users = {
      R"({"id":"1","userName":"charlie","emails":[{"value":"z@x"},{"value":"a@x","primary":true}],
          "meta":{"created":"2024-01-01T10:00:00+02:00"}})"_json,
      R"({"id":"2","userName":"Bravo","emails":[{"value":"m@x"}],"meta":{"created":"2024-01-01T09:00:00Z"}})"_json,
      R"({"id":"3","emails":[],"meta":{}})"_json,
      R"({"id":"4","userName":"alpha","meta":{"created":"2023-12-31T23:00:00-05:00"}})"_json,
  };
  auto order = [&](const char* by, bool descending = false) {
    auto key = ParseSortKey(by, UserResource());
    REQUIRE(key.ok());
    std::vector<json> v = users;
    std::stable_sort(v.begin(), v.end(),
                     [&](const json& a, const json& b) { return CompareForSort(a, b, *key, descending) < 0; });
    std::string ids;
    for (const auto& u : v) ids += u["id"].get<std::string>();
    return ids;
  };
  CHECK(order("userName") == "4213");  // case-insensitive: alpha, Bravo, charlie, (missing)
  CHECK(order("userName", true) == "3124");
  CHECK(order("emails") == "1234");  // primary a@x, m@x, then (empty) and (none) in input order
  CHECK(order("emails.value") == "1234");
  // As instants: 04:00Z (4), 08:00Z (1), 09:00Z (2); 3 has none
  CHECK(order("meta.created") == "4123");
  CHECK(CompareForSort(users[0], users[1], "USERNAME", UserResource()) > 0);
  CHECK(CompareForSort(users[0], users[1], "not valid..", UserResource()) == 0);
  CHECK(ParseSortKey("name", UserResource()).error().scim_type == "invalidPath");
  CHECK(ParseSortKey("shoeSize", UserResource()).error().scim_type == "invalidPath");
  CHECK(ParseSortKey("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", UserResource()).ok());
}
