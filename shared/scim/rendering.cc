#include "scim/rendering.h"

#include "model/schema_urns.h"
#include "store/record_text.h"

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
  j["schemas"] = UserSchemas(user);
  AddMeta(j, "User", base_url, "Users", user.id, user.meta);
  return j;
}

nlohmann::json RenderGroup(const Group& group, std::string_view base_url) {
  nlohmann::json j = GroupToJson(group);
  j["schemas"] = {kGroupSchemaUrn};
  AddMeta(j, "Group", base_url, "Groups", group.id, group.meta);
  return j;
}

std::optional<std::string> RenderRecordText(std::string_view record_text, std::string_view resource_type,
                                           std::string_view base_url, std::string_view collection,
                                           std::string_view id) {
  auto view = ViewRecordText(record_text);
  if (!view) return std::nullopt;
  const std::string location = nlohmann::json(std::string(base_url) + "/" + std::string(collection) + "/" +
                                              std::string(id))
                                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(record_text.size() + location.size() + 64);
  out.append("{\"meta\":{\"created\":\"").append(view->created);
  out.append("\",\"lastModified\":\"").append(view->last_modified);
  out.append("\",\"location\":").append(location);
  out.append(",\"resourceType\":\"").append(resource_type);
  out.append("\",\"version\":\"W/\\\"").append(std::to_string(view->version)).append("\\\"\"}");
  out.append(view->rest);
  return out;
}

}  // namespace dirbridge::scim
