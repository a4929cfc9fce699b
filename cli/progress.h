// Progress of a long, paged listing (events, audit, users, effects) on stderr, one
// line redrawn in place, and only when stderr is a terminal: a script reading the
// output, or a log, never sees it. With a known total it is a bar; otherwise a count.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>

namespace dirbridge::cli {

class Progress {
 public:
  Progress(std::ostream& err, bool enabled, std::string what) : err_(err), enabled_(enabled), what_(std::move(what)) {}
  ~Progress() { Done(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void Update(std::size_t done, std::optional<std::size_t> total = std::nullopt);
  // Clears the line (the listing is printed after it).
  void Done();

  // The line drawn: "events  [#####-----]  50/100" or "events  1200 fetched".
  static std::string Line(const std::string& what, std::size_t done, std::optional<std::size_t> total);

 private:
  std::ostream& err_;
  bool enabled_;
  std::string what_;
  std::size_t drawn_ = 0;  // characters on the line now
};

// Whether stderr is a terminal.
bool StderrIsTerminal();

}  // namespace dirbridge::cli
