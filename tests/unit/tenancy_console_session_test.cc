// tenancy/console_session.h: the admin console's stateless session and its CSRF value.
#include <catch2/catch.hpp>

#include "native/native_env.h"
#include "tenancy/console_session.h"

using dirbridge::CheckConsoleSession;
using dirbridge::ErrorKind;
using dirbridge::IssueConsoleSession;

namespace {
constexpr const char* kKey = "console-test-token-key-0123456789abcdef";
}

TEST_CASE("console session: issued, checked, expired, forged, and writes need the CSRF value") {
  dirbridge::NativeEnv env(/*deterministic=*/true);
  const auto s = IssueConsoleSession(env, kKey);
  const int64_t now = env.NowMillis();
  CHECK(s.expires_ms == now + dirbridge::kConsoleSessionMs);
  CHECK(s.session.rfind("dbcs1.", 0) == 0);
  CHECK(s.session.size() <= dirbridge::kMaxConsoleSessionBytes);
  CHECK(s.csrf != s.session);

  CHECK(CheckConsoleSession(kKey, s.session, "", false, now).ok());
  CHECK(CheckConsoleSession(kKey, s.session, s.csrf, true, now).ok());

  const auto kind = [](const dirbridge::Status& st) { return st.ok() ? ErrorKind::kInternal : st.error().kind; };
  CHECK(kind(CheckConsoleSession(kKey, s.session, "", true, now)) == ErrorKind::kForbidden);
  CHECK(kind(CheckConsoleSession(kKey, s.session, s.csrf + "x", true, now)) == ErrorKind::kForbidden);
  CHECK(kind(CheckConsoleSession(kKey, s.session, "", false, s.expires_ms)) == ErrorKind::kUnauthorized);
  CHECK(kind(CheckConsoleSession("another-key", s.session, s.csrf, true, now)) == ErrorKind::kUnauthorized);
  CHECK(kind(CheckConsoleSession(kKey, "", "", false, now)) == ErrorKind::kUnauthorized);
  CHECK(kind(CheckConsoleSession(kKey, "dbcs1.garbage", "", false, now)) == ErrorKind::kUnauthorized);

  // A later expiry with the old MAC does not verify.
  std::string longer = s.session;
  const auto dot = longer.find('.', 6);
  longer.replace(6, dot - 6, std::to_string(s.expires_ms + 86'400'000));
  CHECK(kind(CheckConsoleSession(kKey, longer, "", false, now)) == ErrorKind::kUnauthorized);

  // Two sessions differ (their nonces), and so do their CSRF values.
  const auto other = IssueConsoleSession(env, kKey);
  CHECK(other.session != s.session);
  CHECK(other.csrf != s.csrf);
  CHECK(kind(CheckConsoleSession(kKey, other.session, s.csrf, true, now)) == ErrorKind::kForbidden);
}
