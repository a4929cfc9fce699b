// Sealed secrets (tenancy/sealed_secrets.h) on the native host (OpenSSL's AES-256-GCM,
// the same sealed text as the JS hosts' node:crypto): a round trip, the associated
// data binding a value to its owner, tampering, the fingerprint, and no key.
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
