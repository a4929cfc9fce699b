#include "crypto/hmac.h"

#include "crypto/base64.h"

#include <array>
#include <cstdint>

namespace dirbridge::crypto {
namespace {

std::string_view AsChars(const uint8_t* data, std::size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace

Sha256Bytes HmacSha256(std::string_view key, std::string_view message) {
  // RFC 2104 §2: K is zero-padded to the block size B, after hashing it if it
  // is longer than B.
  std::array<uint8_t, kSha256BlockBytes> block_key{};
  if (key.size() > kSha256BlockBytes) {
    const Sha256Bytes hashed = Sha256Digest(key);
    for (std::size_t i = 0; i < hashed.size(); ++i) block_key[i] = hashed[i];
  } else {
    for (std::size_t i = 0; i < key.size(); ++i) block_key[i] = static_cast<uint8_t>(key[i]);
  }

  constexpr uint8_t kInnerPad = 0x36;
  constexpr uint8_t kOuterPad = 0x5c;
  std::array<uint8_t, kSha256BlockBytes> pad;

  // H(K XOR ipad, text)
  for (std::size_t i = 0; i < pad.size(); ++i) pad[i] = block_key[i] ^ kInnerPad;
  Sha256 inner;
  inner.Update(AsChars(pad.data(), pad.size()));
  inner.Update(message);
  const Sha256Bytes inner_digest = inner.Finish();

  // H(K XOR opad, H(K XOR ipad, text))
  for (std::size_t i = 0; i < pad.size(); ++i) pad[i] = block_key[i] ^ kOuterPad;
  Sha256 outer;
  outer.Update(AsChars(pad.data(), pad.size()));
  outer.Update(AsChars(inner_digest.data(), inner_digest.size()));
  return outer.Finish();
}

std::string HmacSha256Base64Url(std::string_view key, std::string_view message) {
  const Sha256Bytes tag = HmacSha256(key, message);
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(tag.data()), tag.size()));
}

}  // namespace dirbridge::crypto
