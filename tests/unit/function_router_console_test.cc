// functions/router's console sign-in (console_session_route.h) and the admin API's
// acceptance of the console's session cookie (tenancy/admin_auth.h), at the edge.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/http_message.h"
#include "native/native_env.h"
#include "router.h"
#include "tenancy/console_session.h"

using dirbridge::HttpRequest;
using dirbridge::RouteDecision;
using nlohmann::json;

namespace {

constexpr const char* kToken = "console-test-admin-token";
constexpr const char* kTokenKey = "console-test-token-key-0123456789abcdef";

struct Edge {
  dirbridge::NativeEnv env{/*deterministic=*/true};
  std::string origin = "http://127.0.0.1:8787";
  Edge() {
    env.SetConfig("DIRBRIDGE_ADMIN_TOKEN", kToken);
    env.SetConfig("DIRBRIDGE_TOKEN_KEY", kTokenKey);
  }
  RouteDecision Send(const std::string& method, const std::string& path, const std::string& body = "",
                     std::map<std::string, std::string> headers = {}) {
    HttpRequest r;
    r.method = method;
    r.path = path;
    r.body = body;
    r.origin = origin;
    r.headers = std::move(headers);
    return dirbridge::router::Route(r, env);
  }
};

int StatusOf(const RouteDecision& d) { return d.response ? d.response->status : 0; }

// The cookie's value from a Set-Cookie header "dbcs=VALUE; Path=/; ...".
std::string CookieOf(const RouteDecision& d) {
  const std::string& h = d.response->headers.at("set-cookie");
  return h.substr(0, h.find(';'));
}

}  // namespace

TEST_CASE("console sign-in exchanges the admin token for an HttpOnly SameSite=Strict session cookie") {
  Edge edge;
  auto d = edge.Send("POST", "/console/session", json{{"token", kToken}}.dump());
  REQUIRE(StatusOf(d) == 200);
  const auto& h = d.response->headers;
  CHECK(h.at("cache-control") == "no-store");
  const std::string cookie = h.at("set-cookie");
  CHECK(cookie.rfind("dbcs=dbcs1.", 0) == 0);
  CHECK(cookie.find("; HttpOnly") != std::string::npos);
  CHECK(cookie.find("; SameSite=Strict") != std::string::npos);
  CHECK(cookie.find("; Path=/") != std::string::npos);
  CHECK(cookie.find("; Max-Age=1800") != std::string::npos);
  CHECK(cookie.find("Secure") == std::string::npos);  // plain http: a Secure cookie would be dropped
  CHECK(cookie.find(kToken) == std::string::npos);
  auto body = json::parse(d.response->body);
  CHECK(body["csrf"].is_string());
  CHECK(body["expiresAt"] == edge.env.NowMillis() + dirbridge::kConsoleSessionMs);
  CHECK(d.response->body.find(kToken) == std::string::npos);

  Edge https;
  https.origin = "https://dirbridge.example";
  auto s = https.Send("POST", "/console/session", json{{"token", kToken}}.dump());
  REQUIRE(StatusOf(s) == 200);
  CHECK(s.response->headers.at("set-cookie").find("; Secure") != std::string::npos);
}

TEST_CASE("console sign-in refuses a wrong, missing or cross-site attempt and sets no cookie") {
  Edge edge;
  for (auto [body, headers, status] : {
           std::tuple{json{{"token", "wrong"}}.dump(), std::map<std::string, std::string>{}, 401},
           std::tuple{json::object().dump(), std::map<std::string, std::string>{}, 400},
           std::tuple{std::string("not json"), std::map<std::string, std::string>{}, 400},
           std::tuple{json{{"token", 7}}.dump(), std::map<std::string, std::string>{}, 400},
           std::tuple{json{{"token", kToken}}.dump(),
                      std::map<std::string, std::string>{{"origin", "https://evil.example"}}, 403},
       }) {
    auto d = edge.Send("POST", "/console/session", body, headers);
    CHECK(StatusOf(d) == status);
    REQUIRE(d.response);
    CHECK(d.response->headers.count("set-cookie") == 0);
  }
  CHECK(StatusOf(edge.Send("PUT", "/console/session", "{}")) == 405);
}

TEST_CASE("the session cookie opens the admin API, writes need its CSRF value") {
  Edge edge;
  auto signin = edge.Send("POST", "/console/session", json{{"token", kToken}}.dump());
  REQUIRE(StatusOf(signin) == 200);
  const std::string cookie = CookieOf(signin);
  const std::string csrf = json::parse(signin.response->body)["csrf"];

  auto read = edge.Send("GET", "/admin/v1/tenants/acme/users", "", {{"cookie", "theme=dark; " + cookie}});
  REQUIRE_FALSE(read.response);
  CHECK(read.module == "admin");
  CHECK(read.request.tenant == "acme");

  CHECK(StatusOf(edge.Send("POST", "/admin/v1/tenants/acme/connections", "{}", {{"cookie", cookie}})) == 403);
  CHECK(StatusOf(edge.Send("POST", "/admin/v1/tenants/acme/connections", "{}",
                           {{"cookie", cookie}, {"x-csrf-token", csrf + "x"}})) == 403);
  auto write = edge.Send("POST", "/admin/v1/tenants/acme/connections", "{}",
                         {{"cookie", cookie}, {"x-csrf-token", csrf}});
  CHECK_FALSE(write.response);

  // GET /console/session gives the page its CSRF value again (after a reload).
  auto again = edge.Send("GET", "/console/session", "", {{"cookie", cookie}});
  REQUIRE(StatusOf(again) == 200);
  CHECK(json::parse(again.response->body)["csrf"] == csrf);

  // An Authorization header is judged on its own: a wrong one is 401 whatever the cookie.
  CHECK(StatusOf(edge.Send("GET", "/admin/v1/tenants/acme/users", "",
                           {{"cookie", cookie}, {"authorization", "Bearer wrong"}})) == 401);
  // No credential, a forged or foreign cookie: 401.
  CHECK(StatusOf(edge.Send("GET", "/admin/v1/tenants/acme/users")) == 401);
  CHECK(StatusOf(edge.Send("GET", "/console/session")) == 401);
  std::string forged = cookie;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  CHECK(StatusOf(edge.Send("GET", "/admin/v1/tenants/acme/users", "", {{"cookie", forged}})) == 401);

  // A new admin token ends every session made under the old one.
  edge.env.SetConfig("DIRBRIDGE_ADMIN_TOKEN", "another-admin-token");
  CHECK(StatusOf(edge.Send("GET", "/admin/v1/tenants/acme/users", "", {{"cookie", cookie}})) == 401);
}

TEST_CASE("signing out clears the cookie, and needs the CSRF value while the session lives") {
  Edge edge;
  auto signin = edge.Send("POST", "/console/session", json{{"token", kToken}}.dump());
  const std::string cookie = CookieOf(signin);
  const std::string csrf = json::parse(signin.response->body)["csrf"];
  auto refused = edge.Send("DELETE", "/console/session", "", {{"cookie", cookie}});
  CHECK(StatusOf(refused) == 403);
  CHECK(refused.response->headers.count("set-cookie") == 0);
  auto out = edge.Send("DELETE", "/console/session", "", {{"cookie", cookie}, {"x-csrf-token", csrf}});
  REQUIRE(StatusOf(out) == 204);
  const std::string cleared = out.response->headers.at("set-cookie");
  CHECK(cleared.rfind("dbcs=;", 0) == 0);
  CHECK(cleared.find("Max-Age=0") != std::string::npos);
  // Without a session there is nothing to protect: the cookie is cleared all the same.
  CHECK(StatusOf(edge.Send("DELETE", "/console/session")) == 204);
}
