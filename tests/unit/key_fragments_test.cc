// shared/key_fragments without a host: the ID token's parsing and claim checks
// (OpenID Connect Core §3.1.3.7), the JWKS reader, the trusted IdP's JSON, and the
// release rate limits over a memory store. Signatures are the host's
// (tests/unit/native_env_jws_verify_test.cc); the whole release runs end to end in
// tests/e2e/federation_k2.test.mjs under both hosts.

#include <catch2/catch.hpp>

#include "crypto/base64.h"
#include "key_fragments/id_token.h"
#include "key_fragments/jwks_cache.h"
#include "key_fragments/release_limits.h"
#include "key_fragments/trusted_idp.h"
#include "store/memory_kv_store.h"

using nlohmann::json;
namespace kf = dirbridge::key_fragments;
using dirbridge::ErrorKind;

namespace {

std::string Part(const json& j) { return dirbridge::crypto::Base64UrlEncode(j.dump()); }

std::string Token(const json& header, const json& claims, std::string_view signature = "sig") {
  return Part(header) + "." + Part(claims) + "." + dirbridge::crypto::Base64UrlEncode(signature);
}

kf::TrustedIdp Idp() {
  auto idp = kf::TrustedIdpFromJson(
      {{"issuer", "https://idp.example/o"}, {"clientId", "ext"}, {"jwksUri", "https://idp.example/keys"}}, "c1",
      false);
  REQUIRE(idp.ok());
  return *idp;
}

constexpr int64_t kNow = 1'800'000'000'000;  // ms
constexpr int64_t kNowS = kNow / 1000;

json Claims() {
  return {{"iss", "https://idp.example/o"}, {"aud", "ext"}, {"sub", "00u1"}, {"email", "ada@example.com"},
          {"iat", kNowS - 10}, {"exp", kNowS + 300}, {"jti", "j1"}};
}

std::string CheckDetail(const json& claims, std::optional<std::string_view> nonce = std::nullopt) {
  auto token = kf::ParseIdToken(Token({{"alg", "RS256"}, {"kid", "k1"}}, claims));
  REQUIRE(token.ok());
  auto checked = kf::CheckIdTokenClaims(*token, Idp(), kNow, nonce);
  if (checked.ok()) return "";
  CHECK(checked.error().kind == ErrorKind::kUnauthorized);
  return checked.error().detail;
}

bool Has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("ID token parsing refuses what is not a signed JWS of an accepted alg") {
  auto ok = kf::ParseIdToken(Token({{"alg", "ES256"}, {"kid", "k1"}}, Claims()));
  REQUIRE(ok.ok());
  CHECK(ok->alg == "ES256");
  CHECK(ok->kid == "k1");
  CHECK(ok->issuer == "https://idp.example/o");
  CHECK(ok->signature == "sig");
  const auto detail = [](std::string_view text) {
    auto t = kf::ParseIdToken(text);
    REQUIRE(!t.ok());
    CHECK(t.error().kind == ErrorKind::kUnauthorized);
    return t.error().detail;
  };
  CHECK(Has(detail(Token({{"alg", "none"}}, Claims())), "\"none\""));
  CHECK(Has(detail(Token({{"alg", "HS256"}}, Claims())), "shared-secret"));
  CHECK(Has(detail(Token({{"alg", "PS512"}}, Claims())), "RS256 or ES256 only"));
  CHECK(Has(detail(Token({{"typ", "JWT"}}, Claims())), "no \"alg\""));
  CHECK(Has(detail(Token({{"alg", "RS256"}, {"crit", {"b64"}}}, Claims())), "crit"));
  CHECK(Has(detail(Token({{"alg", "RS256"}, {"kid", 7}}, Claims())), "kid"));
  CHECK(Has(detail(Token({{"alg", "RS256"}}, Claims(), "")), "no signature"));
  CHECK(Has(detail("a.b"), "three base64url parts"));
  CHECK(Has(detail("a.b.c.d"), "three base64url parts"));
  CHECK(Has(detail("!!.e30.c2ln"), "header is not base64url"));
  CHECK(Has(detail(Part(json::array()) + ".e30.c2ln"), "header is not a JSON object"));
  CHECK(Has(detail(""), "empty"));
  CHECK(Has(detail(std::string(kf::kMaxIdTokenBytes + 1, 'a')), "the limit is"));
}

TEST_CASE("ID token claims: iss, aud, azp, exp, iat, nbf, lifetime, nonce and the user claim") {
  CHECK(CheckDetail(Claims()).empty());
  json c = Claims();
  c["iss"] = "https://evil.example/o";
  CHECK(Has(CheckDetail(c), "\"iss\""));
  c = Claims();
  c["aud"] = "another-app";
  CHECK(Has(CheckDetail(c), "\"aud\""));
  c["aud"] = {"another-app", "ext"};
  CHECK(Has(CheckDetail(c), "several audiences"));
  c["azp"] = "ext";
  CHECK(CheckDetail(c).empty());
  c["azp"] = "another-app";
  CHECK(Has(CheckDetail(c), "\"azp\""));
  c = Claims();
  c["exp"] = kNowS - 61;  // leeway 60 s
  CHECK(Has(CheckDetail(c), "expired"));
  c["exp"] = kNowS - 59;
  CHECK(CheckDetail(c).empty());
  c = Claims();
  c.erase("exp");
  CHECK(Has(CheckDetail(c), "\"exp\" is missing"));
  c = Claims();
  c["iat"] = kNowS + 120;
  CHECK(Has(CheckDetail(c), "\"iat\""));
  c = Claims();
  c["nbf"] = kNowS + 120;
  CHECK(Has(CheckDetail(c), "\"nbf\""));
  c = Claims();
  c["iat"] = kNowS - 3 * 24 * 3600;
  c["exp"] = kNowS + 300;
  CHECK(Has(CheckDetail(c), "at most"));
  c = Claims();
  CHECK(Has(CheckDetail(c, "n-123"), "no \"nonce\""));
  c["nonce"] = "n-999";
  CHECK(Has(CheckDetail(c, "n-123"), "not the one"));
  c["nonce"] = "n-123";
  CHECK(CheckDetail(c, "n-123").empty());
  c = Claims();
  c.erase("email");
  CHECK(Has(CheckDetail(c), "no \"email\" claim"));
  c = Claims();
  c["jti"] = 5;
  CHECK(Has(CheckDetail(c), "\"jti\""));

  auto token = kf::ParseIdToken(Token({{"alg", "RS256"}}, Claims()));
  REQUIRE(token.ok());
  auto checked = kf::CheckIdTokenClaims(*token, Idp(), kNow, std::nullopt);
  REQUIRE(checked.ok());
  CHECK(checked->user == "ada@example.com");
  CHECK(checked->jti == "j1");
  CHECK(checked->expires_seconds == kNowS + 300);
}

TEST_CASE("JWKS: public signing keys kept, private members refused, bounds") {
  const json rsa = {{"kty", "RSA"}, {"kid", "r1"}, {"use", "sig"}, {"n", "AQAB"}, {"e", "AQAB"}, {"x5c", {"MII..."}}};
  const json ec = {{"kty", "EC"}, {"kid", "e1"}, {"crv", "P-256"}, {"x", "AA"}, {"y", "BB"}, {"alg", "ES256"}};
  const json enc = {{"kty", "RSA"}, {"kid", "r2"}, {"use", "enc"}, {"n", "AQAB"}, {"e", "AQAB"}};
  const json p384 = {{"kty", "EC"}, {"kid", "e2"}, {"crv", "P-384"}, {"x", "AA"}, {"y", "BB"}};
  auto keys = kf::ParseJwks(json{{"keys", {rsa, ec, enc, p384}}}.dump());
  REQUIRE(keys.ok());
  REQUIRE(keys->size() == 2);
  CHECK(!(*keys)[0].contains("x5c"));
  kf::JwksCache cache;
  cache.keys = *keys;
  CHECK(kf::FindSigningKey(cache, "r1", "RS256").has_value());
  CHECK(!kf::FindSigningKey(cache, "r1", "ES256").has_value());
  CHECK(kf::FindSigningKey(cache, "e1", "ES256").has_value());
  CHECK(!kf::FindSigningKey(cache, "zz", "RS256").has_value());
  CHECK(kf::FindSigningKey(cache, "", "RS256").has_value());  // the only RSA key

  json private_key = rsa;
  private_key["d"] = "secret";
  auto refused = kf::ParseJwks(json{{"keys", {private_key}}}.dump());
  REQUIRE(!refused.ok());
  CHECK(Has(refused.error().detail, "private member \"d\""));
  CHECK(!kf::ParseJwks("[]").ok());
  CHECK(!kf::ParseJwks("{\"keys\": 3}").ok());
  json many = json::array();
  for (int i = 0; i < 40; ++i) many.push_back(rsa);
  auto over = kf::ParseJwks(json{{"keys", many}}.dump());
  REQUIRE(!over.ok());
  CHECK(Has(over.error().detail, "at most 32"));
}

TEST_CASE("trusted IdP JSON: every key checked") {
  const auto detail = [](const json& body, bool loopback = false) {
    auto idp = kf::TrustedIdpFromJson(body, "c1", loopback);
    REQUIRE(!idp.ok());
    CHECK(idp.error().kind == ErrorKind::kInvalidInput);
    return idp.error().detail;
  };
  const json base = {{"issuer", "https://idp.example/o"}, {"clientId", "ext"}, {"jwksUri", "https://idp.example/k"}};
  auto ok = kf::TrustedIdpFromJson(base, "c1", false);
  REQUIRE(ok.ok());
  CHECK(ok->user_claim == "email");
  CHECK(ok->match_by == kf::UserMatch::kUserName);
  CHECK(ok->leeway_seconds == 60);
  json b = base;
  b["jwksUri"] = "http://idp.example/k";
  CHECK(Has(detail(b), "https://"));
  b["jwksUri"] = "http://127.0.0.1:9/k";
  CHECK(Has(detail(b), "https://"));
  CHECK(kf::TrustedIdpFromJson(b, "c1", true).ok());
  b = base;
  b.erase("issuer");
  CHECK(Has(detail(b), "'issuer' is required"));
  b = base;
  b["matchBy"] = "displayName";
  CHECK(Has(detail(b), "'matchBy'"));
  b = base;
  b["leewaySeconds"] = 301;
  CHECK(Has(detail(b), "'leewaySeconds'"));
  b = base;
  b["userClaim"] = "a b";
  CHECK(Has(detail(b), "'userClaim'"));
  b = base;
  b["secret"] = "x";
  CHECK(Has(detail(b), "unknown key 'secret'"));
}

TEST_CASE("K2 release limits: per user and per address per window, old windows swept") {
  dirbridge::MemoryKvStore store;
  const auto release = [&](std::string_view user, std::string_view address, int64_t now) {
    dirbridge::Transaction txn(store);
    auto s = kf::CountRelease(txn, "acme", user, address, now);
    if (s.ok()) REQUIRE(txn.Commit().ok());
    return s;
  };
  for (uint64_t i = 0; i < kf::kMaxReleasesPerUser; ++i) REQUIRE(release("u1", "10.0.0.1", kNow).ok());
  auto over = release("u1", "10.0.0.1", kNow + 1000);
  REQUIRE(!over.ok());
  CHECK(over.error().kind == ErrorKind::kTooManyRequests);
  CHECK(over.error().retry_after_seconds > 0);
  CHECK(over.error().retry_after_seconds <= 60);
  CHECK(Has(over.error().detail, "this user's K2"));
  // Other users from the same address count towards the address's limit.
  uint64_t accepted = kf::kMaxReleasesPerUser;
  int user = 0;
  dirbridge::Status last;
  while ((last = release("v" + std::to_string(user++ / 5), "10.0.0.1", kNow)).ok()) ++accepted;
  CHECK(accepted == kf::kMaxReleasesPerAddress);
  CHECK(Has(last.error().detail, "client address"));
  // The next window starts afresh, and the previous window's counts are swept.
  REQUIRE(release("u1", "10.0.0.1", kNow + kf::kReleaseWindowMs).ok());
  auto left = store.List("t/acme/fed/rate/", "", 1000);
  REQUIRE(left.ok());
  CHECK(left->size() == 2);  // u1 and the address, in the new window
}
