#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <string>

#include "crypto/uuid.h"

using dirbridge::crypto::IsUuid;
using dirbridge::crypto::UuidV4;
using dirbridge::crypto::UuidV7;

namespace {

std::array<uint8_t, 16> Filled(uint8_t byte) {
  std::array<uint8_t, 16> bytes;
  bytes.fill(byte);
  return bytes;
}

std::array<uint8_t, 16> Counting() {
  std::array<uint8_t, 16> bytes;
  for (int i = 0; i < 16; ++i) bytes[i] = static_cast<uint8_t>(0x10 * i + i);
  return bytes;
}

// Text positions 14 and 19 hold the version nibble and the variant nibble.
char VersionDigit(const std::string& uuid) { return uuid[14]; }
char VariantDigit(const std::string& uuid) { return uuid[19]; }

bool IsRfc9562Variant(char digit) { return digit == '8' || digit == '9' || digit == 'a' || digit == 'b'; }

}  // namespace

TEST_CASE("UuidV4 sets version 4 and the RFC 9562 variant whatever the random bytes", "[crypto]") {
  for (uint8_t fill : {uint8_t{0x00}, uint8_t{0xff}, uint8_t{0x5a}}) {
    const std::string uuid = UuidV4(Filled(fill));
    INFO(uuid);
    CHECK(IsUuid(uuid));
    CHECK(VersionDigit(uuid) == '4');
    CHECK(IsRfc9562Variant(VariantDigit(uuid)));
  }
  CHECK(UuidV4(Filled(0x00)) == "00000000-0000-4000-8000-000000000000");
  CHECK(UuidV4(Filled(0xff)) == "ffffffff-ffff-4fff-bfff-ffffffffffff");
}

TEST_CASE("UuidV4 keeps the random bytes outside the version and variant bits", "[crypto]") {
  CHECK(UuidV4(Counting()) == "00112233-4455-4677-8899-aabbccddeeff");
}

TEST_CASE("UuidV7 puts the big-endian millisecond timestamp in the first 48 bits", "[crypto]") {
  // RFC 9562 Appendix A.6 uses 2022-02-22 19:22:22 UTC = 0x017F22E279B0 ms.
  const std::string uuid = UuidV7(0x017F22E279B0, Filled(0x00));
  CHECK(uuid == "017f22e2-79b0-7000-8000-000000000000");
  CHECK(UuidV7(0x017F22E279B0, Counting()) == "017f22e2-79b0-7677-8899-aabbccddeeff");
}

TEST_CASE("UuidV7 sets version 7 and the RFC 9562 variant whatever the random bytes", "[crypto]") {
  const std::string uuid = UuidV7(1700000000000, Filled(0xff));
  CHECK(IsUuid(uuid));
  CHECK(VersionDigit(uuid) == '7');
  CHECK(VariantDigit(uuid) == 'b');
}

TEST_CASE("UuidV7 strings sort by timestamp regardless of their random bits", "[crypto]") {
  const std::string earlier = UuidV7(1700000000000, Filled(0xff));
  const std::string later = UuidV7(1700000000001, Filled(0x00));
  const std::string much_later = UuidV7(1800000000000, Filled(0x00));
  CHECK(earlier < later);
  CHECK(later < much_later);
}

TEST_CASE("UuidV7 uses only the low 48 bits of the timestamp", "[crypto]") {
  CHECK(UuidV7(0xFFFF017F22E279B0ull, Filled(0x00)) == UuidV7(0x017F22E279B0ull, Filled(0x00)));
}

TEST_CASE("IsUuid accepts canonical 8-4-4-4-12 hex in either case", "[crypto]") {
  CHECK(IsUuid("017f22e2-79b0-7cc3-98c4-dc0c0c07398f"));
  CHECK(IsUuid("017F22E2-79B0-7CC3-98C4-DC0C0C07398F"));
  CHECK(IsUuid("00000000-0000-0000-0000-000000000000"));
}

TEST_CASE("IsUuid rejects other lengths, misplaced dashes, non-hex and decorated forms", "[crypto]") {
  CHECK_FALSE(IsUuid(""));
  CHECK_FALSE(IsUuid("017f22e279b07cc398c4dc0c0c07398f"));
  CHECK_FALSE(IsUuid("017f22e2-79b0-7cc3-98c4-dc0c0c07398"));
  CHECK_FALSE(IsUuid("017f22e2-79b0-7cc3-98c4-dc0c0c07398f0"));
  CHECK_FALSE(IsUuid("017f22e-279b0-7cc3-98c4-dc0c0c07398f"));
  CHECK_FALSE(IsUuid("017f22g2-79b0-7cc3-98c4-dc0c0c07398f"));
  CHECK_FALSE(IsUuid("{017f22e2-79b0-7cc3-98c4-dc0c0c07398f}"));
  CHECK_FALSE(IsUuid("urn:uuid:017f22e2-79b0-7cc3-98c4-dc0c0c07398f"));
  CHECK_FALSE(IsUuid("017f22e2-79b0-7cc3-98c4-dc0c0c07398f\n"));
}
