// A Google Workspace connection's credential: a service-account key file with
// domain-wide delegation, sealed at rest (tenancy/sealed_secrets.h, secret
// google-service-account-key), and the signed assertion of the OAuth 2.0 JWT bearer
// grant made from it (developers.google.com/identity/protocols/oauth2/service-account,
// "Preparing to make an authorized API call"):
//
//   header  {"alg": "RS256", "typ": "JWT", "kid": private_key_id}
//   claims  {"iss": client_email, "sub": the admin impersonated, "scope": kScopes,
//            "aud": "https://oauth2.googleapis.com/token", "iat": now, "exp": now + 3600}
//
// The private key never leaves the host: the core builds the signing input and the
// host signs it with the sealed key (Env::SignRs256WithSealedKey). An assertion is a
// bearer credential for an hour, so none is stored: a token request's body holds a
// placeholder that the outbox's claim replaces with one signed then
// (tenancy/outbound_credentials.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/result.h"
#include "store/kv_store.h"

namespace dirbridge::google {

inline constexpr const char* kServiceAccountKeySecret = "google-service-account-key";
// The name of the credential a token request's body asks the claim for.
inline constexpr const char* kAssertionCredential = "google-assertion";
// The JWT's `aud`: always this, whatever URL the token request goes to.
inline constexpr const char* kTokenAudience = "https://oauth2.googleapis.com/token";
// Read-only scopes: users, groups (and their members), the admin audit log.
inline constexpr const char* kScopes =
    "https://www.googleapis.com/auth/admin.directory.user.readonly "
    "https://www.googleapis.com/auth/admin.directory.group.readonly "
    "https://www.googleapis.com/auth/admin.reports.audit.readonly";
inline constexpr int64_t kAssertionLifetimeSeconds = 3600;

// What dirbridge needs of a key file (the JSON Google's console gives: "type":
// "service_account", "client_email", "private_key_id", "private_key" PEM). Only
// client_email and private_key_id are ever shown; the key itself stays sealed.
struct ServiceAccountKey {
  std::string client_email;
  std::string private_key_id;
};
// 400 naming what is missing or wrong (never quoting the private key).
Result<ServiceAccountKey> ParseServiceAccountKey(std::string_view text);

nlohmann::json AssertionHeader(const ServiceAccountKey& key);
nlohmann::json AssertionClaims(const ServiceAccountKey& key, std::string_view admin_email, int64_t now_ms);

// A JWT signed now for `connection` of `tenant`, from its settings (admin email, key
// identity; tenancy/connection_state.h) and its sealed key; nullopt when the
// connection has no settings or no key.
Result<std::optional<std::string>> SignedAssertion(KvStore& store, Env& env, std::string_view tenant,
                                                   std::string_view connection);

}  // namespace dirbridge::google
