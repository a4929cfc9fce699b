// Listing any SCIM resource type with filter, sort and paging, without ever
// loading a whole collection:
//   - an equality on an indexed attribute reads the index, then only candidates;
//   - no filter and no sortBy walks the collection by cursor and takes the total
//     from a counter; index paging resumes from a page hint (provision/page_hints.h)
//     when the client walks in order, else skips ids without reading records, at
//     most kMaxSkippedResources of them;
//   - any other filter or a sortBy scans by cursor with a bound on work
//     (kMaxScannedResources); past it the answer is 400 tooMany, never a timeout.
// A resource type plugs in through ResourceCollection.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "list_query.h"
#include "scim/filter.h"
#include "scim/schema.h"

namespace dirbridge::scim_function {

inline constexpr std::size_t kMaxScannedResources = 10000;
inline constexpr std::size_t kMaxSkippedResources = 1000;

struct ResourceBatch {
  std::vector<nlohmann::json> resources;  // rendered SCIM JSON
  std::string next_cursor;                // empty at the end
};

// A page already rendered as JSON text (spliced from stored records).
struct RenderedBatch {
  std::vector<std::string> resources;
  std::string next_cursor;
};

struct ResourceCollection {
  const scim::ResourceSchema& schema;
  // Candidates for an indexed equality, or nullopt when that attribute has no index.
  std::function<Result<std::optional<std::vector<nlohmann::json>>>(const scim::IndexedEquality&)> find_indexed;
  std::function<Result<ResourceBatch>(const std::string& cursor, std::size_t limit)> page;
  std::function<Result<uint64_t>()> count;
  // The ids after a cursor, without reading the records (for skipping ahead).
  std::function<Result<std::vector<std::string>>(const std::string& cursor, std::size_t limit)> ids;
  // Page hints: where index paging resumes (see provision/page_hints.h).
  std::function<Result<std::optional<std::string>>(std::size_t start_index)> find_hint;
  std::function<Status(std::size_t start_index, const std::string& cursor)> remember_hint;
  // Optional fast path for plain pages (no filter, sort or projection): the page
  // rendered straight from the stored text. Unset: `page` is used.
  std::function<Result<RenderedBatch>(const std::string& cursor, std::size_t limit)> page_text;
};

// The ListResponse as JSON text, each resource projected per the query.
Result<std::string> ListResources(const ListQuery& query, const ResourceCollection& collection);

}  // namespace dirbridge::scim_function
