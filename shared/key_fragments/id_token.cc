#include "key_fragments/id_token.h"

#include "core/json_input.h"
#include "core/printable.h"
#include "crypto/base64.h"

namespace dirbridge::key_fragments {
namespace {

using nlohmann::json;

Error Refused(std::string detail) { return Unauthorized("the ID token is refused: " + std::move(detail)); }

Result<json> DecodePart(std::string_view part, const char* name) {
  auto bytes = crypto::Base64UrlDecode(part);
  if (!bytes) return Refused(std::string("its ") + name + " is not base64url");
  auto doc = ParseJson(*bytes);
  if (!doc.ok() || !doc->is_object()) return Refused(std::string("its ") + name + " is not a JSON object");
  return std::move(*doc);
}

// A NumericDate (RFC 7519 §2): seconds since the epoch, a JSON number.
std::optional<int64_t> NumericDate(const json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || !it->is_number()) return std::nullopt;
  const double v = it->get<double>();
  if (!(v >= 0 && v < 1e13)) return std::nullopt;
  return static_cast<int64_t>(v);
}

}  // namespace

Result<IdToken> ParseIdToken(std::string_view compact) {
  if (compact.empty()) return Refused("it is empty");
  if (compact.size() > kMaxIdTokenBytes) {
    return Refused("it is " + std::to_string(compact.size()) + " bytes; the limit is " +
                   std::to_string(kMaxIdTokenBytes));
  }
  const auto first = compact.find('.');
  const auto second = first == std::string_view::npos ? first : compact.find('.', first + 1);
  if (second == std::string_view::npos || compact.find('.', second + 1) != std::string_view::npos) {
    return Refused("it is not a JWS in compact serialization (three base64url parts separated by '.')");
  }
  IdToken token;
  DB_ASSIGN_OR_RETURN(token.header, DecodePart(compact.substr(0, first), "header"));
  DB_ASSIGN_OR_RETURN(token.claims, DecodePart(compact.substr(first + 1, second - first - 1), "payload"));
  auto alg = token.header.find("alg");
  if (alg == token.header.end() || !alg->is_string()) return Refused("its header has no \"alg\"");
  token.alg = alg->get<std::string>();
  if (token.alg == "none") return Refused("\"alg\": \"none\" (an unsigned token) is never accepted");
  if (token.alg == "HS256" || token.alg == "HS384" || token.alg == "HS512") {
    return Refused("\"alg\": \"" + token.alg + "\" (a shared-secret MAC) is not accepted: the IdP must sign with RS256 or ES256");
  }
  if (token.alg != "RS256" && token.alg != "ES256") {
    return Refused("\"alg\": \"" + Printable(token.alg, 32) + "\" is not supported: RS256 or ES256 only");
  }
  if (token.header.contains("crit")) return Refused("its header has \"crit\", and no extension is understood here");
  if (auto kid = token.header.find("kid"); kid != token.header.end()) {
    if (!kid->is_string() || kid->get_ref<const std::string&>().empty() ||
        kid->get_ref<const std::string&>().size() > kMaxKidBytes) {
      return Refused("its \"kid\" must be a string of 1.." + std::to_string(kMaxKidBytes) + " bytes");
    }
    token.kid = kid->get<std::string>();
  }
  auto signature = crypto::Base64UrlDecode(compact.substr(second + 1));
  if (!signature) return Refused("its signature is not base64url");
  if (signature->empty()) return Refused("it has no signature");
  token.signature = std::move(*signature);
  token.signing_input = std::string(compact.substr(0, second));
  if (auto iss = token.claims.find("iss"); iss != token.claims.end() && iss->is_string()) {
    token.issuer = iss->get<std::string>();
  }
  return token;
}

Result<CheckedClaims> CheckIdTokenClaims(const IdToken& token, const TrustedIdp& idp, int64_t now_ms,
                                         std::optional<std::string_view> expected_nonce) {
  const json& c = token.claims;
  if (token.issuer != idp.issuer) {
    return Refused("\"iss\" is '" + Printable(token.issuer, 200) + "', not the trusted issuer '" + idp.issuer + "'");
  }
  auto aud = c.find("aud");
  bool audience_ok = false;
  bool several = false;
  if (aud != c.end() && aud->is_string()) {
    audience_ok = aud->get_ref<const std::string&>() == idp.client_id;
  } else if (aud != c.end() && aud->is_array()) {
    several = aud->size() > 1;
    for (const auto& a : *aud) audience_ok = audience_ok || (a.is_string() && a.get_ref<const std::string&>() == idp.client_id);
  }
  if (!audience_ok) return Refused("\"aud\" does not name this IdP's client id '" + idp.client_id + "'");
  if (auto azp = c.find("azp"); azp != c.end()) {
    if (!azp->is_string() || azp->get_ref<const std::string&>() != idp.client_id) {
      return Refused("\"azp\" is not this IdP's client id '" + idp.client_id + "'");
    }
  } else if (several) {
    return Refused("\"aud\" names several audiences and there is no \"azp\" naming this client");
  }
  const int64_t now = now_ms / 1000;
  const int64_t leeway = idp.leeway_seconds;
  const auto exp = NumericDate(c, "exp");
  if (!exp) return Refused("\"exp\" is missing or not a NumericDate");
  if (now >= *exp + leeway) {
    return Refused("it expired " + std::to_string(now - *exp) + " s ago (\"exp\"; leeway " + std::to_string(leeway) + " s)");
  }
  const auto iat = NumericDate(c, "iat");
  if (!iat) return Refused("\"iat\" is missing or not a NumericDate");
  if (*iat > now + leeway) {
    return Refused("\"iat\" is " + std::to_string(*iat - now) + " s in the future (leeway " + std::to_string(leeway) + " s)");
  }
  if (*exp - *iat > kMaxIdTokenLifetimeSeconds) {
    return Refused("it is valid for " + std::to_string(*exp - *iat) + " s (\"exp\" - \"iat\"); at most " +
                   std::to_string(kMaxIdTokenLifetimeSeconds) + " s is accepted");
  }
  if (c.contains("nbf")) {
    const auto nbf = NumericDate(c, "nbf");
    if (!nbf) return Refused("\"nbf\" is not a NumericDate");
    if (*nbf > now + leeway) {
      return Refused("it is not valid for another " + std::to_string(*nbf - now) + " s (\"nbf\")");
    }
  }
  if (expected_nonce) {
    auto nonce = c.find("nonce");
    if (nonce == c.end() || !nonce->is_string()) return Refused("it has no \"nonce\", and the request gave one");
    if (nonce->get_ref<const std::string&>() != *expected_nonce) {
      return Refused("its \"nonce\" is not the one the request gave");
    }
  }
  CheckedClaims out;
  auto user = c.find(idp.user_claim);
  if (user == c.end() || !user->is_string() || user->get_ref<const std::string&>().empty()) {
    return Refused("it has no \"" + idp.user_claim + "\" claim (a non-empty string), which names the user");
  }
  if (user->get_ref<const std::string&>().size() > kMaxUserClaimBytes) {
    return Refused("its \"" + idp.user_claim + "\" claim is over " + std::to_string(kMaxUserClaimBytes) + " bytes");
  }
  out.user = user->get<std::string>();
  if (auto jti = c.find("jti"); jti != c.end()) {
    if (!jti->is_string() || jti->get_ref<const std::string&>().empty() ||
        jti->get_ref<const std::string&>().size() > 256) {
      return Refused("its \"jti\" must be a string of 1..256 bytes");
    }
    out.jti = jti->get<std::string>();
  }
  out.expires_seconds = *exp;
  return out;
}

}  // namespace dirbridge::key_fragments
