#include "core/json_text.h"
#include "resource_listing.h"

#include <algorithm>

#include "list_response.h"
#include "provision/resource_ids.h"
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

Result<std::string> RenderProjected(const ListQuery& q, const ResourceCollection& c, const json& resource) {
  DB_ASSIGN_OR_RETURN(auto projected, scim::ProjectResource(resource, c.schema, q.attributes, q.excluded_attributes));
  return JsonText(projected);
}

Result<std::string> Respond(const ListQuery& q, const ResourceCollection& c, const std::vector<json>& selected,
                            std::size_t total, std::size_t start_index, const std::string& next_cursor = {}) {
  std::vector<std::string> resources;
  resources.reserve(selected.size());
  for (const auto& r : selected) {
    DB_ASSIGN_OR_RETURN(auto text, RenderProjected(q, c, r));
    resources.push_back(std::move(text));
  }
  return ListResponseText(resources, total, start_index, next_cursor);
}

// Up to q.count resources after `after`, rendered: spliced from stored text when
// nothing needs projecting, else rendered and projected one by one.
struct RenderedPage {
  std::vector<std::string> resources;
  std::string last;  // the id of the last resource read
  bool more = true;  // false once the collection ended
};

// A page of resources after `after`, rendered from their stored text and parsed once.
Result<ResourceBatch> ParsedPage(const ResourceCollection& c, Directory& dir, const std::string& after,
                                 std::size_t limit) {
  DB_ASSIGN_OR_RETURN(auto texts, dir.Texts(c.collection, after, limit));
  ResourceBatch batch;
  batch.resources.reserve(texts.items.size());
  for (const auto& record : texts.items) {
    auto resource = json::parse(c.render_text(record), nullptr, false);
    if (resource.is_discarded()) return Corrupt("stored record " + record.id + " does not render as JSON");
    if (c.complete) DB_RETURN_IF_ERROR(c.complete(resource));
    batch.resources.push_back(std::move(resource));
  }
  batch.next_cursor = std::move(texts.next_cursor);
  return batch;
}

Result<RenderedPage> ReadPage(const ListQuery& q, const ResourceCollection& c, Directory& dir, std::string after) {
  const bool splice = !c.complete && q.attributes.empty() && q.excluded_attributes.empty();
  RenderedPage page;
  page.last = std::move(after);
  while (page.more && page.resources.size() < q.count) {
    const std::size_t want = std::min(kScanBatch, q.count - page.resources.size());
    std::string next;
    if (splice) {
      DB_ASSIGN_OR_RETURN(auto batch, dir.Texts(c.collection, page.last, want));
      for (const auto& r : batch.items) page.resources.push_back(c.render_text(r));
      next = std::move(batch.next_cursor);
    } else {
      DB_ASSIGN_OR_RETURN(auto batch, ParsedPage(c, dir, page.last, want));
      for (const auto& r : batch.resources) {
        DB_ASSIGN_OR_RETURN(auto text, RenderProjected(q, c, r));
        page.resources.push_back(std::move(text));
      }
      next = std::move(batch.next_cursor);
    }
    page.more = !next.empty();
    if (page.more) page.last = std::move(next);
  }
  return page;
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
  return Respond(q, c, page, total, q.start_index);
}

// 1. An indexed equality: read the index, evaluate the rest on the candidates.
Result<std::string> ListIndexed(const ListQuery& q, const ResourceCollection& c, const scim::FilterNode& filter,
                                const scim::IndexedEquality& eq) {
  DB_ASSIGN_OR_RETURN(auto candidates, c.find_indexed(eq));
  if (candidates.size() > kMaxScannedResources) {
    return TooMany("more than " + std::to_string(kMaxScannedResources) + " resources have " + eq.attribute + " '" +
                   eq.value + "'");
  }
  std::vector<json> matches;
  for (auto& r : candidates) {
    if (eq.exact || scim::Matches(filter, r, c.schema)) matches.push_back(std::move(r));
  }
  return PageOf(q, c, std::move(matches));
}

// 2. Cursor paging (RFC 9865): one page from the cursor, filtered within the bound.
Result<std::string> ListFromCursor(const ListQuery& q, const ResourceCollection& c, Directory& dir,
                                   const scim::FilterNode* filter) {
  if (!q.sort_by.empty()) return InvalidInput("'cursor' paging cannot be combined with 'sortBy'");
  // RFC 9865 §5: a cursor this server did not issue is invalidCursor.
  if (!q.cursor->empty() && !IsResourceId(*q.cursor)) {
    return InvalidInput("'cursor' is not one this server issued; start a walk with an empty cursor", "invalidCursor");
  }
  if (filter == nullptr) {
    DB_ASSIGN_OR_RETURN(uint64_t total, dir.Count(c.collection));
    DB_ASSIGN_OR_RETURN(auto page, ReadPage(q, c, dir, *q.cursor));
    return ListResponseText(page.resources, total, 1, page.more ? page.last : std::string());
  }
  std::vector<json> page;
  std::string cursor = *q.cursor;
  std::size_t scanned = 0;
  const std::size_t budget = ScanBudget(filter);
  while (page.size() < q.count && scanned < budget) {
    DB_ASSIGN_OR_RETURN(auto batch, ParsedPage(c, dir, cursor, std::min(kScanBatch, budget - scanned)));
    for (auto& r : batch.resources) {
      ++scanned;
      cursor = r.value("id", std::string());
      if (scim::Matches(*filter, r, c.schema)) page.push_back(std::move(r));
      if (page.size() == q.count || scanned == budget) break;
    }
    if (batch.next_cursor.empty() && page.size() < q.count) {
      cursor.clear();
      break;
    }
  }
  // The total of a filtered walk is unknown without a full scan.
  return Respond(q, c, page, 0, 1, cursor);
}

// 3. No filter, no sort: the total is a counter; the page starts where the engine
//    says position startIndex begins.
Result<std::string> ListByPosition(const ListQuery& q, const ResourceCollection& c, Directory& dir) {
  DB_ASSIGN_OR_RETURN(uint64_t total, dir.Count(c.collection));
  std::string after;
  if (q.count > 0 && q.start_index > 1) {
    DB_ASSIGN_OR_RETURN(auto cursor, dir.CursorAt(c.collection, q.start_index));
    if (!cursor) return ListResponseText({}, total, q.start_index);  // past the end
    after = std::move(*cursor);
  }
  DB_ASSIGN_OR_RETURN(auto page, ReadPage(q, c, dir, after));
  if (page.more && q.count > 0 && page.resources.size() == q.count) {
    DB_RETURN_IF_ERROR(dir.NotePosition(c.collection, q.start_index + q.count, page.last));
  }
  return ListResponseText(page.resources, total, q.start_index);
}

// 4. Anything else: a bounded scan.
Result<std::string> ListByScan(const ListQuery& q, const ResourceCollection& c, Directory& dir,
                               const scim::FilterNode* filter) {
  std::vector<json> matches;
  std::string after;
  std::size_t scanned = 0;
  const std::size_t budget = ScanBudget(filter);
  for (;;) {
    // Reads one past the bound, to tell "exactly at the bound" from "over it".
    const std::size_t want = std::min(kScanBatch, budget + 1 - scanned);
    DB_ASSIGN_OR_RETURN(auto batch, ParsedPage(c, dir, after, want));
    scanned += batch.resources.size();
    if (scanned > budget) {
      return TooMany("this query must examine more than " + std::to_string(budget) + " resources" +
                     (budget < kMaxScannedResources ? " (the bound for a filter of this many comparisons)" : ""));
    }
    for (auto& r : batch.resources) {
      if (filter == nullptr || scim::Matches(*filter, r, c.schema)) matches.push_back(std::move(r));
    }
    if (batch.next_cursor.empty()) break;
    after = batch.next_cursor;
  }
  return PageOf(q, c, std::move(matches));
}

}  // namespace

std::size_t ScanBudget(const scim::FilterNode* filter) {
  const std::size_t c = filter == nullptr ? 0 : scim::CountComparisons(*filter);
  if (c <= 8) return kMaxScannedResources;
  return kMaxScannedResources * 16 / (8 + c);
}

Result<std::string> ListResources(const ListQuery& q, const ResourceCollection& c, Directory& dir) {
  scim::FilterPtr filter;
  if (q.filter) {
    DB_ASSIGN_OR_RETURN(filter, scim::ParseFilter(*q.filter));
  }
  if (!q.sort_by.empty()) DB_RETURN_IF_ERROR(scim::ParseSortKey(q.sort_by, c.schema).status());
  DB_RETURN_IF_ERROR(scim::CheckProjection(c.schema, q.attributes, q.excluded_attributes));

  if (filter) {
    if (auto eq = scim::FindIndexedEquality(*filter, c.schema, c.indexed)) return ListIndexed(q, c, *filter, *eq);
  }
  if (q.cursor) return ListFromCursor(q, c, dir, filter.get());
  if (!filter && q.sort_by.empty()) return ListByPosition(q, c, dir);
  return ListByScan(q, c, dir, filter.get());
}

}  // namespace dirbridge::scim_function
