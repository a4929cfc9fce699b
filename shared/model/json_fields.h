// Typed reads of optional JSON members with specific errors ("'title' must be a
// string"), shared by the models' from-JSON functions. Member names are matched
// case-insensitively, as SCIM attribute names are.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace dirbridge::json_fields {

// The member of `object` whose name equals `name` ignoring ASCII case, or nullptr.
const nlohmann::json* Find(const nlohmann::json& object, std::string_view name);
nlohmann::json* Find(nlohmann::json& object, std::string_view name);

// Reads an optional string member into *out (left unchanged when absent or null).
Status ReadString(const nlohmann::json& object, std::string_view name, std::string_view where, std::string* out);
Status ReadBool(const nlohmann::json& object, std::string_view name, std::string_view where, bool* out);

// The member `name` (exact case) of `object` when it is a string, else "": for reading
// what a remote service sent, where a missing or mistyped member means "not given".
std::string StringAt(const nlohmann::json& object, const char* name);
// The member `name` of `object` when it is an integer, else 0.
int64_t IntAt(const nlohmann::json& object, const char* name);
// The member `name` of `object` when it is a non-negative integer, else 0.
uint64_t UintAt(const nlohmann::json& object, const char* name);

// Writes `value` under `name` unless it is empty.
void WriteIfNotEmpty(nlohmann::json& object, const char* name, const std::string& value);

}  // namespace dirbridge::json_fields
