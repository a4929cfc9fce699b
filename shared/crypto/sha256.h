// SHA-256 (FIPS 180-4 §6.2). Sha256 hashes a message fed in any number of pieces;
// the digest depends only on the concatenation of the pieces, never on how they
// were split. Finish() returns the 32-byte digest and leaves the object spent:
// call Reset() before hashing another message. Pure computation: no allocation,
// no I/O, no exceptions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dirbridge::crypto {

inline constexpr std::size_t kSha256DigestBytes = 32;
inline constexpr std::size_t kSha256BlockBytes = 64;

using Sha256Bytes = std::array<uint8_t, kSha256DigestBytes>;

class Sha256 {
 public:
  Sha256() { Reset(); }

  // Starts a new message, discarding anything fed so far.
  void Reset();

  // Appends `data` to the message.
  void Update(std::string_view data);

  // Pads the message and returns its digest. The padding has then been mixed
  // into the state, so further Update/Finish calls without a Reset() produce
  // meaningless digests.
  Sha256Bytes Finish();

 private:
  void CompressBlock(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, kSha256BlockBytes> buffer_;
  std::size_t buffered_ = 0;      // bytes waiting in buffer_ for a full block
  uint64_t message_bytes_ = 0;    // total length so far, for the final length field
};

// The digest of `data` in one call.
Sha256Bytes Sha256Digest(std::string_view data);

// The digest of `data` as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view data);

}  // namespace dirbridge::crypto
