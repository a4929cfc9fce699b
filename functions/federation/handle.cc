#include "core/api_error.h"
#include "core/api_response.h"
#include "core/json_input.h"
#include "crypto/base64.h"
#include "federation_function.h"
#include "key_fragments/k2_release.h"
#include "tenancy/tenant.h"

namespace dirbridge::federation_api {
namespace {

using nlohmann::json;

Result<key_fragments::ReleaseRequest> ReadReleaseRequest(const HttpRequest& request) {
  DB_ASSIGN_OR_RETURN(json body, ParseJson(request.body));
  if (!body.is_object()) return InvalidInput("the body must be a JSON object: {\"idToken\": \"...\", \"nonce\"?: \"...\"}");
  key_fragments::ReleaseRequest out;
  for (const auto& [name, value] : body.items()) {
    if (name == "idToken") {
      if (!value.is_string()) return InvalidInput("'idToken' must be a string (the compact JWS the IdP issued)");
      out.id_token = value.get<std::string>();
    } else if (name == "nonce") {
      if (!value.is_string() || value.get_ref<const std::string&>().empty() ||
          value.get_ref<const std::string&>().size() > kMaxNonceBytes) {
        return InvalidInput("'nonce' must be a string of 1.." + std::to_string(kMaxNonceBytes) + " bytes");
      }
      out.nonce = value.get<std::string>();
    } else {
      return InvalidInput("unknown key in the body: only 'idToken' and 'nonce' are read");
    }
  }
  if (out.id_token.empty()) return InvalidInput("'idToken' is required: the ID token the IdP issued to this client");
  out.address = request.client_address;
  return out;
}

HttpResponse ReleaseHere(const HttpRequest& request, KvStore& store, Env& env) {
  auto release_request = ReadReleaseRequest(request);
  if (!release_request.ok()) return ApiErrorResponse(release_request.error());
  auto release = key_fragments::ReleaseKeyFragment(store, env, request.tenant, kModule, *release_request);
  if (!release.ok()) {
    const Error& e = release.error();
    // The detail says which check failed; it never holds the token (it may quote a
    // claim, made printable).
    env.Log(LogLevel::kInfo, "federation: K2 refused (" + std::to_string(HttpStatusFor(e.kind)) + "): " + e.detail);
    return ApiErrorResponse(e);
  }
  json out = {{"k2", crypto::Base64Encode(release->k2)},
              {"userId", release->user_id},
              {"userName", release->user_name},
              {"generation", release->generation},
              {"enrolled", release->enrolled}};
  std::fill(release->k2.begin(), release->k2.end(), '\0');
  env.Log(LogLevel::kInfo, "federation: K2 released to user " + release->user_id);
  return ApiJsonResponse(200, out);
}

}  // namespace

HttpResponse Handle(const HttpRequest& request, KvStore& store, Env& env) {
  if (request.tenant.empty()) return ApiErrorResponse(Internal("request reached a tenant without a tenant id"));
  if (request.route.size() != 1 || request.route[0] != "k2") {
    return ApiErrorResponse(NotFound("no such federation endpoint: " + request.path));
  }
  if (request.method != "POST") return ApiMethodNotAllowed("POST");
  if (auto tenant = GetTenant(store, request.tenant); !tenant.ok()) return ApiErrorResponse(tenant.error());
  return ReleaseHere(request, store, env);
}

}  // namespace dirbridge::federation_api
