// Readable output: aligned tables for listings, aligned "name: value" lines for one
// object. Every cell is made printable first (control characters, which a server
// could echo from untrusted input, become spaces: no terminal escapes get through)
// and cut to kMaxCellChars characters, so one long value cannot wreck a table.
// Widths count UTF-8 characters, not bytes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/printable.h"

namespace dirbridge::cli {

inline constexpr std::size_t kMaxCellChars = 60;    // a table cell
inline constexpr std::size_t kMaxFieldChars = 400;  // a value of RenderFields, a JSON value

class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  // Missing cells print empty; extra cells are dropped.
  void AddRow(std::vector<std::string> cells);
  std::size_t rows() const { return rows_.size(); }
  // The header line and one line per row; columns two spaces apart, the last unpadded.
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// "id:       abc\nkind:     okta\n": the names padded to the longest.
std::string RenderFields(const std::vector<std::pair<std::string, std::string>>& fields);

// A cell: Printable, at most `max_chars` characters ("…" marks a cut).
std::string CellText(std::string_view text, std::size_t max_chars = kMaxCellChars);
// A JSON value as text: a string as is, a number or bool as written, null or
// missing as "-", an array or object as compact JSON; Printable, at most
// kMaxFieldChars characters (a Table cuts its cells shorter).
std::string CellOf(const nlohmann::json* value);
// The member `name` of `object` as a cell ("-" when absent or not an object).
std::string CellAt(const nlohmann::json& object, const char* name);

}  // namespace dirbridge::cli
