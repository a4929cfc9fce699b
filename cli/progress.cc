#include "progress.h"

#include <unistd.h>

#include <algorithm>

namespace dirbridge::cli {

namespace {
constexpr std::size_t kBarWidth = 30;
}

std::string Progress::Line(const std::string& what, std::size_t done, std::optional<std::size_t> total) {
  if (!total || *total == 0) return what + "  " + std::to_string(done) + " fetched";
  const std::size_t shown = std::min(done, *total);
  const std::size_t filled = shown * kBarWidth / *total;
  return what + "  [" + std::string(filled, '#') + std::string(kBarWidth - filled, '-') + "]  " +
         std::to_string(shown) + "/" + std::to_string(*total);
}

void Progress::Update(std::size_t done, std::optional<std::size_t> total) {
  if (!enabled_) return;
  const std::string line = Line(what_, done, total);
  err_ << '\r' << line;
  if (line.size() < drawn_) err_ << std::string(drawn_ - line.size(), ' ');
  err_.flush();
  drawn_ = std::max(drawn_, line.size());
}

void Progress::Done() {
  if (!enabled_ || drawn_ == 0) return;
  err_ << '\r' << std::string(drawn_, ' ') << '\r';
  err_.flush();
  drawn_ = 0;
}

bool StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

}  // namespace dirbridge::cli
