#include "model/json_fields.h"

#include "core/ascii.h"

namespace dirbridge::json_fields {
namespace {
std::string Where(std::string_view where, std::string_view name) {
  return where.empty() ? std::string(name) : std::string(where) + "." + std::string(name);
}
}  // namespace

const nlohmann::json* Find(const nlohmann::json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  auto exact = object.find(std::string(name));
  if (exact != object.end()) return &*exact;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (EqualsIgnoreCase(it.key(), name)) return &it.value();
  }
  return nullptr;
}

nlohmann::json* Find(nlohmann::json& object, std::string_view name) {
  return const_cast<nlohmann::json*>(Find(static_cast<const nlohmann::json&>(object), name));
}

Status ReadString(const nlohmann::json& object, std::string_view name, std::string_view where, std::string* out) {
  const auto* v = Find(object, name);
  if (v == nullptr || v->is_null()) return Status::Ok();
  if (!v->is_string()) return InvalidInput("attribute '" + Where(where, name) + "' must be a string");
  *out = v->get<std::string>();
  return Status::Ok();
}

Status ReadBool(const nlohmann::json& object, std::string_view name, std::string_view where, bool* out) {
  const auto* v = Find(object, name);
  if (v == nullptr || v->is_null()) return Status::Ok();
  if (!v->is_boolean()) return InvalidInput("attribute '" + Where(where, name) + "' must be a boolean");
  *out = v->get<bool>();
  return Status::Ok();
}

std::string StringAt(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) return {};
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t IntAt(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) return 0;
  auto it = object.find(name);
  return it != object.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

uint64_t UintAt(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) return 0;
  auto it = object.find(name);
  return it != object.end() && it->is_number_unsigned() ? it->get<uint64_t>() : 0;
}

void WriteIfNotEmpty(nlohmann::json& object, const char* name, const std::string& value) {
  if (!value.empty()) object[name] = value;
}

}  // namespace dirbridge::json_fields
