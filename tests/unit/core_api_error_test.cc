// The two error writers (core/api_error.h, scim/error_response.h): their shapes, and
// that bytes which are not UTF-8 in a detail are replaced rather than aborting.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/api_error.h"
#include "scim/error_response.h"

using nlohmann::json;

TEST_CASE("the API error is {status, error, detail} as application/json") {
  auto r = dirbridge::ApiErrorResponse(dirbridge::NotFound("no such endpoint: /x"));
  CHECK(r.status == 404);
  CHECK(r.headers.at("content-type") == "application/json");
  CHECK(json::parse(r.body) == json{{"status", 404}, {"error", "notFound"}, {"detail", "no such endpoint: /x"}});
  auto unauthorized = dirbridge::ApiErrorResponse(dirbridge::Unauthorized("no"));
  CHECK(unauthorized.headers.at("www-authenticate") == "Bearer realm=\"dirbridge\"");
  CHECK(json::parse(dirbridge::ApiErrorResponse(dirbridge::Internal("x")).body)["error"] == "internal");
}

TEST_CASE("error writers replace bytes that are not UTF-8 in the detail instead of aborting") {
  const std::string hostile = "no such endpoint: /\xff\xfe\xc3";
  auto api = json::parse(dirbridge::ApiErrorResponse(dirbridge::NotFound(hostile)).body, nullptr, false);
  REQUIRE(api.is_object());
  CHECK(api["detail"] == "no such endpoint: /\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  auto scim = json::parse(dirbridge::scim::ErrorResponse(dirbridge::InvalidInput(hostile)).body, nullptr, false);
  REQUIRE(scim.is_object());
  CHECK(scim["status"] == "400");
  CHECK(scim["detail"].get<std::string>().rfind("no such endpoint: /", 0) == 0);
}

TEST_CASE("an error that says when to try again is sent with Retry-After by both writers") {
  const auto busy = dirbridge::UnavailableFor(60, "the outbox is full");
  auto api = dirbridge::ApiErrorResponse(busy);
  CHECK(api.status == 503);
  CHECK(api.headers.at("retry-after") == "60");
  CHECK(json::parse(api.body) == json{{"status", 503}, {"error", "unavailable"}, {"detail", "the outbox is full"}});
  auto scim = dirbridge::scim::ErrorResponse(busy);
  CHECK(scim.status == 503);
  CHECK(scim.headers.at("retry-after") == "60");
  // Without one, no header.
  CHECK(dirbridge::ApiErrorResponse(dirbridge::Unavailable("not configured")).headers.count("retry-after") == 0);
  CHECK(dirbridge::scim::ErrorResponse(dirbridge::Unavailable("not configured")).headers.count("retry-after") == 0);
}
