// The output of a listing: with --json one JSON line per item as it arrives; else the
// items become the rows of a table printed at the end (or a note when there are none).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "session.h"
#include "table.h"

namespace dirbridge::cli {

class Listing {
 public:
  using RowOf = std::function<std::vector<std::string>(const nlohmann::json& item)>;
  Listing(Session& s, std::vector<std::string> headers, RowOf row, std::string none)
      : s_(s), table_(std::move(headers)), row_(std::move(row)), none_(std::move(none)) {}

  void Add(const nlohmann::json& item);
  // Prints the table when the listing succeeded; passes `code` on.
  ExitCode Finish(ExitCode code);
  std::size_t count() const { return count_; }

 private:
  Session& s_;
  Table table_;
  RowOf row_;
  std::string none_;
  std::size_t count_ = 0;
};

}  // namespace dirbridge::cli
