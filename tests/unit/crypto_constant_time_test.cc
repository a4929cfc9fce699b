#include <catch2/catch.hpp>

#include <string>

#include "crypto/constant_time.h"

using dirbridge::crypto::ConstantTimeEquals;

TEST_CASE("ConstantTimeEquals is true for identical inputs, including empty ones", "[crypto]") {
  CHECK(ConstantTimeEquals("", ""));
  CHECK(ConstantTimeEquals("secret-token", "secret-token"));
  CHECK(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
}

TEST_CASE("ConstantTimeEquals detects a difference at any position", "[crypto]") {
  const std::string reference(64, 'x');
  for (std::size_t i = 0; i < reference.size(); ++i) {
    std::string changed = reference;
    changed[i] = 'y';
    INFO("difference at " << i);
    CHECK_FALSE(ConstantTimeEquals(reference, changed));
  }
}

TEST_CASE("ConstantTimeEquals detects a difference in a single bit", "[crypto]") {
  for (int bit = 0; bit < 8; ++bit) {
    const std::string a(1, '\x00');
    const std::string b(1, static_cast<char>(1 << bit));
    CHECK_FALSE(ConstantTimeEquals(a, b));
  }
}

TEST_CASE("ConstantTimeEquals is false when only the lengths differ", "[crypto]") {
  CHECK_FALSE(ConstantTimeEquals("abc", "abcd"));
  CHECK_FALSE(ConstantTimeEquals("", "a"));
  CHECK_FALSE(ConstantTimeEquals(std::string("abc\0", 4), "abc"));
}
