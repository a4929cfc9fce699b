// The client's vault-key derivation (shared/federation/vault_key.h) and the PBKDF2 under
// it (shared/crypto/pbkdf2.h): RFC 7914 §11's PBKDF2-HMAC-SHA256 vectors, then the
// published vectors of tests/federation/vault_key_vectors.json (made with node:crypto,
// an independent implementation; tests/wasi/vault_key.test.mjs checks the WASM build
// against the same file).
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "crypto/base64.h"
#include "crypto/pbkdf2.h"
#include "federation/vault_key.h"

using namespace dirbridge;

namespace {

std::string Hex(const std::string& bytes) { return crypto::HexEncode(bytes); }

std::string FromHex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

}  // namespace

TEST_CASE("PBKDF2-HMAC-SHA256 matches RFC 7914 section 11") {
  auto one = crypto::Pbkdf2HmacSha256("passwd", "salt", 1, 64);
  REQUIRE(one.ok());
  CHECK(Hex(*one) ==
        "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd50"
        "9112041d3a19783");
  auto many = crypto::Pbkdf2HmacSha256("Password", "NaCl", 80000, 64);
  REQUIRE(many.ok());
  CHECK(Hex(*many) ==
        "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d07847"
        "8f62b397f33c8d");
  // A prefix of a longer key is the shorter key (blocks are independent).
  CHECK(Hex(*crypto::Pbkdf2HmacSha256("passwd", "salt", 1, 20)) == Hex(*one).substr(0, 40));
}

TEST_CASE("PBKDF2 refuses unbounded work") {
  CHECK(crypto::Pbkdf2HmacSha256("p", "s", 0, 32).error().detail == "PBKDF2 iterations must be from 1 to 10000000");
  CHECK_FALSE(crypto::Pbkdf2HmacSha256("p", "s", crypto::kMaxPbkdf2Iterations + 1, 32).ok());
  CHECK(crypto::Pbkdf2HmacSha256("p", "s", 1, 0).error().detail == "a PBKDF2 key must be from 1 to 1024 bytes");
  CHECK_FALSE(crypto::Pbkdf2HmacSha256("p", "s", 1, 1025).ok());
}

TEST_CASE("the vault key matches the published vectors") {
  std::ifstream in(DIRBRIDGE_VAULT_KEY_VECTORS);
  REQUIRE(in);
  auto file = nlohmann::json::parse(in);
  REQUIRE(file["iterations"] == federation::kVaultKeyIterations);
  REQUIRE(file["vectors"].size() == 3);
  for (const auto& v : file["vectors"]) {
    INFO(v["name"].get<std::string>());
    std::string k1 = FromHex(v["k1"]), k2 = FromHex(v["k2"]);
    CHECK(federation::VaultKeySalt(v["userName"].get<std::string>()) == v["salt"].get<std::string>());
    CHECK(*federation::HiddenMasterPassword(k1, k2) == v["hiddenMasterPassword"].get<std::string>());
    auto key = federation::DeriveVaultKey(k1, k2, v["userName"].get<std::string>());
    REQUIRE(key.ok());
    CHECK(Hex(*key) == v["vaultKey"].get<std::string>());
  }
}

TEST_CASE("a fragment of the wrong size or a bad userName is refused") {
  std::string k(32, 'k');
  CHECK(federation::HiddenMasterPassword(k, k.substr(1)).error().detail ==
        "K1 and K2 must be 32 bytes each (K1 is 32, K2 is 31)");
  CHECK(federation::DeriveVaultKey(k, k, "").error().detail == "the userName must be 1 to 512 bytes");
  CHECK_FALSE(federation::DeriveVaultKey(k, k, std::string(513, 'a')).ok());
  CHECK_FALSE(federation::DeriveVaultKey(std::string(33, 'k'), k, "a").ok());
  // Only K1 XOR K2 counts: equal fragments give one password, whatever they are.
  CHECK(*federation::HiddenMasterPassword(k, k) == *federation::HiddenMasterPassword(std::string(32, 'x'), std::string(32, 'x')));
}
