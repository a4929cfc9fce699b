#include "table.h"

#include <algorithm>

#include "core/json_text.h"
#include "core/printable.h"

namespace dirbridge::cli {
namespace {

std::string Padded(const std::string& text, std::size_t width) {
  const std::size_t w = DisplayWidth(text);
  return w >= width ? text : text + std::string(width - w, ' ');
}

void AppendLine(std::string& out, const std::vector<std::string>& cells, const std::vector<std::size_t>& widths) {
  std::string line;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    const std::string& cell = i < cells.size() ? cells[i] : std::string();
    line += i + 1 == widths.size() ? cell : Padded(cell, widths[i]) + "  ";
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  out += line + "\n";
}

}  // namespace

std::string CellText(std::string_view text, std::size_t max_chars) { return Printable(text, max_chars); }

std::string CellOf(const nlohmann::json* value) {
  if (!value || value->is_null()) return "-";
  if (value->is_string()) return CellText(value->get_ref<const std::string&>(), kMaxFieldChars);
  if (value->is_boolean()) return value->get<bool>() ? "yes" : "no";
  return CellText(JsonText(*value), kMaxFieldChars);
}

std::string CellAt(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) return "-";
  auto it = object.find(name);
  return CellOf(it == object.end() ? nullptr : &*it);
}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  for (auto& c : cells) c = CellText(c);
  rows_.push_back(std::move(cells));
}

std::string Table::Render() const {
  std::vector<std::size_t> widths(headers_.size(), 0);
  for (std::size_t i = 0; i < headers_.size(); ++i) widths[i] = DisplayWidth(headers_[i]);
  for (const auto& row : rows_) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  std::string out;
  if (headers_.empty()) return out;
  AppendLine(out, headers_, widths);
  for (const auto& row : rows_) AppendLine(out, row, widths);
  return out;
}

std::string RenderFields(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::size_t width = 0;
  for (const auto& [name, value] : fields) width = std::max(width, DisplayWidth(name) + 1);
  std::string out;
  for (const auto& [name, value] : fields) {
    out += Padded(name + ":", width) + "  " + CellText(value, kMaxFieldChars) + "\n";
  }
  return out;
}

}  // namespace dirbridge::cli
