#include "scim/rendering.h"

namespace dirbridge::scim {
namespace {
void AddMeta(nlohmann::json& j, const char* resource_type, std::string_view base_url, const char* collection,
             const std::string& id, const ResourceMeta& meta) {
  j["meta"] = {{"resourceType", resource_type},
               {"created", meta.created},
               {"lastModified", meta.last_modified},
               {"location", std::string(base_url) + "/" + collection + "/" + id},
               {"version", meta.ETag()}};
}
}  // namespace

nlohmann::json RenderUser(const User& user, std::string_view base_url) {
  nlohmann::json j = UserToJson(user);
  nlohmann::json schemas = {kUserSchema};
  if (!user.enterprise.empty()) schemas.push_back(kEnterpriseUserSchema);
  j["schemas"] = std::move(schemas);
  AddMeta(j, "User", base_url, "Users", user.id, user.meta);
  return j;
}

nlohmann::json RenderGroup(const Group& group, std::string_view base_url) {
  nlohmann::json j = GroupToJson(group);
  j["schemas"] = {kGroupSchema};
  AddMeta(j, "Group", base_url, "Groups", group.id, group.meta);
  return j;
}

}  // namespace dirbridge::scim
