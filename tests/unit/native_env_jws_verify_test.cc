// JWS signature verification with a JWK in the native host (NativeEnv over OpenSSL):
// every vector of tests/federation/jws_verify_vectors.json (made with node:crypto by
// tests/federation/make_jws_verify_vectors.mjs) answers as expected, an unusable key
// with the exact reason the JS hosts give (wasm/hosts/jws_verify.mjs; the same vectors
// run there in tests/wasi/jws_verify.test.mjs and tests/e2e/jws_verify_workerd.test.mjs).
#include <openssl/err.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/env.h"
#include "crypto/base64.h"
#include "native/native_env.h"

using namespace dirbridge;

namespace {

nlohmann::json LoadVectors() {
  std::ifstream in(DIRBRIDGE_JWS_VERIFY_VECTORS);
  REQUIRE(in);
  auto file = nlohmann::json::parse(in, nullptr, false);
  REQUIRE_FALSE(file.is_discarded());
  return file["vectors"];
}

const nlohmann::json* Find(const nlohmann::json& vectors, std::string_view name) {
  for (const auto& v : vectors) {
    if (v["name"] == name) return &v;
  }
  FAIL("no vector named " << name);
  return nullptr;
}

std::string Signature(const nlohmann::json& v) {
  auto raw = crypto::Base64UrlDecode(v["signature"].get<std::string>());
  REQUIRE(raw);
  return *raw;
}

}  // namespace

TEST_CASE("NativeEnv verifies every JWS vector as node:crypto made it") {
  const auto vectors = LoadVectors();
  REQUIRE(vectors.size() >= 60);
  NativeEnv env(true);
  int valid = 0, invalid = 0, unusable = 0;
  for (const auto& v : vectors) {
    const std::string name = v["name"];
    const std::string expected = v["expected"];
    INFO(name);
    auto verified = env.VerifyJwsSignature(v["alg"].get<std::string>(), v["jwk"].get<std::string>(),
                                           v["data"].get<std::string>(), Signature(v));
    if (expected == "unusable") {
      REQUIRE_FALSE(verified.ok());
      CHECK(verified.error().kind == ErrorKind::kInvalidInput);
      CHECK(verified.error().detail == v["reason"].get<std::string>());
      ++unusable;
    } else {
      REQUIRE(verified.ok());
      CHECK(*verified == (expected == "valid"));
      (expected == "valid" ? valid : invalid)++;
    }
    // Nothing of a refusal stays in OpenSSL's error queue for the next caller.
    CHECK(ERR_peek_error() == 0);
  }
  // The file holds every kind of answer, for both algorithms.
  CHECK(valid >= 10);
  CHECK(invalid >= 10);
  CHECK(unusable >= 30);
}

TEST_CASE("NativeEnv's JWS refusals never quote the key") {
  const auto vectors = LoadVectors();
  NativeEnv env(true);
  // A key whose text is all canary: no reason may hold any of it.
  const std::string canary = R"({"kty": "RSA", "n": "canary-4f1d", "e": "canary-4f1d", "kid": "canary-4f1d"})";
  auto refused = env.VerifyJwsSignature("RS256", canary, "a.b", "sig");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().detail == "the JWK's \"n\" is not base64url");
  auto malformed = env.VerifyJwsSignature("RS256", R"({"kty": canary-4f1d})", "a.b", "sig");
  REQUIRE_FALSE(malformed.ok());
  CHECK(malformed.error().detail.find("canary") == std::string::npos);
  auto alg = env.VerifyJwsSignature("canary-4f1d", canary, "a.b", "sig");
  REQUIRE_FALSE(alg.ok());
  CHECK(alg.error().detail == "the algorithm is neither RS256 nor ES256");
}

TEST_CASE("NativeEnv refuses a JWK that is not UTF-8, as the JS glue does") {
  const auto vectors = LoadVectors();
  const auto& v = *Find(vectors, "RS256 verifies (a bare JWK: kty, n, e)");
  NativeEnv env(true);
  const std::string sig = Signature(v);
  REQUIRE(*env.VerifyJwsSignature("RS256", v["jwk"].get<std::string>(), v["data"].get<std::string>(), sig));
  // A byte that is no UTF-8 inside a member that is ignored otherwise.
  std::string jwk = v["jwk"].get<std::string>();
  jwk.insert(jwk.size() - 1, ",\"kid\":\"\xff\"");
  auto refused = env.VerifyJwsSignature("RS256", jwk, v["data"].get<std::string>(), sig);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().detail == "the JWK does not parse as JSON");
  // An algorithm that is no UTF-8 is no algorithm.
  auto alg = env.VerifyJwsSignature("RS\xff", v["jwk"].get<std::string>(), v["data"].get<std::string>(), sig);
  REQUIRE_FALSE(alg.ok());
  CHECK(alg.error().detail == "the algorithm is neither RS256 nor ES256");
}

TEST_CASE("a host without verification answers 503") {
  struct Bare : Env {
    int64_t NowMillis() override { return 0; }
    void RandomBytes(uint8_t*, std::size_t) override {}
    void Log(LogLevel, std::string_view) override {}
    std::optional<std::string> Config(std::string_view) override { return std::nullopt; }
  } bare;
  auto verified = bare.VerifyJwsSignature("RS256", "{}", "a.b", "sig");
  REQUIRE_FALSE(verified.ok());
  CHECK(verified.error().kind == ErrorKind::kUnavailable);
  CHECK(verified.error().detail == "this host cannot verify signatures");
}
