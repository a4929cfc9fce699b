#include "resource_listing.h"

#include <algorithm>

#include "list_response.h"
#include "scim/filter_evaluator.h"
#include "scim/filter_parser.h"
#include "scim/projection.h"

namespace dirbridge::scim_function {
namespace {

using nlohmann::json;

constexpr std::size_t kScanBatch = 200;

Error TooMany(const std::string& why) {
  return InvalidInput(why + "; narrow the filter (userName, externalId, emails or displayName equality use an index)"
                            " or page with 'cursor'",
                      "tooMany");
}

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// The ListResponse around already-rendered resources, as text.
std::string ListResponseText(const std::vector<std::string>& resources, std::size_t total, std::size_t start_index,
                             const std::string* next_cursor) {
  std::size_t size = 160;
  for (const auto& r : resources) size += r.size() + 1;
  std::string out;
  out.reserve(size);
  out.append("{\"schemas\":[\"").append(kListResponseSchema).append("\"],\"totalResults\":");
  out.append(std::to_string(total)).append(",\"startIndex\":").append(std::to_string(start_index));
  out.append(",\"itemsPerPage\":").append(std::to_string(resources.size()));
  if (next_cursor != nullptr && !next_cursor->empty()) out.append(",\"nextCursor\":").append(Dump(json(*next_cursor)));
  out.append(",\"Resources\":[");
  for (std::size_t i = 0; i < resources.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append(resources[i]);
  }
  out.append("]}");
  return out;
}

Result<std::string> Respond(const ListQuery& q, const ResourceCollection& c, std::vector<json> selected,
                            std::size_t total, std::size_t start_index, const std::string* next_cursor) {
  std::vector<std::string> resources;
  resources.reserve(selected.size());
  for (auto& r : selected) {
    DB_ASSIGN_OR_RETURN(auto projected, scim::ProjectResource(r, c.schema, q.attributes, q.excluded_attributes));
    resources.push_back(Dump(projected));
  }
  return ListResponseText(resources, total, start_index, next_cursor);
}

// Sorts (if asked) and cuts one page out of a fully materialised match list.
Result<std::string> PageOf(const ListQuery& q, const ResourceCollection& c, std::vector<json> matches) {
  if (!q.sort_by.empty()) {
    DB_ASSIGN_OR_RETURN(auto key, scim::ParseSortKey(q.sort_by, c.schema));
    std::stable_sort(matches.begin(), matches.end(), [&](const json& a, const json& b) {
      return scim::CompareForSort(a, b, key, q.descending) < 0;
    });
  }
  const std::size_t total = matches.size();
  std::vector<json> page;
  for (std::size_t i = q.start_index - 1; i < matches.size() && page.size() < q.count; ++i) {
    page.push_back(std::move(matches[i]));
  }
  return Respond(q, c, std::move(page), total, q.start_index, nullptr);
}

}  // namespace

Result<std::string> ListResources(const ListQuery& q, const ResourceCollection& c) {
  const bool plain_rendering = c.page_text && q.attributes.empty() && q.excluded_attributes.empty();
  scim::FilterPtr filter;
  if (q.filter) {
    DB_ASSIGN_OR_RETURN(filter, scim::ParseFilter(*q.filter));
  }
  if (!q.sort_by.empty()) DB_RETURN_IF_ERROR(scim::ParseSortKey(q.sort_by, c.schema).status());

  // 1. An indexed equality: read the index, evaluate the rest on the candidates.
  if (filter) {
    if (auto eq = scim::FindIndexedEquality(*filter, c.schema)) {
      DB_ASSIGN_OR_RETURN(auto candidates, c.find_indexed(*eq));
      if (candidates) {
        std::vector<json> matches;
        for (auto& r : *candidates) {
          if (eq->exact || scim::Matches(*filter, r, c.schema)) matches.push_back(std::move(r));
        }
        return PageOf(q, c, std::move(matches));
      }
    }
  }

  // 2. Cursor paging (RFC 9865): one page from the cursor, filtered within the bound.
  if (q.cursor) {
    if (!q.sort_by.empty()) return InvalidInput("'cursor' paging cannot be combined with 'sortBy'");
    if (!filter && plain_rendering) {
      std::vector<std::string> page;
      std::string cursor = *q.cursor;
      while (page.size() < q.count) {
        DB_ASSIGN_OR_RETURN(auto batch, c.page_text(cursor, std::min(kScanBatch, q.count - page.size())));
        for (auto& r : batch.resources) page.push_back(std::move(r));
        cursor = batch.next_cursor;
        if (cursor.empty()) break;
      }
      DB_ASSIGN_OR_RETURN(uint64_t total, c.count());
      return ListResponseText(page, total, 1, &cursor);
    }
    std::vector<json> page;
    std::string cursor = *q.cursor;
    std::size_t scanned = 0;
    while (page.size() < q.count) {
      const std::size_t want = filter ? kScanBatch : std::min(kScanBatch, q.count - page.size());
      DB_ASSIGN_OR_RETURN(auto batch, c.page(cursor, want));
      for (auto& r : batch.resources) {
        ++scanned;
        cursor = r.value("id", std::string());
        if (!filter || scim::Matches(*filter, r, c.schema)) page.push_back(std::move(r));
        if (page.size() == q.count) break;
      }
      if (batch.next_cursor.empty() && page.size() < q.count) { cursor.clear(); break; }
      if (scanned >= kMaxScannedResources) break;
    }
    DB_ASSIGN_OR_RETURN(uint64_t total, c.count());
    return Respond(q, c, std::move(page), filter ? 0 : total, 1, &cursor);
  }

  // 3. No filter, no sort: the total is a counter; the page starts at a hint, or
  //    after skipping ids (cheap: no record is read), then reads `count` records.
  if (!filter && q.sort_by.empty()) {
    DB_ASSIGN_OR_RETURN(uint64_t total, c.count());
    std::string cursor;
    std::size_t to_skip = q.start_index - 1;
    if (to_skip > 0 && q.count > 0) {
      DB_ASSIGN_OR_RETURN(auto hint, c.find_hint(q.start_index));
      if (hint) {
        cursor = std::move(*hint);
        to_skip = 0;
      } else if (to_skip > kMaxSkippedResources) {
        return TooMany("startIndex " + std::to_string(q.start_index) + " is more than " +
                       std::to_string(kMaxSkippedResources) +
                       " resources ahead of any page this collection has served in order");
      }
    }
    while (to_skip > 0 && q.count > 0) {
      DB_ASSIGN_OR_RETURN(auto ids, c.ids(cursor, std::min<std::size_t>(to_skip, 1000)));
      if (ids.empty()) break;
      cursor = ids.back();
      to_skip -= ids.size();
    }
    std::vector<json> page;
    std::vector<std::string> page_text;
    bool more = to_skip == 0;
    while (more && page.size() + page_text.size() < q.count) {
      const std::size_t want = std::min(kScanBatch, q.count - page.size() - page_text.size());
      if (plain_rendering) {
        DB_ASSIGN_OR_RETURN(auto batch, c.page_text(cursor, want));
        for (auto& r : batch.resources) page_text.push_back(std::move(r));
        more = !batch.next_cursor.empty();
        if (more) cursor = batch.next_cursor;
      } else {
        DB_ASSIGN_OR_RETURN(auto batch, c.page(cursor, want));
        for (auto& r : batch.resources) page.push_back(std::move(r));
        more = !batch.next_cursor.empty();
        if (more) cursor = batch.next_cursor;
      }
    }
    if (more && page.size() + page_text.size() == q.count && q.count > 0) {
      DB_RETURN_IF_ERROR(c.remember_hint(q.start_index + q.count, cursor));
    }
    if (plain_rendering) return ListResponseText(page_text, total, q.start_index, nullptr);
    return Respond(q, c, std::move(page), total, q.start_index, nullptr);
  }

  // 4. Anything else: a bounded scan.
  std::vector<json> matches;
  std::string cursor;
  std::size_t scanned = 0;
  for (;;) {
    DB_ASSIGN_OR_RETURN(auto batch, c.page(cursor, kScanBatch));
    for (auto& r : batch.resources) {
      if (!filter || scim::Matches(*filter, r, c.schema)) matches.push_back(std::move(r));
    }
    scanned += batch.resources.size();
    if (batch.next_cursor.empty()) break;
    if (scanned >= kMaxScannedResources) {
      return TooMany("this query must examine more than " + std::to_string(kMaxScannedResources) + " resources");
    }
    cursor = batch.next_cursor;
  }
  return PageOf(q, c, std::move(matches));
}

}  // namespace dirbridge::scim_function
