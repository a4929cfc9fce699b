// JWS Compact Serialization (RFC 7515 §7.1), the two string steps around a signature
// the host makes: a JWT for Google's OAuth JWT bearer grant (RFC 7523) is
// JwsCompact(input, signature) with input = JwsSigningInput({"alg":"RS256",...},
// claims) and signature = the RS256 signature of input, which the host makes with a
// sealed service-account key (Env::SignRs256WithSealedKey): the core has no RSA.
//
// The JSON is dirbridge's compact text (core/json_text.h: object keys in sorted order,
// no spaces); a verifier signs nothing itself, it checks the bytes it was sent, so any
// serialization is fine as long as it is the one that was signed.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace dirbridge::crypto {

// base64url(header JSON) + "." + base64url(claims JSON), without padding: the bytes
// the signature is made over (RFC 7515 §5.1 steps 1-6, JWS Signing Input).
std::string JwsSigningInput(const nlohmann::json& header, const nlohmann::json& claims);

// signing_input + "." + base64url(signature), without padding: the compact JWS (a JWT).
std::string JwsCompact(std::string_view signing_input, std::string_view signature);

}  // namespace dirbridge::crypto
