#include "normalize/scim11_shapes.h"

#include <string_view>

#include "core/ascii.h"
#include "model/schema_urns.h"

namespace dirbridge {
namespace {

using nlohmann::json;

constexpr std::string_view kScim11Enterprise = "urn:scim:schemas:extension:enterprise:1.0";
constexpr std::string_view kScim11CoreNames[] = {"urn:scim:schemas:core:2.0", "urn:scim:schemas:core:1.0"};
constexpr std::string_view kMultiValued[] = {"emails",       "phoneNumbers", "ims",   "photos",          "addresses",
                                             "entitlements", "roles",        "groups", "x509Certificates"};

// The key of `object` equal to `name` ignoring case, or nullptr.
const std::string* KeyNamed(const json& object, std::string_view name) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (EqualsIgnoreCase(it.key(), name)) return &it.key();
  }
  return nullptr;
}

void RenameSchemas(json& resource) {
  const std::string* key = KeyNamed(resource, "schemas");
  if (key == nullptr || !resource[*key].is_array()) return;
  for (auto& urn : resource[*key]) {
    if (!urn.is_string()) continue;
    // Decide first, assign after: assigning frees the string `urn` held.
    const std::string_view s = urn.get_ref<const std::string&>();
    std::string_view renamed;
    if (EqualsIgnoreCase(s, kScim11Enterprise)) renamed = kEnterpriseUserSchemaUrn;
    for (auto core : kScim11CoreNames) {
      if (EqualsIgnoreCase(s, core)) renamed = kUserSchemaUrn;
    }
    if (!renamed.empty()) urn = renamed;
  }
}

void RenameEnterprise(json& resource) {
  const std::string* old_key = KeyNamed(resource, kScim11Enterprise);
  if (old_key == nullptr || KeyNamed(resource, kEnterpriseUserSchemaUrn) != nullptr) return;
  json extension = std::move(resource[*old_key]);
  resource.erase(*old_key);
  if (extension.is_object()) {
    if (const std::string* m = KeyNamed(extension, "manager"); m != nullptr && extension[*m].is_object()) {
      json& manager = extension[*m];
      if (const std::string* id = KeyNamed(manager, "managerId"); id != nullptr && KeyNamed(manager, "value") == nullptr) {
        json value = std::move(manager[*id]);
        manager.erase(*id);
        manager["value"] = std::move(value);
      }
    }
  }
  resource[kEnterpriseUserSchemaUrn] = std::move(extension);
}

}  // namespace

void NormalizeScim11Shapes(json& resource) {
  if (!resource.is_object()) return;
  for (auto name : kMultiValued) {
    const std::string* key = KeyNamed(resource, name);
    if (key != nullptr && resource[*key].is_object()) resource[*key] = json::array({std::move(resource[*key])});
  }
  RenameSchemas(resource);
  RenameEnterprise(resource);
}

}  // namespace dirbridge
