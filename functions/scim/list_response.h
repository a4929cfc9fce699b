// RFC 7644 §3.4.2 list responses.
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

namespace dirbridge::scim_function {

inline constexpr const char* kListResponseSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

inline nlohmann::json ListResponse(nlohmann::json resources, std::size_t total_results, std::size_t start_index) {
  const std::size_t items = resources.size();
  return {{"schemas", {kListResponseSchema}},
          {"totalResults", total_results},
          {"startIndex", start_index},
          {"itemsPerPage", items},
          {"Resources", std::move(resources)}};
}

}  // namespace dirbridge::scim_function
