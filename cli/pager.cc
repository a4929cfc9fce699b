#include "pager.h"

#include "progress.h"

namespace dirbridge::cli {

std::optional<std::string> NextField(const nlohmann::json& page) {
  auto it = page.find("next");
  if (it == page.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_unsigned()) return std::to_string(it->get<uint64_t>());
  return std::nullopt;
}

ExitCode PageThrough(Session& s, const PageSpec& spec, const std::string& first_cursor,
                     const std::function<void(const nlohmann::json& item)>& on_item) {
  Progress progress(s.err(), s.progress_enabled(), spec.what);
  std::string cursor = first_cursor;
  std::size_t seen = 0;
  std::optional<std::size_t> total;
  for (std::size_t pages = 0; pages < kMaxPages; ++pages) {
    QueryParams query = spec.query;
    query.emplace_back(spec.cursor_param, cursor);
    auto answer = s.CallJson("GET", WithQuery(spec.path, query));
    if (!answer.ok()) return answer.code;
    const auto& page = answer.body;
    const nlohmann::json* items = ArrayMember(page, spec.items_key.c_str());
    if (!items) {
      return s.BadAnswer("a page of " + spec.what + " without a '" + spec.items_key + "' array");
    }
    if (pages == 0 && spec.total) total = spec.total(page);
    for (const auto& item : *items) {
      if (spec.max_items && seen >= *spec.max_items) return ExitCode::kOk;
      on_item(item);
      ++seen;
    }
    progress.Update(seen, total);
    auto next = spec.next ? spec.next(page) : NextField(page);
    if (!next || items->empty()) return ExitCode::kOk;
    if (*next == cursor) return s.BadAnswer("the " + spec.what + " cursor did not move (" + *next + ")");
    cursor = *next;
  }
  return s.BadAnswer("more than " + std::to_string(kMaxPages) + " pages of " + spec.what);
}

}  // namespace dirbridge::cli
