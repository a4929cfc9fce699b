#include "tenancy/console_session.h"

#include "crypto/base64.h"
#include "crypto/constant_time.h"
#include "crypto/hmac.h"

namespace dirbridge {
namespace {

constexpr std::string_view kPrefix = "dbcs1.";
constexpr std::string_view kCsrfPrefix = "dbcsrf1.";
constexpr std::size_t kNonceBytes = 16;

std::string CsrfOf(std::string_view key, std::string_view session) {
  return crypto::HmacSha256Base64Url(key, std::string(kCsrfPrefix) + std::string(session));
}

}  // namespace

ConsoleSession IssueConsoleSession(Env& env, std::string_view key) {
  std::string nonce(kNonceBytes, '\0');
  env.RandomBytes(reinterpret_cast<uint8_t*>(nonce.data()), nonce.size());
  ConsoleSession s;
  s.expires_ms = env.NowMillis() + kConsoleSessionMs;
  const std::string body = std::string(kPrefix) + std::to_string(s.expires_ms) + "." + crypto::Base64UrlEncode(nonce);
  s.session = body + "." + crypto::HmacSha256Base64Url(key, body);
  s.csrf = CsrfOf(key, s.session);
  return s;
}

Result<ConsoleSession> OpenConsoleSession(std::string_view key, std::string_view session, int64_t now_ms) {
  if (session.empty()) return Unauthorized("sign in to the console first (no session)");
  if (session.size() > kMaxConsoleSessionBytes || session.substr(0, kPrefix.size()) != kPrefix) {
    return Unauthorized("the console session is malformed: sign in again");
  }
  const std::size_t mac_dot = session.rfind('.');
  const std::size_t expiry_dot = session.find('.', kPrefix.size());
  if (mac_dot == std::string_view::npos || expiry_dot == std::string_view::npos || expiry_dot >= mac_dot) {
    return Unauthorized("the console session is malformed: sign in again");
  }
  const std::string_view body = session.substr(0, mac_dot);
  if (!crypto::ConstantTimeEquals(crypto::HmacSha256Base64Url(key, body), session.substr(mac_dot + 1))) {
    return Unauthorized("the console session was not issued by this deployment: sign in again");
  }
  int64_t expires = 0;
  for (char c : session.substr(kPrefix.size(), expiry_dot - kPrefix.size())) {
    if (c < '0' || c > '9' || expires > 1'000'000'000'000'000) return Unauthorized("the console session is malformed");
    expires = expires * 10 + (c - '0');
  }
  if (now_ms >= expires) return Unauthorized("the console session expired: sign in again");
  ConsoleSession open;
  open.session = std::string(session);
  open.csrf = CsrfOf(key, session);
  open.expires_ms = expires;
  return open;
}

Status RequireConsoleCsrf(const ConsoleSession& session, std::string_view csrf) {
  if (!crypto::ConstantTimeEquals(session.csrf, csrf)) {
    return Forbidden("a change from the console needs the session's CSRF header (X-CSRF-Token)");
  }
  return Status::Ok();
}

Status CheckConsoleSession(std::string_view key, std::string_view session, std::string_view csrf, bool write,
                           int64_t now_ms) {
  DB_ASSIGN_OR_RETURN(auto open, OpenConsoleSession(key, session, now_ms));
  return write ? RequireConsoleCsrf(open, csrf) : Status::Ok();
}

}  // namespace dirbridge
