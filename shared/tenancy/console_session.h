// The admin console's session: the admin signs in once with the
// admin token and gets a short-lived session instead, carried by an HttpOnly cookie,
// so the token never sits in the browser. The edge checks a session without storage:
//
//   session  "dbcs1." + expiry (ms, decimal) + "." + nonce (16 random bytes,
//            base64url) + "." + MAC
//   MAC      HMAC-SHA-256 under the deployment's token key (DIRBRIDGE_TOKEN_KEY) of
//            "dbcs1." + expiry + "." + nonce, base64url without padding
//   CSRF     HMAC-SHA-256 under the same key of "dbcsrf1." + the session, base64url:
//            the page gets it with the sign-in answer (never in a cookie it could not
//            read) and sends it back as a header on every write; the edge recomputes
//            it from the cookie, so a cross-site form (which cannot set headers, and
//            with SameSite=Strict gets no cookie either) is refused
//
// The prefixes keep these MAC inputs apart from those of bearer tokens (dbt1), hook
// secrets (dbh1) and webhook gates (dbg1). A session lives kConsoleSessionMs; signing
// out clears the cookie. Being stateless, a session copied before it is cleared stays
// valid until its expiry: the lifetime is kept short for that reason.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/env.h"
#include "core/result.h"

namespace dirbridge {

inline constexpr int64_t kConsoleSessionMs = 30 * 60 * 1000;
inline constexpr std::size_t kMaxConsoleSessionBytes = 200;

struct ConsoleSession {
  std::string session;  // the cookie's value
  std::string csrf;     // the header's value
  int64_t expires_ms = 0;
};

// A new session under `key`, expiring kConsoleSessionMs after env's clock.
ConsoleSession IssueConsoleSession(Env& env, std::string_view key);

// Opens `session` (the cookie's value) under `key` at `now_ms`: the session with its
// CSRF value and expiry; 401 when it is missing, malformed, not made with this key
// or expired.
Result<ConsoleSession> OpenConsoleSession(std::string_view key, std::string_view session, int64_t now_ms);

// 403 unless `csrf` (the header's value) is the CSRF value of `session`.
Status RequireConsoleCsrf(const ConsoleSession& session, std::string_view csrf);

// Checks `session` (the cookie's value) under `key` at `now_ms`: 401 when it is
// missing, malformed, not made with this key or expired. When `write` (any method
// but GET and HEAD), `csrf` must be the session's CSRF value: 403 otherwise.
Status CheckConsoleSession(std::string_view key, std::string_view session, std::string_view csrf, bool write,
                           int64_t now_ms);

}  // namespace dirbridge
