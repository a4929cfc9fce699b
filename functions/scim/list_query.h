// The parameters of a SCIM query (RFC 7644 §3.4.2, §3.4.3), from a GET's URL or a
// POST /.search body, validated: filter, startIndex, count, sortBy, sortOrder,
// attributes, excludedAttributes, and cursor (RFC 9865 cursor paging).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/http_message.h"
#include "core/result.h"

namespace dirbridge::scim_function {

inline constexpr std::size_t kDefaultPageSize = 100;
inline constexpr std::size_t kMaxPageSize = 1000;

struct ListQuery {
  std::optional<std::string> filter;
  std::size_t start_index = 1;
  std::size_t count = kDefaultPageSize;
  std::string sort_by;
  bool descending = false;
  std::string attributes;
  std::string excluded_attributes;
  std::optional<std::string> cursor;  // "" = first page of a cursor walk
};

Result<ListQuery> ListQueryFromUrl(const std::vector<QueryParameter>& params);
Result<ListQuery> ListQueryFromSearchBody(const nlohmann::json& body);
// POST {resource}/.search: the request's body as a query.
Result<ListQuery> ListQueryFromSearchRequest(const HttpRequest& request);

}  // namespace dirbridge::scim_function
