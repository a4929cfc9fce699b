// Fuzzes what federated login makes of untrusted input before any signature is
// checked (shared/key_fragments/): an ID token a client sends, and a JWKS an IdP
// answers. The input is used whole as both. Properties:
//   - ParseIdToken fails only with Unauthorized; what it accepts has alg RS256 or
//     ES256, a non-empty signature, and a signing input that is the start of the token;
//   - CheckIdTokenClaims (against a fixed IdP and clock) fails only with Unauthorized,
//     and every detail is UTF-8 (it may quote a claim);
//   - ParseJwks fails only with InvalidInput, and keeps only RSA or EC P-256 keys with
//     public members; FindSigningKey never answers a key of the wrong type.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/utf8.h"
#include "fuzz_check.h"
#include "key_fragments/id_token.h"
#include "key_fragments/jwks_cache.h"
#include "key_fragments/trusted_idp.h"

namespace {

namespace kf = dirbridge::key_fragments;
using dirbridge::ErrorKind;

kf::TrustedIdp FixedIdp() {
  kf::TrustedIdp idp;
  idp.connection = "c1";
  idp.issuer = "https://idp.example/o";
  idp.client_id = "ext";
  idp.jwks_uri = "https://idp.example/keys";
  idp.user_claim = "email";
  return idp;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  static const kf::TrustedIdp idp = FixedIdp();

  auto token = kf::ParseIdToken(input);
  if (!token.ok()) {
    FUZZ_CHECK(token.error().kind == ErrorKind::kUnauthorized, token.error().detail);
    FUZZ_CHECK(dirbridge::IsValidUtf8(token.error().detail), token.error().detail);
  } else {
    FUZZ_CHECK(token->alg == "RS256" || token->alg == "ES256", token->alg);
    FUZZ_CHECK(!token->signature.empty(), "an accepted token has no signature");
    FUZZ_CHECK(input.substr(0, token->signing_input.size()) == token->signing_input, token->signing_input);
    for (const std::string_view nonce : {std::string_view("n-1"), std::string_view()}) {
      auto checked = kf::CheckIdTokenClaims(*token, idp, 1'800'000'000'000,
                                            nonce.empty() ? std::nullopt : std::optional<std::string_view>(nonce));
      if (!checked.ok()) {
        FUZZ_CHECK(checked.error().kind == ErrorKind::kUnauthorized, checked.error().detail);
        FUZZ_CHECK(dirbridge::IsValidUtf8(checked.error().detail), checked.error().detail);
      } else {
        FUZZ_CHECK(!checked->user.empty() && checked->user.size() <= kf::kMaxUserClaimBytes, checked->user);
      }
    }
  }

  auto keys = kf::ParseJwks(input);
  if (!keys.ok()) {
    FUZZ_CHECK(keys.error().kind == ErrorKind::kInvalidInput, keys.error().detail);
    return 0;
  }
  FUZZ_CHECK(keys->size() <= kf::kMaxJwksKeys, "too many keys kept");
  kf::JwksCache cache;
  for (const auto& key : *keys) {
    const std::string kty = key.value("kty", "");
    FUZZ_CHECK(kty == "RSA" || kty == "EC", key.dump());
    for (const char* private_member : {"d", "p", "q", "k"}) FUZZ_CHECK(!key.contains(private_member), key.dump());
    cache.keys.push_back(key);
  }
  for (const char* alg : {"RS256", "ES256"}) {
    auto found = kf::FindSigningKey(cache, "", alg);
    if (found) FUZZ_CHECK(found->value("kty", "") == (std::string_view(alg) == "ES256" ? "EC" : "RSA"), found->dump());
  }
  return 0;
}
