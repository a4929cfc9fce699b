// Listing a SCIM resource type (RFC 7644 §3.4.2) over the provisioning engine, with
// work bounded whatever the tenant's size. One strategy per shape of query:
//   - an equality on an indexed attribute (provision/indexes.h) reads the index and
//     evaluates the rest of the filter on the candidates;
//   - `cursor` (RFC 9865) reads one page after the cursor, filtering within the bound;
//   - no filter and no sortBy walks by position (startIndex): the engine resumes where
//     an in-order walk left off, or skips a bounded number of ids; the total is a
//     counter;
//   - any other filter or a sortBy scans with a bound on work (ScanBudget);
//     past it the answer is 400 tooMany, never a timeout.
// A resource type plugs in through ResourceCollection.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "list_query.h"
#include "model/record_text.h"
#include "provision/directory.h"
#include "scim/filter.h"
#include "scim/schema.h"

namespace dirbridge::scim_function {

inline constexpr std::size_t kMaxScannedResources = 1000;

// The resources one scan may examine for `filter` (nullptr: none): kMaxScannedResources
// for a filter of at most 8 comparisons, fewer for a longer one, whose every
// evaluation costs more (1000 x 16 / (8 + c): 400 at the parser's 32), so that a scan
// stays within the same CPU time however long its filter.
std::size_t ScanBudget(const scim::FilterNode* filter);

struct ResourceBatch {
  std::vector<nlohmann::json> resources;  // rendered SCIM JSON
  std::string next_cursor;                // empty at the end
};

struct ResourceCollection {
  const scim::ResourceSchema& schema;
  Collection collection;
  // The attribute paths the store keeps an index on (provision/indexes.h).
  std::span<const std::string_view> indexed;
  // The resources an indexed equality selects, rendered (empty when none do), at most
  // kMaxScannedResources + 1 of them (more is tooMany).
  std::function<Result<std::vector<nlohmann::json>>(const scim::IndexedEquality&)> find_indexed;
  // Renders a stored record's text as its SCIM JSON text, without parsing it.
  std::function<std::string(const RecordText&)> render_text;
  // Completes a rendered resource with what its stored text lacks (a group's members),
  // when the response or the filter needs it. Unset: nothing is missing, and plain
  // pages are spliced from stored text.
  std::function<Status(nlohmann::json& resource)> complete;
};

// The ListResponse as JSON text, each resource projected per the query.
Result<std::string> ListResources(const ListQuery& query, const ResourceCollection& collection, Directory& directory);

}  // namespace dirbridge::scim_function
