// An IdP's signing keys (its JWKS, RFC 7517 §5), as dirbridge last fetched them, at
// t/{t}/fed/jwks/{connection}:
//
//   {"keys": [public JWK...], "jwksUri", "fetchedAt": ms, "requestedAt": ms,
//    "lastError"?: "..."}
//
// Fetched as an effect (effects/outbox.h): a module never waits on the network, so a
// fetch is staged (RequestJwksFetch) and its answer stored by the continuation
// kJwksContinuation, in the module that staged it. It is staged when the admin trusts
// the IdP, when a token names a `kid` the cache does not hold (the IdP rotated its
// keys), and after a release when the keys are older than kJwksMaxAgeMs (a key the IdP
// withdrew stops being trusted within that long of any use). At most one fetch per
// kJwksMinRefetchMs, so tokens with made-up kids cannot make dirbridge hammer the IdP.
//
// Only public RSA (n, e) and EC P-256 (crv, x, y) keys meant for signatures are kept,
// with their kid and alg; every other member is dropped (a JWKS that held a private
// member is refused whole: the IdP published what it must not). At most kMaxJwksKeys.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/result.h"
#include "effects/outbox.h"
#include "key_fragments/trusted_idp.h"
#include "store/transaction.h"

namespace dirbridge::key_fragments {

inline constexpr const char* kJwksContinuation = "federation.jwks";
inline constexpr std::size_t kMaxJwksKeys = 32;
inline constexpr std::size_t kMaxJwksBytes = 256 * 1024;
inline constexpr int64_t kJwksMinRefetchMs = 10 * 1000;
inline constexpr int64_t kJwksMaxAgeMs = 60 * 60 * 1000;

struct JwksCache {
  std::vector<nlohmann::json> keys;
  std::string jwks_uri;
  int64_t fetched_ms = 0;    // 0: never fetched
  int64_t requested_ms = 0;  // when the last fetch was staged; 0: never
  std::string last_error;
};

// The keys of a JWKS document (the body the IdP answered): InvalidInput saying what is
// wrong when it is not a JWKS, is over the bounds, or publishes a private key.
Result<std::vector<nlohmann::json>> ParseJwks(std::string_view body);

Result<JwksCache> LoadJwksCache(Transaction& txn, std::string_view tenant, std::string_view connection);
nlohmann::json JwksCacheToJson(const JwksCache& cache);  // for the admin: keys by kid, times, last error

// The key a token names: by `kid`, or without one the only key that fits `alg`
// (kty RSA for RS256, EC for ES256). A key with its own `alg` must match.
std::optional<nlohmann::json> FindSigningKey(const JwksCache& cache, std::string_view kid, std::string_view alg);

// Stages a fetch of the IdP's JWKS (and notes when in `cache`, the IdP's cache as the
// caller loaded it, which is then stored) unless one was staged within
// kJwksMinRefetchMs; true when it staged one.
Result<bool> RequestJwksFetch(Transaction& txn, effects::Outbox& outbox, Env& env, std::string_view tenant,
                              const TrustedIdp& idp, JwksCache cache);

// The continuation: stores the keys the IdP answered (or the failure, keeping the keys
// held before). Does nothing when the IdP is no longer trusted or its jwksUri changed.
Status ResumeJwksFetch(const effects::ContinuationCall& call, Transaction& txn, Env& env);

}  // namespace dirbridge::key_fragments
