// JSON as text for every output of dirbridge (answers, envelopes, stored records):
// compact, and text that is not valid UTF-8 is replaced with U+FFFD. The strict
// json::dump() aborts on such text under JSON_NOEXCEPTION, so it is never called.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace dirbridge {

inline std::string JsonText(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace dirbridge
