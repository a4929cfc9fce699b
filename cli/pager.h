// Paged listings: asks for page after page, following the cursor each answer gives
// (`next`, or for events the sequence of the last one), and hands every item to the
// caller as it arrives, so --json output streams and memory stays flat. Bounded: at
// most kMaxPages pages, and a cursor that does not move is the server's fault
// (exit 7), never an endless loop. Progress goes to stderr when it is a terminal.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "admin_client.h"
#include "session.h"

namespace dirbridge::cli {

inline constexpr std::size_t kMaxPages = 100000;

struct PageSpec {
  std::string path;       // below /admin/v1, no query
  QueryParams query;      // fixed parameters (filters, limit)
  std::string items_key;  // the array in each page: "events"
  std::string what;       // for progress and messages: "events"
  std::string cursor_param = "after";
  // The cursor of the page after `page`, or nullopt at the end. Default: its "next".
  std::function<std::optional<std::string>(const nlohmann::json& page)> next;
  // The number of items all pages hold, when the first page says (for a bar).
  std::function<std::optional<std::size_t>(const nlohmann::json& page)> total;
  std::optional<std::size_t> max_items;  // stop after this many
};

// The "next" member as a cursor: a string, or a number written out.
std::optional<std::string> NextField(const nlohmann::json& page);

ExitCode PageThrough(Session& s, const PageSpec& spec, const std::string& first_cursor,
                     const std::function<void(const nlohmann::json& item)>& on_item);

}  // namespace dirbridge::cli
