// tenancy/bearer_token.h: connection tokens carry their tenant, connection id and
// secret under a MAC made with the deployment's token key, so the edge can check
// them without storage; parsing is strict and errors never quote the token.
#include <catch2/catch.hpp>

#include "native/native_env.h"
#include "tenancy/bearer_token.h"

using dirbridge::BearerToken;
using dirbridge::FormatBearerToken;
using dirbridge::ParseBearerToken;
using dirbridge::VerifyBearerToken;

namespace {
constexpr const char* kKey = "bearer-test-key-0123456789abcdefghij";
const BearerToken kFields{"acme-2", "00ff00ff00ff00ff", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I"};
}  // namespace

TEST_CASE("a token is dbt1.{tenant}.{connection}.{secret}.{mac} and verifies under its key only") {
  const std::string token = FormatBearerToken(kKey, kFields);
  CHECK(token.rfind("dbt1.acme-2.00ff00ff00ff00ff.c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I.", 0) == 0);
  CHECK(token.size() == std::string("dbt1.acme-2.00ff00ff00ff00ff.").size() + 43 + 1 + 22);
  auto parsed = ParseBearerToken(token);
  REQUIRE(parsed);
  CHECK(parsed->tenant == "acme-2");
  CHECK(parsed->connection_id == "00ff00ff00ff00ff");
  CHECK(parsed->secret == kFields.secret);
  auto verified = VerifyBearerToken(kKey, token);
  REQUIRE(verified.ok());
  CHECK(verified->tenant == "acme-2");
  // The same fields under another key, or the fields changed under this MAC, fail.
  CHECK(VerifyBearerToken("another-key-0123456789abcdefghijklmn", token).error().kind ==
        dirbridge::ErrorKind::kUnauthorized);
  BearerToken other = kFields;
  other.tenant = "acme-3";
  const std::string moved = FormatBearerToken(kKey, other);
  const std::string spliced = moved.substr(0, moved.rfind('.')) + token.substr(token.rfind('.'));
  CHECK_FALSE(VerifyBearerToken(kKey, spliced).ok());
  CHECK(VerifyBearerToken(kKey, moved).ok());
}

TEST_CASE("malformed tokens do not parse, and the errors never quote them") {
  const std::string good = FormatBearerToken(kKey, kFields);
  const std::string mac = good.substr(good.rfind('.') + 1);
  for (const std::string& bad : {
           std::string(""), std::string("dbt1"), std::string("dbt_00ff_secret"),
           "dbt2.acme-2.00ff00ff00ff00ff.secret." + mac,      // unknown version
           "dbt1.Acme.00ff00ff00ff00ff.secret." + mac,        // not a tenant slug
           "dbt1.acme-2.00FF.secret." + mac,                  // connection id not lower hex
           "dbt1.acme-2..secret." + mac,                      // empty connection id
           std::string("dbt1.acme-2.00ff.."), "dbt1.acme-2.00ff.sec+ret." + mac,  // not base64url
           "dbt1.acme-2.00ff.secret." + mac + "A",            // MAC of the wrong length
           "dbt1.acme-2.00ff.secret.x." + mac,                // six fields
           good + " ", std::string(300, 'a'), "dbt1.acme-2.00ff." + std::string(200, 's') + "." + mac}) {
    INFO(bad.substr(0, 80));
    CHECK_FALSE(ParseBearerToken(bad));
    auto v = VerifyBearerToken(kKey, bad);
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().kind == dirbridge::ErrorKind::kUnauthorized);
    if (bad.size() > 4) CHECK(v.error().detail.find(bad) == std::string::npos);
  }
}

TEST_CASE("the token key comes from DIRBRIDGE_TOKEN_KEY and must be long enough") {
  dirbridge::NativeEnv env(/*deterministic=*/true);
  CHECK(dirbridge::TokenKey(env).error().kind == dirbridge::ErrorKind::kUnavailable);
  env.SetConfig("DIRBRIDGE_TOKEN_KEY", "too-short");
  CHECK(dirbridge::TokenKey(env).error().kind == dirbridge::ErrorKind::kUnavailable);
  CHECK(dirbridge::TokenKey(env).error().detail.find("too-short") == std::string::npos);
  env.SetConfig("DIRBRIDGE_TOKEN_KEY", kKey);
  CHECK(dirbridge::TokenKey(env).value() == kKey);
}
