// What the connector tells an admin, one line per fact on standard error:
//   2026-11-27T07:00:00Z info  run 42: 3 created, 1 updated, 0 disabled (ldap: 4 searches, 5 pages)
// Text from the directory or the edge is untrusted: Printable() (core/printable.h)
// blanks control characters and cuts it, so a value cannot forge a log line.
#pragma once

#include <string>
#include <string_view>

#include "core/printable.h"

namespace dirbridge::ad {

class RunLog {
 public:
  explicit RunLog(bool verbose = false) : verbose_(verbose) {}
  void Info(const std::string& line) const;
  void Warn(const std::string& line) const;
  void Error(const std::string& line) const;
  // Only with --verbose: one line per change sent.
  void Detail(const std::string& line) const;
  bool verbose() const { return verbose_; }

 private:
  bool verbose_;
};

}  // namespace dirbridge::ad
