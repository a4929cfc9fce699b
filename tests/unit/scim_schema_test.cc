// Tests of the SCIM schema definitions and their /Schemas and /ResourceTypes JSON
// (shared/scim/schema.h).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "scim/schema.h"

using nlohmann::json;
using namespace dirbridge::scim;

namespace {
constexpr const char* kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
}  // namespace

TEST_CASE("schema lookup is case-insensitive and understands URNs", "[scim]") {
  const auto& users = UserResource();
  auto r = users.Resolve("USERNAME");
  REQUIRE(r);
  CHECK(r->attribute->name == "userName");
  r = users.Resolve("urn:ietf:params:scim:schemas:core:2.0:User:name.GivenName");
  REQUIRE(r);
  CHECK(r->attribute->name == "givenName");
  CHECK(r->parent->name == "name");
  r = users.Resolve("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value");
  REQUIRE(r);
  CHECK(r->extension_urn == kEnterprise);
  CHECK(r->top()->name == "manager");
  r = users.Resolve("employeeNumber");
  REQUIRE(r);
  CHECK(r->extension_urn == kEnterprise);
  CHECK(users.Resolve("externalId")->attribute->case_exact);
  CHECK(users.Resolve("password")->attribute->returned == Returned::kNever);
  CHECK(users.Resolve("groups")->attribute->mutability == Mutability::kReadOnly);
  CHECK_FALSE(users.Resolve("members"));
  CHECK(GroupResource().Resolve("members.value"));
  CHECK_FALSE(users.Resolve("name.nope"));
  CHECK_FALSE(users.Resolve("urn:example:x:userName"));

  json s = SchemaToJson(UserSchema(), "https://h/scim/v2/");
  CHECK(s["id"] == "urn:ietf:params:scim:schemas:core:2.0:User");
  CHECK(s["meta"]["location"] == "https://h/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
  bool saw_password = false;
  for (const auto& a : s["attributes"]) {
    if (a["name"] == "password") {
      saw_password = true;
      CHECK(a["mutability"] == "writeOnly");
      CHECK(a["returned"] == "never");
    }
    if (a["name"] == "emails") CHECK(a["subAttributes"].size() == 4);
  }
  CHECK(saw_password);
  json rt = ResourceTypeToJson(UserResource(), "https://h/scim/v2");
  CHECK(rt["endpoint"] == "/Users");
  CHECK(rt["schemaExtensions"][0]["schema"] == kEnterprise);
  CHECK(rt["schemaExtensions"][0]["required"] == false);
  CHECK(ResourceTypeToJson(GroupResource(), "")["schema"] == "urn:ietf:params:scim:schemas:core:2.0:Group");
}
