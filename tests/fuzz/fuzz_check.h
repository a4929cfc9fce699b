// What every harness uses to state a property: a violated property prints what was
// expected and the value that broke it, then traps, so libFuzzer records the input
// as a crash (crash-<sha1>) like any sanitizer report.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace dirbridge::fuzz {

[[noreturn]] inline void PropertyFailed(const char* file, int line, const char* property, std::string_view detail) {
  std::fprintf(stderr, "\n==== fuzz property violated (%s:%d): %s\n", file, line, property);
  if (!detail.empty()) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(detail.size() > 4000 ? 4000 : detail.size()), detail.data());
  }
  std::fflush(stderr);
  __builtin_trap();
}

}  // namespace dirbridge::fuzz

// FUZZ_CHECK(condition, detail): `detail` (anything convertible to std::string_view)
// is evaluated only when the condition fails.
#define FUZZ_CHECK(condition, detail)                                                              \
  do {                                                                                             \
    if (!(condition)) ::dirbridge::fuzz::PropertyFailed(__FILE__, __LINE__, #condition, (detail)); \
  } while (0)
