#include <catch2/catch.hpp>

#include <string>

#include "core/json_input.h"

using dirbridge::ParseJson;

TEST_CASE("ParseJson accepts an ordinary object") {
  auto doc = ParseJson(R"({"userName":"ada","emails":[{"value":"a@x"}]})");
  REQUIRE(doc.ok());
  CHECK((*doc)["userName"] == "ada");
}

TEST_CASE("ParseJson rejects text that is not JSON as invalidSyntax") {
  auto doc = ParseJson("{\"userName\": ");
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.error().scim_type == "invalidSyntax");
}

TEST_CASE("ParseJson refuses a body nested 100,000 levels deep without crashing") {
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  auto doc = ParseJson(deep);
  REQUIRE_FALSE(doc.ok());
  CHECK(doc.error().detail.find("nested deeper") != std::string::npos);
}

TEST_CASE("brackets inside strings do not count towards nesting depth") {
  std::string s = "{\"a\":\"" + std::string(1000, '[') + "\"}";
  CHECK(dirbridge::JsonNestingDepth(s, 64) == 1);
  CHECK(ParseJson(s).ok());
}
