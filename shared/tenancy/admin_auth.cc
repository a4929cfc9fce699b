#include "tenancy/admin_auth.h"

#include "crypto/constant_time.h"
#include "crypto/hmac.h"
#include "crypto/sha256.h"
#include "tenancy/bearer_token.h"

namespace dirbridge {

Status AuthenticateAdmin(Env& env, std::string_view authorization_header) {
  auto configured = env.Config(kAdminTokenSetting);
  if (!configured || configured->empty()) {
    return Unavailable("the admin API is disabled: DIRBRIDGE_ADMIN_TOKEN is not set");
  }
  DB_ASSIGN_OR_RETURN(auto token, ExtractBearerToken(authorization_header));
  if (!crypto::ConstantTimeEquals(crypto::Sha256Hex(token), crypto::Sha256Hex(*configured))) {
    return Unauthorized("admin token is not valid");
  }
  return Status::Ok();
}

Result<std::string> ConsoleSessionKey(Env& env) {
  auto admin = env.Config(kAdminTokenSetting);
  if (!admin || admin->empty()) return Unavailable("the admin API is disabled: DIRBRIDGE_ADMIN_TOKEN is not set");
  DB_ASSIGN_OR_RETURN(auto token_key, TokenKey(env));
  return crypto::HmacSha256Base64Url(token_key, "dbcs1-key." + crypto::Sha256Hex(*admin));
}

std::string CookieValue(std::string_view cookie_header, std::string_view name) {
  while (!cookie_header.empty()) {
    const std::size_t semi = cookie_header.find(';');
    std::string_view pair = cookie_header.substr(0, semi);
    cookie_header = semi == std::string_view::npos ? std::string_view() : cookie_header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
  }
  return "";
}

Status AuthenticateAdminRequest(Env& env, const HttpRequest& request) {
  const std::string authorization = request.Header("authorization");
  if (!authorization.empty()) return AuthenticateAdmin(env, authorization);
  const std::string session = CookieValue(request.Header("cookie"), kConsoleSessionCookie);
  if (session.empty()) return AuthenticateAdmin(env, authorization);  // the bearer token's own 401
  DB_ASSIGN_OR_RETURN(auto key, ConsoleSessionKey(env));
  const bool write = request.method != "GET" && request.method != "HEAD";
  return CheckConsoleSession(key, session, request.Header(kConsoleCsrfHeader), write, env.NowMillis());
}

}  // namespace dirbridge
