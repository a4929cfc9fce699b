#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "crypto/base64.h"
#include "crypto/hmac.h"

using dirbridge::crypto::HexEncode;
using dirbridge::crypto::HmacSha256;

// RFC 4231 §4.2-4.8: the HMAC-SHA-256 results of the seven test cases.

namespace {

std::string HmacHex(std::string_view key, std::string_view message) {
  const auto tag = HmacSha256(key, message);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(tag.data()), tag.size()));
}

std::string Repeat(unsigned char byte, std::size_t count) { return std::string(count, static_cast<char>(byte)); }

}  // namespace

TEST_CASE("HmacSha256 RFC 4231 case 1: 20-byte key, short message", "[crypto]") {
  CHECK(HmacHex(Repeat(0x0b, 20), "Hi There") ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST_CASE("HmacSha256 RFC 4231 case 2: key shorter than the digest", "[crypto]") {
  CHECK(HmacHex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("HmacSha256 RFC 4231 case 3: combined key and data longer than 64 bytes", "[crypto]") {
  CHECK(HmacHex(Repeat(0xaa, 20), Repeat(0xdd, 50)) ==
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
}

TEST_CASE("HmacSha256 RFC 4231 case 4: 25-byte key of counting bytes", "[crypto]") {
  std::string key;
  for (int i = 1; i <= 25; ++i) key += static_cast<char>(i);
  CHECK(HmacHex(key, Repeat(0xcd, 50)) == "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

TEST_CASE("HmacSha256 RFC 4231 case 5: output truncated to 128 bits", "[crypto]") {
  CHECK(HmacHex(Repeat(0x0c, 20), "Test With Truncation").substr(0, 32) == "a3b6167473100ee06e0c796c2955552b");
}

TEST_CASE("HmacSha256 RFC 4231 case 6: key longer than the block is hashed first", "[crypto]") {
  CHECK(HmacHex(Repeat(0xaa, 131), "Test Using Larger Than Block-Size Key - Hash Key First") ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("HmacSha256 RFC 4231 case 7: key and message both longer than the block", "[crypto]") {
  CHECK(HmacHex(Repeat(0xaa, 131),
                "This is a test using a larger than block-size key and a larger than block-size data. "
                "The key needs to be hashed before being used by the HMAC algorithm.") ==
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST_CASE("HmacSha256 with a key of exactly one block uses it unhashed, unlike a key one byte longer",
          "[crypto]") {
  const std::string block_key = Repeat(0x42, 64);
  const std::string longer_key = Repeat(0x42, 65);
  CHECK(HmacHex(block_key, "m") != HmacHex(longer_key, "m"));
  // A zero-padded short key and its padded form are the same key (RFC 2104 §2).
  CHECK(HmacHex("k", "m") == HmacHex(std::string("k") + std::string(63, '\0'), "m"));
}
