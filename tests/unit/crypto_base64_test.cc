#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "crypto/base64.h"

using dirbridge::crypto::Base64Decode;
using dirbridge::crypto::Base64Encode;
using dirbridge::crypto::Base64UrlDecode;
using dirbridge::crypto::Base64UrlEncode;
using dirbridge::crypto::HexEncode;

namespace {

std::string AllByteValues() {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  return bytes;
}

}  // namespace

TEST_CASE("Base64Encode produces the RFC 4648 section 10 vectors", "[crypto]") {
  CHECK(Base64Encode("") == "");
  CHECK(Base64Encode("f") == "Zg==");
  CHECK(Base64Encode("fo") == "Zm8=");
  CHECK(Base64Encode("foo") == "Zm9v");
  CHECK(Base64Encode("foob") == "Zm9vYg==");
  CHECK(Base64Encode("fooba") == "Zm9vYmE=");
  CHECK(Base64Encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("Base64Decode reverses the RFC 4648 section 10 vectors", "[crypto]") {
  CHECK(Base64Decode("") == std::optional<std::string>(""));
  CHECK(Base64Decode("Zg==") == std::optional<std::string>("f"));
  CHECK(Base64Decode("Zm8=") == std::optional<std::string>("fo"));
  CHECK(Base64Decode("Zm9v") == std::optional<std::string>("foo"));
  CHECK(Base64Decode("Zm9vYg==") == std::optional<std::string>("foob"));
  CHECK(Base64Decode("Zm9vYmE=") == std::optional<std::string>("fooba"));
  CHECK(Base64Decode("Zm9vYmFy") == std::optional<std::string>("foobar"));
}

TEST_CASE("Base64UrlEncode uses '-' and '_' where base64 uses '+' and '/', without padding", "[crypto]") {
  const std::string bytes = "\xfb\xff";
  CHECK(Base64Encode(bytes) == "+/8=");
  CHECK(Base64UrlEncode(bytes) == "-_8");
  CHECK(Base64UrlEncode("foob") == "Zm9vYg");
  CHECK(Base64UrlEncode("fooba") == "Zm9vYmE");
  CHECK(Base64UrlEncode("foobar") == "Zm9vYmFy");
}

TEST_CASE("Base64UrlDecode accepts input with or without padding", "[crypto]") {
  CHECK(Base64UrlDecode("-_8") == std::optional<std::string>("\xfb\xff"));
  CHECK(Base64UrlDecode("-_8=") == std::optional<std::string>("\xfb\xff"));
  CHECK(Base64UrlDecode("Zm9vYg") == std::optional<std::string>("foob"));
  CHECK(Base64UrlDecode("Zm9vYg==") == std::optional<std::string>("foob"));
  CHECK(Base64UrlDecode("") == std::optional<std::string>(""));
}

TEST_CASE("Base64 and base64url round-trip every byte value at every tail length", "[crypto]") {
  const std::string all = AllByteValues();
  for (std::size_t length = 0; length <= all.size(); ++length) {
    const std::string bytes = all.substr(all.size() - length);
    INFO("length " << length);
    CHECK(Base64Decode(Base64Encode(bytes)) == std::optional<std::string>(bytes));
    CHECK(Base64UrlDecode(Base64UrlEncode(bytes)) == std::optional<std::string>(bytes));
  }
}

TEST_CASE("Base64Decode rejects characters outside the standard alphabet", "[crypto]") {
  CHECK_FALSE(Base64Decode("Zm9v-_8=").has_value());  // URL-safe characters
  CHECK_FALSE(Base64Decode("Zm9v\nYmFy").has_value());
  CHECK_FALSE(Base64Decode("Zm 9v").has_value());
  CHECK_FALSE(Base64Decode("Zm9*").has_value());
  CHECK_FALSE(Base64Decode(std::string("Zm9\0", 4)).has_value());
  CHECK_FALSE(Base64Decode("Zm9\xc3").has_value());
}

TEST_CASE("Base64UrlDecode rejects characters outside the URL-safe alphabet", "[crypto]") {
  CHECK_FALSE(Base64UrlDecode("+/8").has_value());
  CHECK_FALSE(Base64UrlDecode("Zm9v.").has_value());
}

TEST_CASE("Base64Decode rejects lengths and padding no encoder produces", "[crypto]") {
  CHECK_FALSE(Base64Decode("Zg").has_value());        // padding missing
  CHECK_FALSE(Base64Decode("Zm9").has_value());
  CHECK_FALSE(Base64Decode("Zm9vY").has_value());
  CHECK_FALSE(Base64Decode("Z===").has_value());      // too much padding
  CHECK_FALSE(Base64Decode("====").has_value());
  CHECK_FALSE(Base64Decode("Zg=").has_value());       // incomplete padding
  CHECK_FALSE(Base64Decode("Zg=a").has_value());      // padding in the middle
  CHECK_FALSE(Base64Decode("Zg==Zm8=").has_value());
  CHECK_FALSE(Base64Decode("Zm9v====").has_value());
}

TEST_CASE("Base64UrlDecode rejects impossible lengths and incomplete padding", "[crypto]") {
  CHECK_FALSE(Base64UrlDecode("Z").has_value());      // one character carries under a byte
  CHECK_FALSE(Base64UrlDecode("Zm9vY").has_value());
  CHECK_FALSE(Base64UrlDecode("Zg=").has_value());
  CHECK_FALSE(Base64UrlDecode("=").has_value());
  CHECK_FALSE(Base64UrlDecode("Z===").has_value());
  CHECK_FALSE(Base64UrlDecode("Zg==Zg").has_value());
}

TEST_CASE("Base64 decoders reject nonzero unused bits so each value has one encoding", "[crypto]") {
  CHECK(Base64Decode("Zg==").has_value());
  CHECK_FALSE(Base64Decode("Zh==").has_value());  // 'h' sets a bit past the single byte
  CHECK(Base64Decode("Zm8=").has_value());
  CHECK_FALSE(Base64Decode("Zm9=").has_value());  // "fo" again, but with a stray low bit
  CHECK_FALSE(Base64UrlDecode("-_9").has_value());
}

TEST_CASE("HexEncode writes two lowercase digits per byte", "[crypto]") {
  CHECK(HexEncode("") == "");
  CHECK(HexEncode(std::string("\x00\x01\x7f\x80\xab\xff", 6)) == "00017f80abff");
}
