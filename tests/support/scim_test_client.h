// An in-process client for functions/scim: runs Route then Handle against an
// in-memory store and a deterministic native host, as the real hosts do.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "native/native_env.h"
#include "provision/page_positions.h"
#include "scim_function.h"
#include "store/memory_kv_store.h"

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

  ScimTestClient() : env_(/*deterministic=*/true) {
    env_.SetConfig("DIRBRIDGE_ADMIN_TOKEN", kAdminToken);
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
    auto decision = scim_function::Route(req, env_);
    HttpResponse res = decision.response ? *decision.response : scim_function::Handle(decision.request, store_, env_);
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
  NativeEnv& env() { return env_; }

 private:
  NativeEnv env_;
  MemoryKvStore store_;
};

}  // namespace dirbridge::testing
