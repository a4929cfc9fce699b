// The store layer: the in-memory KvStore's prefix/cursor contract (every host must
// match it), write batch encoding (the host ABI's format), transactions and keys.
#include <catch2/catch.hpp>

#include "store/key_layout.h"
#include "store/memory_kv_store.h"
#include "store/transaction.h"
#include "store/write_batch.h"

using namespace dirbridge;

TEST_CASE("List pages through a prefix by cursor and never leaves it") {
  MemoryKvStore store;
  WriteBatch b;
  for (auto k : {"a/1", "a/2", "a/3", "a0", "b/1", "a/"}) b.Put(k, std::string("v") + k);
  REQUIRE(store.Commit(b).ok());
  auto first = store.List("a/", "", 2);
  REQUIRE(first.ok());
  REQUIRE(first->size() == 2);
  CHECK((*first)[0].key == "a/");
  CHECK((*first)[1].key == "a/1");
  auto second = store.List("a/", (*first)[1].key, 10);
  REQUIRE(second->size() == 2);
  CHECK((*second)[0].key == "a/2");
  CHECK((*second)[1].key == "a/3");
  // A cursor before the prefix starts at the prefix.
  CHECK(store.List("b/", "a/9", 10)->size() == 1);
}

TEST_CASE("a write batch encodes to the host ABI format and decodes back") {
  WriteBatch b;
  b.Put("k1", std::string("v\0x", 3));
  b.Delete("k2");
  auto encoded = b.Encode();
  CHECK(encoded.size() == (1 + 4 + 2 + 4 + 3) + (1 + 4 + 2));
  auto decoded = WriteBatch::Decode(encoded);
  REQUIRE(decoded.ok());
  REQUIRE(decoded->size() == 2);
  CHECK(decoded->operations()[0].value == std::string("v\0x", 3));
  CHECK(decoded->operations()[1].op == WriteBatch::Op::kDelete);
  CHECK_FALSE(WriteBatch::Decode(encoded.substr(0, encoded.size() - 1)).ok());
  CHECK_FALSE(WriteBatch::Decode(std::string("\x07", 1)).ok());
}

TEST_CASE("a transaction reads its own writes and commits them together") {
  MemoryKvStore store;
  Transaction txn(store);
  txn.Put("x", "1");
  CHECK(*txn.Get("x").value() == "1");
  CHECK_FALSE(store.Get("x").value().has_value());
  txn.Delete("x");
  CHECK_FALSE(txn.Get("x").value().has_value());
  txn.Put("y", "2");
  REQUIRE(txn.Commit().ok());
  CHECK(store.counts().commits == 1);
  CHECK(*store.Get("y").value() == "2");
  CHECK_FALSE(store.Get("x").value().has_value());
}

TEST_CASE("user-supplied key parts cannot reach into another namespace") {
  CHECK(keys::UserNameIndex("acme", "a/b%c") == "t/acme/idx/user.userName/a%2Fb%25c");
  CHECK(keys::UserNameIndex("acme", "ADA") == keys::UserNameIndex("acme", "ada"));
  CHECK(keys::UserEmailIndex("acme", "x/y@z", "id1").find("x%2Fy@z/id1") != std::string::npos);
  CHECK(keys::Member("acme", "g", "u").rfind(keys::MemberPrefix("acme", "g"), 0) == 0);
  CHECK(keys::LastSegment(keys::Member("acme", "g", "u")) == "u");
}

TEST_CASE("key parts that are not valid UTF-8 are escaped, valid characters are kept") {
  CHECK(keys::User("acme", "\xFF") == "t/acme/user/%FF");
  CHECK(keys::User("acme", "\xC0\xAF") == "t/acme/user/%C0%AF");        // overlong '/'
  CHECK(keys::User("acme", "\xED\xA0\x80") == "t/acme/user/%ED%A0%80");  // a surrogate
  CHECK(keys::User("acme", "caf\xC3\xA9") == "t/acme/user/caf\xC3\xA9");
  CHECK(keys::UserNameIndex("acme", "\xF0\x9F\x98\x80") == "t/acme/idx/user.userName/\xF0\x9F\x98\x80");
}
