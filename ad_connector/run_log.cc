#include "run_log.h"

#include <cstdio>
#include <ctime>

namespace dirbridge::ad {
namespace {

void Write(const char* level, const std::string& line) {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  std::fprintf(stderr, "%s %-5s %s\n", stamp, level, line.c_str());
  std::fflush(stderr);
}

}  // namespace

void RunLog::Info(const std::string& line) const { Write("info", line); }
void RunLog::Warn(const std::string& line) const { Write("warn", line); }
void RunLog::Error(const std::string& line) const { Write("error", line); }
void RunLog::Detail(const std::string& line) const {
  if (verbose_) Write("info", line);
}

}  // namespace dirbridge::ad
