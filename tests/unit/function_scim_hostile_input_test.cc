// Hostile and careless input (issue 7): text in an error message is untrusted and
// never aborts the module, parsers quote whole characters, and a request that fails
// commits nothing.
#include <catch2/catch.hpp>

#include "core/utf8.h"
#include "scim_test_client.h"

using dirbridge::testing::ScimTestClient;
using nlohmann::json;

namespace {

// The answer is well-formed JSON whose detail is valid UTF-8 and quotes `quoted`.
void CheckQuotes(const dirbridge::testing::ClientResponse& r, int status, const std::string& quoted) {
  CHECK(r.status == status);
  auto body = r.json();
  REQUIRE_FALSE(body.is_discarded());
  REQUIRE(body.contains("detail"));
  const std::string detail = body["detail"];
  INFO(detail);
  CHECK(detail.find(quoted) != std::string::npos);
}

}  // namespace

TEST_CASE("a UTF-8 character is measured whole, and a stray byte alone") {
  using dirbridge::Utf8CharLength;
  CHECK(Utf8CharLength("a", 0) == 1);
  CHECK(Utf8CharLength("\xC3\xA9x", 0) == 2);
  CHECK(Utf8CharLength("\xE2\x82\xAC", 0) == 3);
  CHECK(Utf8CharLength("\xF0\x9F\x98\x80", 0) == 4);
  CHECK(Utf8CharLength("\xC3", 0) == 1);      // truncated
  CHECK(Utf8CharLength("\xFF\xA9", 0) == 1);  // starts no sequence
  CHECK(Utf8CharLength("\xC3x", 0) == 1);     // not followed by a continuation byte
  CHECK(Utf8CharLength("", 0) == 0);
  CHECK(dirbridge::QuoteCharAt("\xC3\xA9", 0) == "'\xC3\xA9'");
}

TEST_CASE("parsers quote whole characters in their errors") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  REQUIRE(c.Send("POST", base + "/Users", R"({"userName":"ada"})", token).status == 201);
  CheckQuotes(c.Send("GET", base + "/Users?filter=%C3%A9%20pr", "", token), 400, "'\xC3\xA9'");
  CheckQuotes(c.Send("GET", base + "/Users?attributes=name%C3%A9x", "", token), 400, "'\xC3\xA9'");
  CheckQuotes(c.Send("GET", base + "/Users?sortBy=%C3%A9", "", token), 400, "\xC3\xA9");
}

TEST_CASE("a request refused for its query parameters has changed nothing") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  const auto before = c.store().size();
  auto r = c.Send("POST", base + "/Users?attributes=%FF", R"({"userName":"ada"})", token);
  CHECK(r.status == 400);
  CHECK_FALSE(r.json().is_discarded());
  CHECK(c.store().size() == before);
  // The retry without the bad parameter is a plain create, not a 409.
  CHECK(c.Send("POST", base + "/Users", R"({"userName":"ada"})", token).status == 201);
  const std::string id = c.Send("GET", base + "/Users?filter=userName%20eq%20%22ada%22", "", token).json()["Resources"][0]["id"];
  const auto after_create = c.store().size();
  CHECK(c.Send("PUT", base + "/Users/" + id + "?excludedAttributes=name.%C3%A9", R"({"userName":"bob"})", token).status ==
        400);
  CHECK(c.Send("GET", base + "/Users/" + id, "", token).json()["userName"] == "ada");
  CHECK(c.store().size() == after_create);
}

TEST_CASE("hostile ids and cursors are 404 and invalidCursor, and keys stay valid UTF-8") {
  ScimTestClient c;
  auto [base, token] = c.NewTenant("acme");
  CHECK(c.Send("GET", base + "/Users/%FF", "", token).status == 404);
  CHECK(c.Send("DELETE", base + "/Groups/%C0%AF", "", token).status == 404);
  for (const char* cursor : {"%FF", "not-a-cursor", "019ab697-e800-714a-af37-a1cb33fb663"}) {
    auto r = c.Send("GET", base + "/Users?cursor=" + std::string(cursor), "", token);
    CHECK(r.status == 400);
    CHECK(r.json()["scimType"] == "invalidCursor");
  }
  auto all = c.store().List("", "", 1000000);
  for (const auto& e : *all) {
    INFO(e.key);
    CHECK(dirbridge::IsValidUtf8(e.key));
  }
}
