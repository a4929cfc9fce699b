// An in-process client for the function modules: routes every request through the
// router (functions/router) and runs the routed request in the module it names
// (functions/scim, functions/admin, functions/webhooks or functions/custom_api) against an in-memory store and a
// deterministic native host, as the real hosts do. The routed request crosses the
// ABI's JSON envelope (wasm/request_envelope.h) on the way, like on a real host.
#pragma once

#include <map>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "admin_api.h"
#include "custom_api_function.h"
#include "native/native_env.h"
#include "provision/page_positions.h"
#include "request_envelope.h"
#include "router.h"
#include "scim_function.h"
#include "store/memory_kv_store.h"
#include "webhooks_function.h"

namespace dirbridge::testing {

struct ClientResponse {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

class ScimTestClient {
 public:
  static constexpr const char* kAdminToken = "test-admin-token-0123456789";
  // The deployment's token key (tenancy/bearer_token.h): the router checks every SCIM
  // token's MAC under it.
  static constexpr const char* kTokenKey = "test-token-key-0123456789abcdefghijklmnop";

  ScimTestClient() : env_(/*deterministic=*/true) {
    env_.SetConfig("DIRBRIDGE_ADMIN_TOKEN", kAdminToken);
    env_.SetConfig("DIRBRIDGE_TOKEN_KEY", kTokenKey);
    // The deployment's sealing key: the host's only, never a Config setting.
    env_.SetSecretKey(std::string(32, '\x5a'));
    // Paging positions live in the module instance's memory; a new client is a new store.
    PagePositions::OfThisInstance().Clear();
  }

  ClientResponse Send(const std::string& method, const std::string& path_and_query, const std::string& body = "",
                      const std::string& bearer = "", std::map<std::string, std::string> headers = {}) {
    HttpRequest req;
    req.method = method;
    auto q = path_and_query.find('?');
    req.path = path_and_query.substr(0, q);
    if (q != std::string::npos) req.query = path_and_query.substr(q + 1);
    req.body = body;
    req.origin = "http://127.0.0.1:8787";
    req.headers = std::move(headers);
    if (!bearer.empty()) req.headers["authorization"] = "Bearer " + bearer;
    env_.AdvanceMillis(1);
    HttpResponse res = Dispatch(router::Route(req, env_));
    return ClientResponse{res.status, res.headers, res.body};
  }

  ClientResponse Admin(const std::string& method, const std::string& path, const std::string& body = "") {
    return Send(method, path, body, kAdminToken);
  }

  // Creates a tenant and a connection (Entra unless `kind` says otherwise); returns {scim base path, token}.
  std::pair<std::string, std::string> NewTenant(const std::string& id, const std::string& kind = "entra") {
    auto t = Admin("POST", "/admin/v1/tenants", nlohmann::json{{"id", id}, {"name", id}}.dump());
    auto c = Admin("POST", "/admin/v1/tenants/" + id + "/connections", nlohmann::json{{"kind", kind}}.dump());
    auto j = c.json();
    std::string base = j["scimBaseUrl"].get<std::string>();
    return {base.substr(std::string("http://127.0.0.1:8787").size()), j["token"].get<std::string>()};
  }

  MemoryKvStore& store() { return store_; }
  // How many requests the router handed to a tenant module for `tenant`: on Workers
  // each is a call into the tenant's Durable Object.
  int tenant_calls(const std::string& tenant) const {
    auto it = tenant_calls_.find(tenant);
    return it == tenant_calls_.end() ? 0 : it->second;
  }
  NativeEnv& env() { return env_; }

 private:
  // The decision as a host receives it ({"response"} or {"module", "tenant",
  // "request"}), then the request as the named module receives it.
  HttpResponse Dispatch(const RouteDecision& decision) {
    if (decision.response) return *decision.response;
    const auto envelope = nlohmann::json::parse(RouteDecisionToEnvelope(decision), nullptr, false);
    REQUIRE(envelope.is_object());
    REQUIRE(envelope["tenant"] == decision.request.tenant);
    auto request = RequestFromEnvelope(envelope["request"].dump());
    REQUIRE(request.ok());
    const std::string module = envelope["module"].get<std::string>();
    ++tenant_calls_[decision.request.tenant];
    if (module == router::kScimModule) return scim_function::Handle(*request, store_, env_);
    if (module == router::kAdminModule) return admin::Handle(*request, store_, env_);
    if (module == router::kWebhooksModule) return webhooks::Handle(*request, store_, env_);
    if (module == router::kCustomApiModule) return custom_api::Handle(*request, store_, env_);
    FAIL("the router named an unknown module '" << module << "'");
    return {};
  }

  NativeEnv env_;
  MemoryKvStore store_;
  std::map<std::string, int> tenant_calls_;
};

}  // namespace dirbridge::testing
