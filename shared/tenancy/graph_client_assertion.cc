#include "tenancy/graph_client_assertion.h"

#include <array>

#include "core/ascii.h"
#include "crypto/base64.h"
#include "crypto/jws.h"
#include "crypto/uuid.h"
#include "model/json_fields.h"
#include "tenancy/connection_state.h"
#include "tenancy/sealed_secrets.h"

namespace dirbridge::graph_credentials {

using nlohmann::json;

Result<std::string> X5tOfThumbprint(std::string_view thumbprint) {
  if (thumbprint.size() == 40) {
    std::string bytes;
    for (std::size_t i = 0; i < 40; i += 2) {
      const int hi = HexValue(thumbprint[i]), lo = HexValue(thumbprint[i + 1]);
      if (hi < 0 || lo < 0) break;
      bytes.push_back(static_cast<char>(hi * 16 + lo));
    }
    if (bytes.size() == 20) return crypto::Base64UrlEncode(bytes);
  }
  if (thumbprint.size() == 27) {
    bool ok = true;
    for (char c : thumbprint) {
      ok = ok && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
    }
    if (ok) return std::string(thumbprint);
  }
  return InvalidInput("the certificate's 'thumbprint' must be its SHA-1 thumbprint: 40 hex digits (as the Entra portal "
                      "shows it) or 27 base64url characters");
}

json AssertionHeader(std::string_view x5t) { return json{{"alg", "RS256"}, {"typ", "JWT"}, {"x5t", std::string(x5t)}}; }

json AssertionClaims(std::string_view entra_tenant, std::string_view client_id, std::string_view jti, int64_t now_ms) {
  const int64_t now = now_ms / 1000;
  return json{{"aud", std::string(kAudiencePrefix) + std::string(entra_tenant) + "/oauth2/v2.0/token"},
              {"iss", std::string(client_id)},
              {"sub", std::string(client_id)},
              {"jti", std::string(jti)},
              {"nbf", now},
              {"iat", now},
              {"exp", now + kAssertionLifetimeSeconds}};
}

Result<std::optional<std::string>> SignedClientAssertion(KvStore& store, Env& env, std::string_view tenant,
                                                         std::string_view connection) {
  Transaction txn(store);
  ConnectionState state(txn, std::string(tenant), std::string(connection));
  DB_ASSIGN_OR_RETURN(auto settings, state.Read("settings", "current"));
  if (!settings) return std::optional<std::string>();
  const std::string entra_tenant = json_fields::StringAt(*settings, "tenantId");
  const std::string client_id = json_fields::StringAt(*settings, "clientId");
  const std::string x5t = json_fields::StringAt(*settings, "x5t");
  if (entra_tenant.empty() || client_id.empty() || x5t.empty()) return std::optional<std::string>();
  std::array<uint8_t, 16> random{};
  env.RandomBytes(random.data(), random.size());
  const std::string jti = crypto::UuidV7(static_cast<uint64_t>(env.NowMillis()), random);
  const std::string input =
      crypto::JwsSigningInput(AssertionHeader(x5t), AssertionClaims(entra_tenant, client_id, jti, env.NowMillis()));
  DB_ASSIGN_OR_RETURN(auto signature, SignWithConnectionSecret(store, env, tenant, connection, kClientKeySecret, input));
  if (!signature) return std::optional<std::string>();
  return std::optional<std::string>(crypto::JwsCompact(input, *signature));
}

}  // namespace dirbridge::graph_credentials
