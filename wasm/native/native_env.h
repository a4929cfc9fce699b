// A native host for tests, benchmarks and native tools: the real clock and the
// operating system's randomness, or (for reproducible tests) a settable clock and
// a seeded generator. Settings come from a map the caller fills.
#pragma once

#include <map>
#include <random>
#include <string>

#include "core/env.h"

namespace dirbridge {

class NativeEnv : public Env {
 public:
  // deterministic: fixed start time, advanced by hand, and seeded (not secure) bytes.
  explicit NativeEnv(bool deterministic = false, uint64_t seed = 42);

  int64_t NowMillis() override;
  void RandomBytes(uint8_t* out, std::size_t len) override;
  void Log(LogLevel level, std::string_view message) override;
  std::optional<std::string> Config(std::string_view name) override;

  void SetConfig(std::string name, std::string value) { config_[std::move(name)] = std::move(value); }
  void AdvanceMillis(int64_t ms) { now_ms_ += ms; }
  // The last line logged (tests check that secrets never reach the log).
  const std::string& last_log() const { return last_log_; }
  void set_quiet(bool quiet) { quiet_ = quiet; }

 private:
  bool deterministic_;
  int64_t now_ms_ = 1764000000000;  // 2025-11-24, for deterministic runs
  std::mt19937_64 prng_;
  std::map<std::string, std::string, std::less<>> config_;
  std::string last_log_;
  bool quiet_ = true;
};

}  // namespace dirbridge
