// JWS compact serialization (crypto/jws.h) against fixed vectors: the header of
// RFC 7515 Appendix A.2 (RS256), a Google JWT bearer grant's claim set, base64url
// without padding for every tail length, and the signature's alphabet ('-', '_').
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "crypto/base64.h"
#include "crypto/jws.h"

using dirbridge::crypto::Base64UrlDecode;
using dirbridge::crypto::JwsCompact;
using dirbridge::crypto::JwsSigningInput;
using nlohmann::json;

TEST_CASE("JwsSigningInput encodes the header of RFC 7515 A.2 as the RFC does", "[crypto]") {
  // RFC 7515 A.2.1: {"alg":"RS256"} -> eyJhbGciOiJSUzI1NiJ9
  const std::string input = JwsSigningInput(json{{"alg", "RS256"}}, json::object());
  CHECK(input == "eyJhbGciOiJSUzI1NiJ9.e30");  // e30 = base64url("{}")
}

TEST_CASE("JwsSigningInput of a Google JWT bearer grant: compact JSON, sorted keys, no padding", "[crypto]") {
  const json header = {{"typ", "JWT"}, {"alg", "RS256"}};
  const json claims = {{"iss", "dirbridge@acme-directory.iam.gserviceaccount.com"},
                       {"sub", "admin@acme.example"},
                       {"scope", "https://www.googleapis.com/auth/admin.directory.user"},
                       {"aud", "https://oauth2.googleapis.com/token"},
                       {"iat", 1764000000},
                       {"exp", 1764003600}};
  const std::string input = JwsSigningInput(header, claims);
  CHECK(input ==
        "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9."
        "eyJhdWQiOiJodHRwczovL29hdXRoMi5nb29nbGVhcGlzLmNvbS90b2tlbiIsImV4cCI6MTc2NDAwMzYwMCwiaWF0IjoxNzY0MDAwMDAw"
        "LCJpc3MiOiJkaXJicmlkZ2VAYWNtZS1kaXJlY3RvcnkuaWFtLmdzZXJ2aWNlYWNjb3VudC5jb20iLCJzY29wZSI6Imh0dHBzOi8vd3d3"
        "Lmdvb2dsZWFwaXMuY29tL2F1dGgvYWRtaW4uZGlyZWN0b3J5LnVzZXIiLCJzdWIiOiJhZG1pbkBhY21lLmV4YW1wbGUifQ");
  // Each part decodes back to the JSON it came from.
  const auto dot = input.find('.');
  REQUIRE(dot != std::string::npos);
  CHECK(json::parse(*Base64UrlDecode(input.substr(0, dot))) == header);
  CHECK(json::parse(*Base64UrlDecode(input.substr(dot + 1))) == claims);
  CHECK(input.find('=') == std::string::npos);
}

TEST_CASE("JwsSigningInput keeps UTF-8 as it is and uses the URL-safe alphabet", "[crypto]") {
  CHECK(JwsSigningInput(json{{"alg", "RS256"}}, json{{"name", "Zo\xc3\xab"}}) ==
        "eyJhbGciOiJSUzI1NiJ9.eyJuYW1lIjoiWm_DqyJ9");
}

TEST_CASE("JwsCompact appends the signature in base64url without padding", "[crypto]") {
  const std::string signature("\xfb\xff\xbe\x00\x01\x3e", 6);
  CHECK(JwsCompact("eyJhbGciOiJSUzI1NiJ9.e30", signature) == "eyJhbGciOiJSUzI1NiJ9.e30.-_--AAE-");
  // Lengths 1 and 2 mod 3 leave no '=' behind.
  CHECK(JwsCompact("a.b", std::string(1, '\xff')) == "a.b._w");
  CHECK(JwsCompact("a.b", std::string(2, '\xff')) == "a.b.__8");
  CHECK(JwsCompact("a.b", "") == "a.b.");
}
