// functions/router: the edge decides once which module runs a request and for which
// tenant, with the path segments after the module's mount point; what needs no
// storage it answers itself, in the error shape of the path.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "core/http_message.h"
#include "native/native_env.h"
#include "request_envelope.h"
#include "router.h"
#include "tenancy/bearer_token.h"
#include "tenancy/hook_url_gate.h"

using dirbridge::HttpRequest;
using dirbridge::RouteDecision;
using nlohmann::json;

namespace {

constexpr const char* kToken = "router-test-admin-token";
constexpr const char* kTokenKey = "router-test-token-key-0123456789abcdef";

// A connection token of `tenant` as the admin module issues it.
std::string ScimToken(const std::string& tenant, const std::string& key = kTokenKey) {
  return dirbridge::FormatBearerToken(key, {tenant, "0123456789abcdef", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I"});
}

RouteDecision RouteOf(const std::string& method, const std::string& path, const std::string& body = "",
                      const std::string& bearer = kToken, const std::string& query = "",
                      const char* token_key = kTokenKey) {
  dirbridge::NativeEnv env(/*deterministic=*/true);
  env.SetConfig("DIRBRIDGE_ADMIN_TOKEN", kToken);
  if (token_key) env.SetConfig("DIRBRIDGE_TOKEN_KEY", token_key);
  HttpRequest r;
  r.method = method;
  r.path = path;
  r.query = query;
  r.body = body;
  r.origin = "http://127.0.0.1:8787";
  if (!bearer.empty()) r.headers["authorization"] = "Bearer " + bearer;
  return dirbridge::router::Route(r, env);
}

void CheckApiError(const RouteDecision& d, int status, const std::string& error) {
  REQUIRE(d.response);
  CHECK(d.response->status == status);
  CHECK(d.response->headers.at("content-type") == "application/json");
  auto j = json::parse(d.response->body, nullptr, false);
  CHECK(j == json{{"status", status}, {"error", error}, {"detail", j["detail"]}});
  CHECK(j["detail"].is_string());
}

void CheckScimError(const RouteDecision& d, int status) {
  REQUIRE(d.response);
  CHECK(d.response->status == status);
  CHECK(d.response->headers.at("content-type") == "application/scim+json");
  auto j = json::parse(d.response->body, nullptr, false);
  CHECK(j["schemas"] == json::array({"urn:ietf:params:scim:api:messages:2.0:Error"}));
  CHECK(j["status"] == std::to_string(status));
}

}  // namespace

TEST_CASE("a SCIM request goes to the scim module with the decoded segments after scim/v2") {
  auto d = RouteOf("GET", "/t/acme/scim/v2/Users/a%2Fb", "", ScimToken("acme"));
  REQUIRE_FALSE(d.response);
  CHECK(d.module == "scim");
  CHECK(d.request.tenant == "acme");
  CHECK(d.request.route == std::vector<std::string>{"Users", "a/b"});
  auto bare = RouteOf("GET", "/t/acme/scim/v2", "", ScimToken("acme"));
  REQUIRE_FALSE(bare.response);
  CHECK(bare.request.route.empty());
}

TEST_CASE("an admin request goes to the admin module with the segments after admin/v1") {
  auto d = RouteOf("GET", "/admin/v1/tenants/acme/events");
  REQUIRE_FALSE(d.response);
  CHECK(d.module == "admin");
  CHECK(d.request.tenant == "acme");
  CHECK(d.request.route == std::vector<std::string>{"tenants", "acme", "events"});

  auto created = RouteOf("POST", "/admin/v1/tenants", R"({"id":"acme-2"})");
  REQUIRE_FALSE(created.response);
  CHECK(created.module == "admin");
  CHECK(created.request.tenant == "acme-2");
  CHECK(created.request.route == std::vector<std::string>{"tenants"});
  // No id: the router picks one, since it names the storage.
  auto generated = RouteOf("POST", "/admin/v1/tenants", "");
  REQUIRE_FALSE(generated.response);
  CHECK(generated.request.tenant.rfind("t-", 0) == 0);
}

TEST_CASE("the decision envelope names the module and the tenant, and carries the route") {
  auto d = RouteOf("PATCH", "/t/acme/scim/v2/Groups/g1", "", ScimToken("acme"));
  auto j = json::parse(dirbridge::RouteDecisionToEnvelope(d), nullptr, false);
  CHECK(j["module"] == "scim");
  CHECK(j["tenant"] == "acme");
  CHECK(j["request"]["route"] == json::array({"Groups", "g1"}));
  auto back = dirbridge::RequestFromEnvelope(j["request"].dump());
  REQUIRE(back.ok());
  CHECK(back->route == d.request.route);
  CHECK(back->tenant == "acme");

  auto answered = json::parse(dirbridge::RouteDecisionToEnvelope(RouteOf("GET", "/nope")), nullptr, false);
  CHECK(answered["response"]["status"] == 404);
  CHECK_FALSE(answered.contains("module"));
}

TEST_CASE("federated login's K2 request goes to the federation module, the client address travels") {
  auto d = RouteOf("POST", "/t/acme/federation/k2", R"({"idToken":"x"})", "");
  REQUIRE_FALSE(d.response);
  CHECK(d.module == "federation");
  CHECK(d.request.tenant == "acme");
  CHECK(d.request.route == std::vector<std::string>{"k2"});
  CheckApiError(RouteOf("GET", "/t/acme/federation/k2", "", ""), 405, "methodNotAllowed");
  CheckApiError(RouteOf("POST", "/t/acme/federation/k3", "", ""), 404, "notFound");
  CheckApiError(RouteOf("POST", "/t/ACME!/federation/k2", "", ""), 404, "notFound");

  auto envelope = dirbridge::RequestFromEnvelope(
      R"({"method":"POST","path":"/t/acme/federation/k2","clientAddress":"203.0.113.7","body":""})");
  REQUIRE(envelope.ok());
  CHECK(envelope->client_address == "203.0.113.7");
  d.request.client_address = "198.51.100.2";
  auto routed = json::parse(dirbridge::RouteDecisionToEnvelope(d), nullptr, false);
  CHECK(routed["request"]["clientAddress"] == "198.51.100.2");
}

TEST_CASE("health is answered at the edge as JSON") {
  for (const char* path : {"/", "/health"}) {
    auto d = RouteOf("GET", path, "", "");
    REQUIRE(d.response);
    CHECK(d.response->status == 200);
    CHECK(d.response->headers.at("content-type") == "application/json");
    CHECK(json::parse(d.response->body)["status"] == "ok");
  }
}

TEST_CASE("the router answers outside SCIM with the API error shape") {
  CheckApiError(RouteOf("GET", "/nope"), 404, "notFound");
  CheckApiError(RouteOf("GET", "/admin/v1/tenants/acme", "", ""), 401, "unauthorized");
  CheckApiError(RouteOf("GET", "/admin/v1/tenants/acme", "", "wrong"), 401, "unauthorized");
  CheckApiError(RouteOf("GET", "/admin/v1/tenants/Not_A_Slug"), 404, "notFound");
  CheckApiError(RouteOf("GET", "/admin/v2/other"), 404, "notFound");
  CheckApiError(RouteOf("PUT", "/admin/v1/tenants"), 405, "methodNotAllowed");
  CheckApiError(RouteOf("POST", "/admin/v1/tenants", "[]"), 400, "invalidInput");
  CheckApiError(RouteOf("POST", "/admin/v1/tenants", R"({"id":"UPPER"})"), 400, "invalidInput");
  CheckApiError(RouteOf("GET", "/admin/%zz"), 400, "invalidInput");
  CHECK(RouteOf("GET", "/admin/v1/tenants/acme", "", "").response->headers.count("www-authenticate") == 1);
}

TEST_CASE("the router answers on SCIM paths with SCIM errors") {
  CheckScimError(RouteOf("GET", "/t/Not_A_Slug/scim/v2/Users"), 404);
  CheckScimError(RouteOf("GET", "/t/acme/scim/v2/Users/%zz"), 400);
  CHECK(dirbridge::router::IsScimPath("//t/acme//scim/v2"));
  CHECK(dirbridge::router::IsScimPath("/t/acme/%73cim/v2/Users"));
  CHECK_FALSE(dirbridge::router::IsScimPath("/t/acme/scim"));
  CHECK_FALSE(dirbridge::router::IsScimPath("/admin/v1/tenants"));
}

TEST_CASE("a SCIM request reaches no tenant without a token of that tenant whose MAC holds") {
  const std::string good = ScimToken("acme");
  REQUIRE(dirbridge::ParseBearerToken(good));
  CHECK_FALSE(RouteOf("GET", "/t/acme/scim/v2/Users", "", good).response);

  std::string forged = good;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';  // a MAC that does not hold
  std::string other_secret = good;
  other_secret[other_secret.rfind('.') - 1] ^= 1;  // the secret changed, the MAC kept
  const std::string other_key = ScimToken("acme", "another-deployment-key-0123456789abcdef");
  for (const std::string& bad : {std::string(), std::string("garbage"), std::string("dbt_0123456789abcdef_secret"),
                                 forged, other_secret, other_key, ScimToken("beta"),
                                 std::string("dbt1.acme.0123.c2Vj.") + std::string(22, 'A'),
                                 good + "." + std::string(22, 'A'), std::string(5000, 'x')}) {
    INFO("token: " << bad.substr(0, 80));
    auto d = RouteOf("GET", "/t/acme/scim/v2/Users", "", bad);
    CheckScimError(d, 401);
    REQUIRE(d.response);
    CHECK(d.response->headers.at("www-authenticate") == "Bearer realm=\"dirbridge\"");
    CHECK(d.module.empty());
    CHECK(d.request.tenant.empty());
    if (!bad.empty()) CHECK(d.response->body.find(bad) == std::string::npos);  // never echoed
  }
  // Another scheme than Bearer.
  dirbridge::NativeEnv env(/*deterministic=*/true);
  env.SetConfig("DIRBRIDGE_TOKEN_KEY", kTokenKey);
  HttpRequest basic;
  basic.method = "GET";
  basic.path = "/t/acme/scim/v2/Users";
  basic.headers["authorization"] = "Basic " + good;
  CheckScimError(dirbridge::router::Route(basic, env), 401);
}

TEST_CASE("without a token key SCIM is unavailable at the edge") {
  CheckScimError(RouteOf("GET", "/t/acme/scim/v2/Users", "", ScimToken("acme"), "", nullptr), 503);
  CheckScimError(RouteOf("GET", "/t/acme/scim/v2/Users", "", ScimToken("acme", "short"), "", "short"), 503);
}

TEST_CASE("a request target over kMaxUrlBytes is 414 in the path's error shape") {
  const std::size_t limit = dirbridge::kMaxUrlBytes;
  const std::string scim_path = "/t/acme/scim/v2/Users";
  // At the limit the request is routed; one byte over it is refused.
  const std::string at(limit - scim_path.size(), 'q');
  CHECK_FALSE(RouteOf("GET", scim_path, "", ScimToken("acme"), at).response);
  const std::string over = at + "q";
  CheckScimError(RouteOf("GET", scim_path, "", ScimToken("acme"), over), 414);
  CheckScimError(RouteOf("GET", scim_path, "", "", std::string(100 * 1024, 'q')), 414);
  CheckApiError(RouteOf("GET", "/admin/v1/tenants/acme", "", kToken, std::string(limit, 'q')), 414, "uriTooLong");
  CheckApiError(RouteOf("GET", "/health", "", "", std::string(limit, 'q')), 414, "uriTooLong");
  // A long path counts as well.
  CheckApiError(RouteOf("GET", "/" + std::string(limit, 'p')), 414, "uriTooLong");
}

TEST_CASE("a method dirbridge does not serve is 501 in the path's error shape") {
  for (const char* method : {"CONNECT", "TRACE", "FOO", "get", "PROPFIND"}) {
    INFO(method);
    CheckApiError(RouteOf(method, "/health", "", ""), 501, "unsupported");
    CheckApiError(RouteOf(method, "/admin/v1/tenants", "", kToken), 501, "unsupported");
    CheckScimError(RouteOf(method, "/t/acme/scim/v2/Users", "", ScimToken("acme")), 501);
  }
  // Methods that are served somewhere are routed on (and get 405 where they do not apply).
  CheckApiError(RouteOf("DELETE", "/admin/v1/tenants"), 405, "methodNotAllowed");
  CHECK_FALSE(RouteOf("OPTIONS", "/t/acme/scim/v2/Users", "", ScimToken("acme")).response);
}

namespace {

constexpr const char* kHookConnection = "0123456789abcdef";

// A signed-webhook delivery as a sender makes it: POST with the three webhook-* headers
// (their values are the module's to check), no Authorization.
RouteDecision SignedHookRouteOf(const std::string& path, const std::string& method = "POST",
                                bool with_webhook_headers = true, const char* token_key = kTokenKey) {
  dirbridge::NativeEnv env(/*deterministic=*/true);
  if (token_key) env.SetConfig("DIRBRIDGE_TOKEN_KEY", token_key);
  HttpRequest r;
  r.method = method;
  r.path = path;
  r.body = "{}";
  r.origin = "http://127.0.0.1:8787";
  if (with_webhook_headers) {
    r.headers["webhook-id"] = "msg_1";
    r.headers["webhook-timestamp"] = "1700000000";
    r.headers["webhook-signature"] = "v1,c2lnbmF0dXJl";
  }
  return dirbridge::router::Route(r, env);
}

std::string SignedHookPath(const std::string& tenant, const std::string& connection, const std::string& gate) {
  return "/t/" + tenant + "/hooks/signed/" + connection + "/" + gate;
}

}  // namespace

TEST_CASE("a signed-webhook URL whose gate holds is routed to the webhooks module without the gate") {
  const std::string gate = dirbridge::SignedHookGate(kTokenKey, "acme", kHookConnection);
  CHECK(gate.size() == 22);  // 16 bytes, base64url without padding
  auto d = SignedHookRouteOf(SignedHookPath("acme", kHookConnection, gate));
  REQUIRE_FALSE(d.response);
  CHECK(d.module == "webhooks");
  CHECK(d.request.tenant == "acme");
  CHECK(d.request.route == std::vector<std::string>{"signed", kHookConnection});
  // Past the gate, the edge still wants POST and the three headers.
  CheckApiError(SignedHookRouteOf(SignedHookPath("acme", kHookConnection, gate), "GET"), 405, "methodNotAllowed");
  CheckApiError(SignedHookRouteOf(SignedHookPath("acme", kHookConnection, gate), "POST", false), 401,
                "unauthorized");
}

TEST_CASE("a signed-webhook URL without its gate is the 404 of an unknown endpoint and reaches no tenant") {
  const std::string gate = dirbridge::SignedHookGate(kTokenKey, "acme", kHookConnection);
  std::string flipped = gate;
  flipped[5] = flipped[5] == 'A' ? 'B' : 'A';
  const std::string other_connection = "fedcba9876543210";
  const std::vector<std::string> paths = {
      "/t/acme/hooks/signed/" + std::string(kHookConnection),                          // no gate
      SignedHookPath("acme", kHookConnection, ""),                                      // an empty one
      SignedHookPath("acme", kHookConnection, flipped),                                 // a wrong one
      SignedHookPath("acme", kHookConnection, gate.substr(0, 21)),                      // cut short
      SignedHookPath("acme", kHookConnection, gate + "A"),                              // too long
      SignedHookPath("acme", kHookConnection, dirbridge::SignedHookGate(kTokenKey, "beta", kHookConnection)),
      SignedHookPath("beta", kHookConnection, gate),                                    // acme's, at beta
      SignedHookPath("acme", other_connection, gate),                                   // another connection's
      SignedHookPath("acme", kHookConnection,
                     dirbridge::SignedHookGate("another-deployment-key-0123456789abcdef", "acme", kHookConnection)),
      SignedHookPath("acme", kHookConnection, gate) + "/more",
  };
  for (const auto& path : paths) {
    INFO(path);
    for (const char* method : {"POST", "GET"}) {
      auto d = SignedHookRouteOf(path, method);
      CheckApiError(d, 404, "notFound");
      CHECK(d.module.empty());
      CHECK(d.request.tenant.empty());
      // The body of any unknown endpoint: nothing tells a wrong gate from no such URL.
      CHECK(d.response->body == RouteOf(method, path, "", "").response->body);
      CHECK(json::parse(d.response->body)["detail"] == "no such endpoint: " + path);
    }
  }
}

TEST_CASE("without a token key signed webhooks are unavailable at the edge") {
  const std::string gate = dirbridge::SignedHookGate(kTokenKey, "acme", kHookConnection);
  CheckApiError(SignedHookRouteOf(SignedHookPath("acme", kHookConnection, gate), "POST", true, nullptr), 503,
                "unavailable");
}
