#include "list_response.h"
#include "core/json_text.h"

#include <nlohmann/json.hpp>

#include "model/schema_urns.h"

namespace dirbridge::scim_function {

std::string ListResponseText(const std::vector<std::string>& resources, std::size_t total, std::size_t start_index,
                             const std::string& next_cursor) {
  std::size_t size = 160;
  for (const auto& r : resources) size += r.size() + 1;
  std::string out;
  out.reserve(size);
  out.append("{\"schemas\":[\"").append(kListResponseSchemaUrn).append("\"],\"totalResults\":");
  out.append(std::to_string(total)).append(",\"startIndex\":").append(std::to_string(start_index));
  out.append(",\"itemsPerPage\":").append(std::to_string(resources.size()));
  if (!next_cursor.empty()) out.append(",\"nextCursor\":").append(JsonText(nlohmann::json(next_cursor)));
  out.append(",\"Resources\":[");
  for (std::size_t i = 0; i < resources.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append(resources[i]);
  }
  out.append("]}");
  return out;
}

}  // namespace dirbridge::scim_function
