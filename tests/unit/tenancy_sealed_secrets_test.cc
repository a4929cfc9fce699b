// Sealed secrets (tenancy/sealed_secrets.h) on the native host (OpenSSL's AES-256-GCM,
// the same sealed text as the JS hosts' node:crypto): a round trip, the associated
// data binding a value to its owner, tampering, the fingerprint, and no key; and
// signing with a sealed key (SignWithConnectionSecret) through a host that signs.
#include <catch2/catch.hpp>

#include <string>
#include <tuple>
#include <vector>

#include "native/native_env.h"
#include "store/key_layout.h"
#include "store/memory_kv_store.h"
#include "store/write_batch.h"
#include "tenancy/sealed_secrets.h"

using namespace dirbridge;

namespace {

constexpr const char* kCanary = "canary-okta-api-token-7f3a9c21e5";

NativeEnv KeyedEnv() {
  NativeEnv env(/*deterministic=*/true);
  env.SetSecretKey(std::string(32, '\x11'));
  return env;
}

bool StoreHolds(MemoryKvStore& store, std::string_view needle) {
  auto all = store.List("", "", 1000000);
  REQUIRE(all.ok());
  for (const auto& e : *all) {
    if (e.key.find(needle) != std::string::npos || e.value.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a sealed secret opens for its owner only and is never stored in clear") {
  NativeEnv env = KeyedEnv();
  MemoryKvStore store;
  auto info = PutConnectionSecret(store, env, "acme", "c1", "okta-api-token", kCanary);
  REQUIRE(info.ok());
  CHECK(info->name == "okta-api-token");
  CHECK(info->fingerprint == SecretFingerprint("acme", "c1", "okta-api-token", kCanary));
  CHECK_FALSE(StoreHolds(store, kCanary));
  CHECK(env.last_log().find(kCanary) == std::string::npos);

  auto back = ReadConnectionSecret(store, env, "acme", "c1", "okta-api-token");
  REQUIRE(back.ok());
  REQUIRE(back->has_value());
  CHECK(**back == kCanary);

  auto absent = ReadConnectionSecret(store, env, "acme", "c1", "other");
  REQUIRE(absent.ok());
  CHECK_FALSE(absent->has_value());

  // The stored record copied under another owner (tenant, connection or name) does not
  // open there: an error value, never the plaintext, never a crash.
  auto raw = store.Get(keys::ConnectionSecret("acme", "c1", "okta-api-token"));
  REQUIRE(raw.ok());
  REQUIRE(raw->has_value());
  for (const auto& [tenant, conn, name] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"evil", "c1", "okta-api-token"}, {"acme", "c2", "okta-api-token"}, {"acme", "c1", "graph-secret"}}) {
    WriteBatch batch;
    batch.Put(keys::ConnectionSecret(tenant, conn, name), **raw);
    REQUIRE(store.Commit(batch).ok());
    auto moved = ReadConnectionSecret(store, env, tenant, conn, name);
    REQUIRE_FALSE(moved.ok());
    CHECK(moved.error().kind == ErrorKind::kCorrupt);
    CHECK(moved.error().detail.find(kCanary) == std::string::npos);
  }
}

TEST_CASE("the associated data and the key both decide whether a sealed text opens") {
  NativeEnv env = KeyedEnv();
  auto sealed = env.Seal("value", "owner-a");
  REQUIRE(sealed.ok());
  CHECK(sealed->rfind("dbs1.", 0) == 0);
  CHECK(sealed->find("value") == std::string::npos);
  auto opened = env.Open(*sealed, "owner-a");
  REQUIRE(opened.ok());
  CHECK(*opened == std::optional<std::string>("value"));
  auto wrong_ad = env.Open(*sealed, "owner-b");
  REQUIRE(wrong_ad.ok());
  CHECK_FALSE(wrong_ad->has_value());

  // One flipped character anywhere, a truncation, or garbage: not opened.
  std::string altered = *sealed;
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  for (const std::string& bad : {altered, sealed->substr(0, sealed->size() - 4), std::string("dbs1.@@@"),
                                 std::string("plain text")}) {
    auto r = env.Open(bad, "owner-a");
    REQUIRE(r.ok());
    CHECK_FALSE(r->has_value());
  }

  NativeEnv other(/*deterministic=*/true);
  other.SetSecretKey(std::string(32, '\x22'));
  auto under_other_key = other.Open(*sealed, "owner-a");
  REQUIRE(under_other_key.ok());
  CHECK_FALSE(under_other_key->has_value());

  // Two seals of one value differ (a fresh nonce each time).
  auto again = env.Seal("value", "owner-a");
  REQUIRE(again.ok());
  CHECK(*again != *sealed);
}

TEST_CASE("fingerprints are short, stable, and differ between owners") {
  const std::string fp = SecretFingerprint("acme", "c1", "n", kCanary);
  CHECK(fp.rfind("fp1:", 0) == 0);
  CHECK(fp.size() == 4 + 16);
  CHECK(fp == SecretFingerprint("acme", "c1", "n", kCanary));
  CHECK(fp != SecretFingerprint("acme", "c2", "n", kCanary));
  CHECK(fp != SecretFingerprint("acme", "c1", "n", "another value"));
  CHECK(fp.find(kCanary) == std::string::npos);
}

TEST_CASE("without a deployment key sealing is a clear 503, and nothing is stored") {
  NativeEnv env(/*deterministic=*/true);
  MemoryKvStore store;
  auto info = PutConnectionSecret(store, env, "acme", "c1", "token", kCanary);
  REQUIRE_FALSE(info.ok());
  CHECK(info.error().kind == ErrorKind::kUnavailable);
  CHECK(info.error().detail.find("DIRBRIDGE_SECRET_KEY") != std::string::npos);
  CHECK_FALSE(StoreHolds(store, "secret/"));
}

TEST_CASE("secret names and values are checked before sealing") {
  NativeEnv env = KeyedEnv();
  MemoryKvStore store;
  CHECK_FALSE(PutConnectionSecret(store, env, "acme", "c1", "Bad Name", "v").ok());
  CHECK_FALSE(PutConnectionSecret(store, env, "acme", "c1", "", "v").ok());
  CHECK_FALSE(PutConnectionSecret(store, env, "acme", "c1", "ok", "").ok());
  CHECK_FALSE(PutConnectionSecret(store, env, "acme", "c1", "ok", std::string(kMaxSecretBytes + 1, 'x')).ok());
  auto listed = ListConnectionSecrets(store, "acme", "c1");
  REQUIRE(listed.ok());
  CHECK(listed->empty());
  REQUIRE(PutConnectionSecret(store, env, "acme", "c1", "a", "1").ok());
  REQUIRE(PutConnectionSecret(store, env, "acme", "c1", "b", "2").ok());
  listed = ListConnectionSecrets(store, "acme", "c1");
  REQUIRE(listed.ok());
  CHECK(listed->size() == 2);
  auto removed = DeleteConnectionSecret(store, "acme", "c1", "a");
  REQUIRE(removed.ok());
  CHECK(*removed);
  removed = DeleteConnectionSecret(store, "acme", "c1", "a");
  REQUIRE(removed.ok());
  CHECK_FALSE(*removed);
}

TEST_CASE("a text sealed by the JS hosts (node:crypto) opens on the native host (OpenSSL)") {
  // Made by wasm/hosts/sealing.mjs with the key 32 x 0x11 and a nonce of 12 x 0x07.
  NativeEnv env = KeyedEnv();
  const std::string from_js = "dbs1.BwcHBwcHBwcHBwcHo19t1Jbdd0PDgbY-sxfxIq7RB2ntMhaluKyNYjPhKGVmWK3Z7w";
  auto opened = env.Open(from_js, "owner-a");
  REQUIRE(opened.ok());
  CHECK(*opened == std::optional<std::string>("sealed by node:crypto"));
  auto wrong = env.Open(from_js, "owner-b");
  REQUIRE(wrong.ok());
  CHECK_FALSE(wrong->has_value());
}

namespace {

// A host that signs with sealed keys as the JS hosts do (wasm/hosts/sealing.mjs), with
// a stand-in for RSA (the native host has none): it opens the sealed text with the
// associated data it is given, refuses a plaintext without a "private_key", and
// "signs" by naming the data. It records what it was asked.
class FakeSigningEnv : public NativeEnv {
 public:
  FakeSigningEnv() : NativeEnv(/*deterministic=*/true) { SetSecretKey(std::string(32, '\x11')); }

  Result<std::optional<std::string>> SignRs256WithSealedKey(std::string_view sealed, std::string_view associated,
                                                            std::string_view data) override {
    asked_associated = std::string(associated);
    DB_ASSIGN_OR_RETURN(auto plain, Open(sealed, associated));
    if (!plain) return std::optional<std::string>();
    if (plain->find("\"private_key\"") == std::string::npos) {
      return InvalidInput("the sealed secret is not a usable RS256 signing key: the secret is neither a "
                          "service-account key file (JSON) nor a PEM private key");
    }
    return std::optional<std::string>("rs256(" + std::string(data) + ")");
  }

  std::string asked_associated;
};

const std::string kKeyFile = std::string(R"({"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\n)") +
                             kCanary + R"(\n-----END PRIVATE KEY-----\n"})";

}  // namespace

TEST_CASE("the host signs with a sealed connection secret under its owner's associated data") {
  FakeSigningEnv env;
  MemoryKvStore store;
  REQUIRE(PutConnectionSecret(store, env, "acme", "c1", "google-service-account", kKeyFile).ok());
  auto signature = SignWithConnectionSecret(store, env, "acme", "c1", "google-service-account", "header.claims");
  REQUIRE(signature.ok());
  CHECK(*signature == std::optional<std::string>("rs256(header.claims)"));
  CHECK(env.asked_associated == SecretAssociatedData("acme", "c1", "google-service-account"));
  CHECK(env.last_log().find(kCanary) == std::string::npos);

  // Not set (or a name no secret can have): nothing to sign with, and the host is not asked.
  env.asked_associated.clear();
  for (const char* name : {"other", "Bad Name"}) {
    auto absent = SignWithConnectionSecret(store, env, "acme", "c1", name, "x");
    REQUIRE(absent.ok());
    CHECK_FALSE(absent->has_value());
  }
  CHECK(env.asked_associated.empty());

  // The sealed value copied to another owner does not open there: Corrupt, as for reading.
  auto raw = store.Get(keys::ConnectionSecret("acme", "c1", "google-service-account"));
  REQUIRE(raw.ok());
  WriteBatch batch;
  batch.Put(keys::ConnectionSecret("acme", "c2", "google-service-account"), **raw);
  REQUIRE(store.Commit(batch).ok());
  auto moved = SignWithConnectionSecret(store, env, "acme", "c2", "google-service-account", "x");
  REQUIRE_FALSE(moved.ok());
  CHECK(moved.error().kind == ErrorKind::kCorrupt);
  CHECK(moved.error().detail.find("does not open") != std::string::npos);
  CHECK(moved.error().detail.find(kCanary) == std::string::npos);
}

TEST_CASE("a sealed secret that is no signing key is the caller's 400, naming the secret, never its value") {
  FakeSigningEnv env;
  MemoryKvStore store;
  REQUIRE(PutConnectionSecret(store, env, "acme", "c1", "google-service-account", kCanary).ok());
  auto signature = SignWithConnectionSecret(store, env, "acme", "c1", "google-service-account", "x");
  REQUIRE_FALSE(signature.ok());
  CHECK(signature.error().kind == ErrorKind::kInvalidInput);
  CHECK(signature.error().detail.find("secret 'google-service-account' of connection c1: ") == 0);
  CHECK(signature.error().detail.find(kCanary) == std::string::npos);
}

TEST_CASE("a host that cannot sign, or has no deployment key, answers 503") {
  // NativeEnv keeps Env's default: no RSA on the native host.
  NativeEnv env = KeyedEnv();
  MemoryKvStore store;
  REQUIRE(PutConnectionSecret(store, env, "acme", "c1", "google-service-account", kKeyFile).ok());
  auto cannot = SignWithConnectionSecret(store, env, "acme", "c1", "google-service-account", "x");
  REQUIRE_FALSE(cannot.ok());
  CHECK(cannot.error().kind == ErrorKind::kUnavailable);
  CHECK(cannot.error().detail == "this host cannot sign");

  class KeylessSigningEnv : public FakeSigningEnv {
   public:
    KeylessSigningEnv() { SetSecretKey(""); }
  } keyless;
  auto no_key = SignWithConnectionSecret(store, keyless, "acme", "c1", "google-service-account", "x");
  REQUIRE_FALSE(no_key.ok());
  CHECK(no_key.error().kind == ErrorKind::kUnavailable);
  CHECK(no_key.error().detail.find("DIRBRIDGE_SECRET_KEY") != std::string::npos);
}
