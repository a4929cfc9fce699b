// Comparison of secrets (MAC tags, tokens, password hashes) whose running time
// does not reveal where two equal-length inputs first differ, so an attacker
// cannot recover a secret byte by byte from response timings. Inputs of
// different lengths return false at once: the length of the value is treated as
// public (a tag or digest has a fixed length anyway). When the length itself is
// secret, compare fixed-length digests of the values instead.
#pragma once

#include <string_view>

namespace dirbridge::crypto {

bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace dirbridge::crypto
