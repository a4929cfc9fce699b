#include "console_session_route.h"

#include <string>

#include "core/api_error.h"
#include "core/api_response.h"
#include "core/json_input.h"
#include "model/json_fields.h"
#include "tenancy/admin_auth.h"
#include "tenancy/console_session.h"

namespace dirbridge::router {
namespace {

std::string CookieAttributes(const HttpRequest& request, int64_t max_age_seconds) {
  std::string a = "; Path=/; Max-Age=" + std::to_string(max_age_seconds) + "; HttpOnly; SameSite=Strict";
  if (request.origin.rfind("https://", 0) == 0) a += "; Secure";
  return a;
}

HttpResponse NoStore(HttpResponse r) {
  r.headers["cache-control"] = "no-store";
  return r;
}

HttpResponse SessionAnswer(const ConsoleSession& s) {
  return ApiJsonResponse(200, nlohmann::json{{"csrf", s.csrf}, {"expiresAt", s.expires_ms}});
}

HttpResponse SignIn(const HttpRequest& request, Env& env) {
  const std::string origin = request.Header("origin");
  if (!origin.empty() && origin != request.origin) {
    return ApiErrorResponse(Forbidden("sign in from the console's own origin"));
  }
  auto body = ParseJson(request.body.empty() ? std::string_view("{}") : std::string_view(request.body));
  if (!body.ok()) return ApiErrorResponse(body.error());
  if (!body->is_object()) return ApiErrorResponse(InvalidInput("body must be a JSON object"));
  std::string token;
  if (auto s = json_fields::ReadString(*body, "token", "", &token); !s.ok()) return ApiErrorResponse(s.error());
  if (token.empty()) return ApiErrorResponse(InvalidInput("'token' is required: the admin token"));
  if (auto auth = AuthenticateAdmin(env, "Bearer " + token); !auth.ok()) return ApiErrorResponse(auth.error());
  auto key = ConsoleSessionKey(env);
  if (!key.ok()) return ApiErrorResponse(key.error());
  const ConsoleSession session = IssueConsoleSession(env, *key);
  HttpResponse r = SessionAnswer(session);
  r.headers["set-cookie"] =
      std::string(kConsoleSessionCookie) + "=" + session.session + CookieAttributes(request, kConsoleSessionMs / 1000);
  return r;
}

Result<ConsoleSession> CurrentSession(const HttpRequest& request, Env& env) {
  DB_ASSIGN_OR_RETURN(auto key, ConsoleSessionKey(env));
  return OpenConsoleSession(key, CookieValue(request.Header("cookie"), kConsoleSessionCookie), env.NowMillis());
}

HttpResponse SignOut(const HttpRequest& request, Env& env) {
  if (auto live = CurrentSession(request, env); live.ok()) {
    if (auto s = RequireConsoleCsrf(*live, request.Header(kConsoleCsrfHeader)); !s.ok()) return ApiErrorResponse(s.error());
  }
  HttpResponse r = ApiNoContent();
  r.headers["set-cookie"] = std::string(kConsoleSessionCookie) + "=" + CookieAttributes(request, 0);
  return r;
}

}  // namespace

HttpResponse AnswerConsoleSession(const HttpRequest& request, Env& env) {
  if (request.method == "POST") return NoStore(SignIn(request, env));
  if (request.method == "DELETE") return NoStore(SignOut(request, env));
  if (request.method == "GET") {
    auto session = CurrentSession(request, env);
    return NoStore(session.ok() ? SessionAnswer(*session) : ApiErrorResponse(session.error()));
  }
  return ApiMethodNotAllowed("GET, POST, DELETE");
}

}  // namespace dirbridge::router
