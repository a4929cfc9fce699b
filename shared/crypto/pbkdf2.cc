#include "crypto/pbkdf2.h"

#include <algorithm>
#include <array>

#include "crypto/sha256.h"

namespace dirbridge::crypto {
namespace {

std::string_view AsChars(const std::uint8_t* data, std::size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// HMAC-SHA256 with the key's inner and outer states hashed once (RFC 2104).
class KeyedHmac {
 public:
  explicit KeyedHmac(std::string_view key) {
    std::array<std::uint8_t, kSha256BlockBytes> block{};
    if (key.size() > kSha256BlockBytes) {
      const Sha256Bytes hashed = Sha256Digest(key);
      for (std::size_t i = 0; i < hashed.size(); ++i) block[i] = hashed[i];
    } else {
      for (std::size_t i = 0; i < key.size(); ++i) block[i] = static_cast<std::uint8_t>(key[i]);
    }
    std::array<std::uint8_t, kSha256BlockBytes> pad;
    for (std::size_t i = 0; i < pad.size(); ++i) pad[i] = block[i] ^ 0x36;
    inner_.Update(AsChars(pad.data(), pad.size()));
    for (std::size_t i = 0; i < pad.size(); ++i) pad[i] = block[i] ^ 0x5c;
    outer_.Update(AsChars(pad.data(), pad.size()));
  }

  Sha256Bytes Mac(std::string_view message) const {
    Sha256 inner = inner_;
    inner.Update(message);
    const Sha256Bytes inner_digest = inner.Finish();
    Sha256 outer = outer_;
    outer.Update(AsChars(inner_digest.data(), inner_digest.size()));
    return outer.Finish();
  }

 private:
  Sha256 inner_, outer_;
};

}  // namespace

Result<std::string> Pbkdf2HmacSha256(std::string_view password, std::string_view salt, std::uint32_t iterations,
                                     std::size_t dk_len) {
  if (iterations < 1 || iterations > kMaxPbkdf2Iterations) {
    return InvalidInput("PBKDF2 iterations must be from 1 to " + std::to_string(kMaxPbkdf2Iterations));
  }
  if (dk_len < 1 || dk_len > kMaxPbkdf2KeyBytes) {
    return InvalidInput("a PBKDF2 key must be from 1 to " + std::to_string(kMaxPbkdf2KeyBytes) + " bytes");
  }
  const KeyedHmac prf(password);
  std::string out;
  out.reserve(dk_len);
  for (std::uint32_t block = 1; out.size() < dk_len; ++block) {
    // U1 = PRF(P, S || INT(i)); T = U1 ^ U2 ^ ... ^ Uc (RFC 8018 §5.2 step 3).
    std::string first(salt);
    first.push_back(static_cast<char>(block >> 24));
    first.push_back(static_cast<char>(block >> 16));
    first.push_back(static_cast<char>(block >> 8));
    first.push_back(static_cast<char>(block));
    Sha256Bytes u = prf.Mac(first);
    Sha256Bytes t = u;
    for (std::uint32_t i = 1; i < iterations; ++i) {
      u = prf.Mac(AsChars(u.data(), u.size()));
      for (std::size_t j = 0; j < t.size(); ++j) t[j] ^= u[j];
    }
    std::size_t take = std::min<std::size_t>(t.size(), dk_len - out.size());
    out.append(AsChars(t.data(), take));
  }
  return out;
}

}  // namespace dirbridge::crypto
