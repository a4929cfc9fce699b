#include <catch2/catch.hpp>

#include <cstddef>
#include <string>
#include <string_view>

#include "crypto/base64.h"
#include "crypto/sha256.h"

using dirbridge::crypto::HexEncode;
using dirbridge::crypto::Sha256;
using dirbridge::crypto::Sha256Bytes;
using dirbridge::crypto::Sha256Digest;
using dirbridge::crypto::Sha256Hex;

namespace {

std::string Hex(const Sha256Bytes& digest) {
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

// Feeds `message` to an incremental hasher in pieces of `piece` bytes.
std::string HexInPieces(std::string_view message, std::size_t piece) {
  Sha256 hasher;
  for (std::size_t i = 0; i < message.size(); i += piece) hasher.Update(message.substr(i, piece));
  return Hex(hasher.Finish());
}

}  // namespace

TEST_CASE("Sha256 of \"abc\" matches the FIPS 180-2 one-block example", "[crypto]") {
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("Sha256 of the 448-bit message matches the FIPS 180-2 two-block example", "[crypto]") {
  // 56 bytes: the padding's length field no longer fits, forcing a second block.
  CHECK(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("Sha256 of one million 'a' matches the FIPS 180-2 long-message example", "[crypto]") {
  const std::string million_a(1000000, 'a');
  const std::string expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
  CHECK(Sha256Hex(million_a) == expected);
  // The same message fed 1000 bytes at a time, as a streaming caller would.
  CHECK(HexInPieces(million_a, 1000) == expected);
}

TEST_CASE("Sha256 of the empty message is the well-known empty digest", "[crypto]") {
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256 hasher;
  hasher.Update("");
  CHECK(Hex(hasher.Finish()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("Sha256Hex is the lowercase hex of Sha256Digest", "[crypto]") {
  CHECK(Sha256Hex("abc") == Hex(Sha256Digest("abc")));
  CHECK(Sha256Hex("abc").size() == 64);
}

TEST_CASE("Sha256 digest does not depend on how the message is split across Update calls", "[crypto]") {
  // Lengths around the padding thresholds (55/56 bytes) and block boundaries (64, 128).
  std::string message;
  for (int i = 0; i < 300; ++i) message += static_cast<char>('!' + (i * 7) % 90);
  for (std::size_t length : {0u, 1u, 55u, 56u, 63u, 64u, 65u, 119u, 120u, 127u, 128u, 129u, 300u}) {
    const std::string_view prefix(message.data(), length);
    const std::string whole = Sha256Hex(prefix);
    for (std::size_t piece : {1u, 3u, 63u, 64u, 65u}) {
      INFO("length " << length << ", pieces of " << piece);
      CHECK(HexInPieces(prefix, piece) == whole);
    }
  }
}

TEST_CASE("Sha256 split exactly at a block boundary matches one-shot hashing of the two-block example",
          "[crypto]") {
  const std::string_view message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  for (std::size_t split = 0; split <= message.size(); ++split) {
    Sha256 hasher;
    hasher.Update(message.substr(0, split));
    hasher.Update(message.substr(split));
    INFO("split at " << split);
    CHECK(Hex(hasher.Finish()) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  }
}

TEST_CASE("Sha256 Reset starts a fresh message", "[crypto]") {
  Sha256 hasher;
  hasher.Update("something else entirely");
  hasher.Finish();
  hasher.Reset();
  hasher.Update("abc");
  CHECK(Hex(hasher.Finish()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
