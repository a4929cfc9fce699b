// An OpenID Connect ID token as it arrives (a JWS in compact serialization, RFC 7515
// §7.1, holding JWT claims, RFC 7519), taken apart before anything trusts it, and the
// claim checks of OpenID Connect Core 1.0 §3.1.3.7 once its signature holds.
//
// Parsing refuses, each with its own message: a token over kMaxIdTokenBytes, not
// three base64url parts, a header or payload that is not a JSON object, an `alg`
// other than RS256 or ES256 ("none" and the HMAC algorithms are named as refused: a
// token must be signed by the IdP's private key), a `crit` header (no extension is
// understood), and a `kid` that is not a short string. The signature is checked by
// the host (Env::VerifyJwsSignature) against the key the JWKS names by `kid`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "key_fragments/trusted_idp.h"

namespace dirbridge::key_fragments {

inline constexpr std::size_t kMaxIdTokenBytes = 16 * 1024;
inline constexpr std::size_t kMaxKidBytes = 256;
// The longest validity (exp - iat) accepted: ID tokens live minutes to an hour.
inline constexpr int64_t kMaxIdTokenLifetimeSeconds = 24 * 3600;
inline constexpr std::size_t kMaxUserClaimBytes = 256;

struct IdToken {
  std::string alg;  // "RS256" or "ES256"
  std::string kid;  // empty when the header has none
  nlohmann::json header;
  nlohmann::json claims;
  std::string signing_input;  // "header.payload", the bytes the signature covers
  std::string signature;      // raw bytes
  std::string issuer;         // claims["iss"] when a string, else empty (unverified until checked)
};

// 401-kind errors (Unauthorized) that say what is wrong with the token.
Result<IdToken> ParseIdToken(std::string_view compact);

// What the checks found: the value of the IdP's user claim, and the token's `jti`
// (empty when it has none) and `exp` (seconds).
struct CheckedClaims {
  std::string user;
  std::string jti;
  int64_t expires_seconds = 0;
};

// OpenID Connect Core §3.1.3.7 for a token whose signature held: `iss` equals the
// IdP's issuer; `aud` is the IdP's client id or an array holding it (with `azp`, when
// present, equal to it); `exp` is after now and `iat` and `nbf` (when present) are not
// after now, each with the IdP's leeway; the lifetime is at most
// kMaxIdTokenLifetimeSeconds; `nonce` equals `expected_nonce` when one is given; the
// user claim is a non-empty string of at most kMaxUserClaimBytes. Unauthorized, naming
// the claim and why, otherwise.
Result<CheckedClaims> CheckIdTokenClaims(const IdToken& token, const TrustedIdp& idp, int64_t now_ms,
                                         std::optional<std::string_view> expected_nonce);

}  // namespace dirbridge::key_fragments
