// The Standard Webhooks signature scheme (functions/webhooks/standard_webhooks.h):
// the specification's own example, then every way a delivery is refused.
#include <catch2/catch.hpp>

#include "core/timestamp.h"
#include "standard_webhooks.h"

using namespace dirbridge;
using namespace dirbridge::webhooks;

namespace {

// The example of the Standard Webhooks specification (spec/standard-webhooks.md,
// "Signature scheme"), checked independently with node:crypto's HMAC.
constexpr const char* kSpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kSpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr const char* kSpecTimestamp = "1614265330";
constexpr const char* kSpecBody = R"({"test": 2432232314})";
constexpr const char* kSpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
constexpr int64_t kSpecNowMs = 1614265330LL * 1000;

std::string SpecKey() {
  auto key = DecodeSigningSecret(kSpecSecret);
  REQUIRE(key.ok());
  return *key;
}

}  // namespace

TEST_CASE("the specification's example signature is reproduced and verified") {
  const std::string key = SpecKey();
  CHECK(key.size() == 24);
  CHECK(SignV1(key, kSpecId, kSpecTimestamp, kSpecBody) == kSpecSignature);
  auto ok = VerifyDelivery(key, {kSpecId, kSpecTimestamp, kSpecSignature}, kSpecBody, kSpecNowMs);
  REQUIRE(ok.ok());
  CHECK(*ok == 1614265330);
}

TEST_CASE("one matching v1 signature among several is enough, other versions are skipped") {
  const std::string key = SpecKey();
  const std::string header = std::string("v1a,c2lnbmVk v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= ") + kSpecSignature;
  CHECK(VerifyDelivery(key, {kSpecId, kSpecTimestamp, header}, kSpecBody, kSpecNowMs).ok());
}

TEST_CASE("a forged, altered, stale, future or incomplete delivery is 401 with a reason") {
  const std::string key = SpecKey();
  auto refused = [&](SignedHeaders h, std::string_view body, int64_t now, const std::string& needle) {
    auto r = VerifyDelivery(key, h, body, now);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::kUnauthorized);
    INFO(r.error().detail);
    CHECK(r.error().detail.find(needle) != std::string::npos);
    // The expected signature never leaks into the reason.
    CHECK(r.error().detail.find("g0hM9SsE") == std::string::npos);
  };
  refused({kSpecId, kSpecTimestamp, kSpecSignature}, R"({"test": 2432232315})", kSpecNowMs, "no webhook-signature matches");
  refused({"msg_other", kSpecTimestamp, kSpecSignature}, kSpecBody, kSpecNowMs, "no webhook-signature matches");
  auto other = DecodeSigningSecret("whsec_" + std::string("QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"));
  REQUIRE(other.ok());
  CHECK_FALSE(VerifyDelivery(*other, {kSpecId, kSpecTimestamp, kSpecSignature}, kSpecBody, kSpecNowMs).ok());
  refused({kSpecId, kSpecTimestamp, kSpecSignature}, kSpecBody, kSpecNowMs + 301 * 1000, "301 seconds old");
  refused({kSpecId, kSpecTimestamp, kSpecSignature}, kSpecBody, kSpecNowMs - 301 * 1000, "in the future");
  CHECK(VerifyDelivery(key, {kSpecId, kSpecTimestamp, kSpecSignature}, kSpecBody, kSpecNowMs + 300 * 1000).ok());
  refused({"", kSpecTimestamp, kSpecSignature}, kSpecBody, kSpecNowMs, "webhook-id header is missing");
  refused({kSpecId, "", kSpecSignature}, kSpecBody, kSpecNowMs, "webhook-timestamp header is missing");
  refused({kSpecId, kSpecTimestamp, ""}, kSpecBody, kSpecNowMs, "webhook-signature header is missing");
  refused({kSpecId, "16142653.30", kSpecSignature}, kSpecBody, kSpecNowMs, "whole seconds");
  refused({kSpecId, kSpecTimestamp, "v1a,abc"}, kSpecBody, kSpecNowMs, "no 'v1,<base64>'");
  refused({"id with space", kSpecTimestamp, kSpecSignature}, kSpecBody, kSpecNowMs, "printable ASCII");
}

TEST_CASE("signing secrets: whsec_ + base64 of 24 to 64 bytes") {
  CHECK(DecodeSigningSecret("whsec_QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB").ok());        // 24 bytes
  CHECK_FALSE(DecodeSigningSecret("whsec_QUFBQUFBQUFBQUFBQUFBQUFBQUE=").ok());      // 20 bytes
  CHECK_FALSE(DecodeSigningSecret("whsec_not base64!").ok());
}

TEST_CASE("RFC 3339 times parse to milliseconds") {
  CHECK(ParseRfc3339Millis("1970-01-01T00:00:00Z") == 0);
  CHECK(ParseRfc3339Millis("2026-11-26T04:00:00.123Z") == 1795665600123LL);
  CHECK(ParseRfc3339Millis("2026-11-26T05:00:00+01:00") == 1795665600000LL);
  CHECK(ParseRfc3339Millis(FormatRfc3339Millis(1764000000123LL)) == 1764000000123LL);
  for (const char* bad : {"", "2026-11-26", "2026-02-30T00:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26T04:00:00",
                          "2026-11-26T04:00:00Zjunk", "2026-11-26 04:00:00Z"}) {
    INFO(bad);
    CHECK_FALSE(ParseRfc3339Millis(bad).has_value());
  }
}
