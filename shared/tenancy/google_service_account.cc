#include "tenancy/google_service_account.h"

#include "core/json_input.h"
#include "crypto/jws.h"
#include "model/json_fields.h"
#include "store/transaction.h"
#include "tenancy/connection_state.h"
#include "tenancy/sealed_secrets.h"

namespace dirbridge::google {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxNameBytes = 512;

}  // namespace

Result<ServiceAccountKey> ParseServiceAccountKey(std::string_view text) {
  auto doc = ParseJson(text);
  if (!doc.ok() || !doc->is_object()) {
    return InvalidInput("the service-account key must be the JSON key file Google issued (an object)");
  }
  if (json_fields::StringAt(*doc, "type") != "service_account") {
    return InvalidInput("the service-account key's 'type' must be \"service_account\"");
  }
  ServiceAccountKey key;
  key.client_email = json_fields::StringAt(*doc, "client_email");
  key.private_key_id = json_fields::StringAt(*doc, "private_key_id");
  const std::string pem = json_fields::StringAt(*doc, "private_key");
  if (key.client_email.empty() || key.client_email.size() > kMaxNameBytes ||
      key.client_email.find('@') == std::string::npos) {
    return InvalidInput("the service-account key has no valid 'client_email'");
  }
  if (key.private_key_id.empty() || key.private_key_id.size() > 128) {
    return InvalidInput("the service-account key has no valid 'private_key_id'");
  }
  if (pem.find("-----BEGIN PRIVATE KEY-----") == std::string::npos &&
      pem.find("-----BEGIN RSA PRIVATE KEY-----") == std::string::npos) {
    return InvalidInput("the service-account key's 'private_key' is not a PEM private key");
  }
  return key;
}

json AssertionHeader(const ServiceAccountKey& key) {
  return json{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", key.private_key_id}};
}

json AssertionClaims(const ServiceAccountKey& key, std::string_view admin_email, int64_t now_ms) {
  const int64_t now = now_ms / 1000;
  return json{{"iss", key.client_email},  {"sub", std::string(admin_email)}, {"scope", kScopes},
              {"aud", kTokenAudience},    {"iat", now},                      {"exp", now + kAssertionLifetimeSeconds}};
}

Result<std::optional<std::string>> SignedAssertion(KvStore& store, Env& env, std::string_view tenant,
                                                   std::string_view connection) {
  Transaction txn(store);
  ConnectionState state(txn, std::string(tenant), std::string(connection));
  DB_ASSIGN_OR_RETURN(auto settings, state.Read("settings", "current"));
  if (!settings) return std::optional<std::string>();
  ServiceAccountKey key{json_fields::StringAt(*settings, "clientEmail"), json_fields::StringAt(*settings, "keyId")};
  const std::string admin = json_fields::StringAt(*settings, "adminEmail");
  if (key.client_email.empty() || key.private_key_id.empty() || admin.empty()) return std::optional<std::string>();
  const std::string input = crypto::JwsSigningInput(AssertionHeader(key), AssertionClaims(key, admin, env.NowMillis()));
  DB_ASSIGN_OR_RETURN(auto signature,
                      SignWithConnectionSecret(store, env, tenant, connection, kServiceAccountKeySecret, input));
  if (!signature) return std::optional<std::string>();
  return std::optional<std::string>(crypto::JwsCompact(input, *signature));
}

}  // namespace dirbridge::google
