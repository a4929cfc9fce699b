// RFC 7644 §3.4.2 list responses, written around resources that are already
// rendered as JSON text (so a page is never parsed back just to be wrapped).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace dirbridge::scim_function {


// `next_cursor` (RFC 9865) is written when non-empty.
std::string ListResponseText(const std::vector<std::string>& resources, std::size_t total, std::size_t start_index,
                             const std::string& next_cursor = {});

}  // namespace dirbridge::scim_function
