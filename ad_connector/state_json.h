// Lenient readers of the state file's JSON members (sync_state.h, directory_mirror.h):
// a member that is absent or of another type reads as empty, and the caller decides
// whether empty is broken.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace dirbridge::ad::state_json {

inline std::string Text(const nlohmann::json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

inline std::int64_t Number(const nlohmann::json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

inline bool Flag(const nlohmann::json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_boolean() && it->get<bool>();
}

}  // namespace dirbridge::ad::state_json
