#include "scim/rendering.h"
#include "core/json_text.h"

#include "model/schema_urns.h"

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

std::string RenderRecordText(const RecordText& record, std::string_view resource_type, std::string_view base_url,
                             std::string_view collection) {
  const auto dump = [](const std::string& s) {
    return JsonText(nlohmann::json(s));
  };
  const std::string location = dump(std::string(base_url) + "/" + std::string(collection) + "/" + record.id);
  std::string out;
  out.reserve(record.members_tail.size() + location.size() + 128);
  out.append("{\"meta\":{\"created\":").append(dump(record.meta.created));
  out.append(",\"lastModified\":").append(dump(record.meta.last_modified));
  out.append(",\"location\":").append(location);
  out.append(",\"resourceType\":\"").append(resource_type);
  out.append("\",\"version\":\"W/\\\"").append(std::to_string(record.meta.version)).append("\\\"\"}");
  out.append(record.members_tail);
  return out;
}

}  // namespace dirbridge::scim
