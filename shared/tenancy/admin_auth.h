// The operator's admin API is guarded by DIRBRIDGE_ADMIN_TOKEN, a deployment secret
// (a Workers secret, or an environment variable locally). Both sides are hashed
// and compared in constant time. Without the setting the admin API is disabled.
#pragma once

#include <string_view>

#include "core/env.h"
#include "core/http_message.h"
#include "core/result.h"
#include "tenancy/console_session.h"

namespace dirbridge {

inline constexpr const char* kAdminTokenSetting = "DIRBRIDGE_ADMIN_TOKEN";

Status AuthenticateAdmin(Env& env, std::string_view authorization_header);

// The console's session cookie (tenancy/console_session.h) and the header that carries
// the session's CSRF value on writes.
inline constexpr const char* kConsoleSessionCookie = "dbcs";
inline constexpr const char* kConsoleCsrfHeader = "x-csrf-token";

// The key console sessions are MAC'ed with: HMAC-SHA-256 under DIRBRIDGE_TOKEN_KEY of
// "dbcs1-key." + the SHA-256 of DIRBRIDGE_ADMIN_TOKEN, so changing either setting ends
// every console session. 503 when either is unset (as the admin API and TokenKey say).
Result<std::string> ConsoleSessionKey(Env& env);

// An admin API request: with an Authorization header, the admin token as a bearer
// token (AuthenticateAdmin); without one, the console's session cookie, and on a write
// (any method but GET and HEAD) its CSRF value in X-CSRF-Token. 401 / 403 otherwise.
Status AuthenticateAdminRequest(Env& env, const HttpRequest& request);

// The value of cookie `name` in a Cookie header ("a=1; b=2"); "" when absent.
std::string CookieValue(std::string_view cookie_header, std::string_view name);

}  // namespace dirbridge
