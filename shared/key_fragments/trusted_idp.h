// The identity providers a tenant trusts for federated login (DESIGN: federation, K2).
// One per connection: the IdP a connection provisions from is the one whose ID tokens
// may ask for its users' K2. Stored at t/{t}/fed/idp/{connection}:
//
//   {"connection", "issuer", "clientId", "jwksUri", "userClaim", "matchBy",
//    "leewaySeconds", "updated", "by"}
//
//   issuer         the ID token's `iss`, compared exactly (OpenID Connect Core §3.1.3.7)
//   clientId       the `aud` the token must name (the client id of the app the IdP
//                  issues tokens to: the browser extension's registration)
//   jwksUri        where the IdP publishes its signing keys (https://; http:// only to
//                  a loopback host when the deployment's test routes are on)
//   userClaim      the claim naming the user: "email" (default), "preferred_username",
//                  "upn", "sub", "oid" or any claim name of 1..64 ASCII letters,
//                  digits, '_', '-', '.', ':'
//   matchBy        which user attribute the claim is compared with: "userName"
//                  (default, case-insensitive), "email" or "externalId"
//   leewaySeconds  clock skew allowed on exp, iat and nbf: 0..300, default 60
//
// A tenant trusts at most kMaxTrustedIdps; a token is matched to its IdP by `iss`
// (two IdPs with one issuer are refused: the token could not say which it is).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "store/kv_store.h"
#include "store/transaction.h"

namespace dirbridge::key_fragments {

inline constexpr std::size_t kMaxTrustedIdps = 20;
inline constexpr std::size_t kMaxIssuerBytes = 512;
inline constexpr std::size_t kMaxClientIdBytes = 256;
inline constexpr std::size_t kMaxJwksUriBytes = 1024;
inline constexpr int kDefaultLeewaySeconds = 60;
inline constexpr int kMaxLeewaySeconds = 300;

enum class UserMatch { kUserName, kEmail, kExternalId };
const char* UserMatchName(UserMatch match);
// The match UserMatchName names; nullopt for any other text.
std::optional<UserMatch> UserMatchFromName(std::string_view name);

struct TrustedIdp {
  std::string connection;
  std::string issuer;
  std::string client_id;
  std::string jwks_uri;
  std::string user_claim = "email";
  UserMatch match_by = UserMatch::kUserName;
  int leeway_seconds = kDefaultLeewaySeconds;
  std::string updated;  // RFC 3339
  std::string by;
};

// The admin's JSON for `connection` (every key checked; unknown keys refused, each
// error naming the key). `allow_loopback_http`: http:// to 127.0.0.1 / localhost.
Result<TrustedIdp> TrustedIdpFromJson(const nlohmann::json& body, std::string_view connection,
                                      bool allow_loopback_http);
nlohmann::json TrustedIdpToJson(const TrustedIdp& idp);

Result<std::optional<TrustedIdp>> LoadTrustedIdp(Transaction& txn, std::string_view tenant,
                                                 std::string_view connection);
// Every trusted IdP of the tenant (at most kMaxTrustedIdps), in connection order.
Result<std::vector<TrustedIdp>> ListTrustedIdps(KvStore& store, std::string_view tenant);
// The one whose issuer is `issuer`; nullopt when none.
Result<std::optional<TrustedIdp>> FindTrustedIdpByIssuer(KvStore& store, std::string_view tenant,
                                                         std::string_view issuer);
// Stages the record, after checking the tenant's cap and that no other connection
// trusts the same issuer (409).
Status StageTrustedIdp(Transaction& txn, std::string_view tenant, const TrustedIdp& idp);
// Stages the removal of the record and of its cached keys.
void StageTrustedIdpRemoval(Transaction& txn, std::string_view tenant, std::string_view connection);

}  // namespace dirbridge::key_fragments
