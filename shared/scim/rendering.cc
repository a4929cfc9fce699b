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

namespace {

// Text that can stand between JSON quotes as it is: printable ASCII but '"' and '\\'
// (ids and the timestamps dirbridge writes). Anything else goes through the encoder.
bool IsPlainJsonText(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
  }
  return true;
}

// `s` as the inside of a JSON string (no quotes).
void AppendJsonStringBody(std::string& out, std::string_view s) {
  if (IsPlainJsonText(s)) {
    out.append(s);
    return;
  }
  const std::string quoted = JsonText(nlohmann::json(std::string(s)));
  out.append(quoted, 1, quoted.size() - 2);
}

}  // namespace

RecordTextRenderer::RecordTextRenderer(std::string_view resource_type, std::string_view base_url,
                                       std::string_view collection) {
  location_prefix_ = JsonText(nlohmann::json(std::string(base_url) + "/" + std::string(collection) + "/"));
  location_prefix_.pop_back();  // the closing quote: the id follows
  meta_tail_ = "\",\"resourceType\":";
  meta_tail_.append(JsonText(nlohmann::json(std::string(resource_type))));
  meta_tail_.append(",\"version\":\"W/\\\"");
}

std::string RecordTextRenderer::Render(const RecordText& record) const {
  const std::string_view tail = record.Of(record.members_tail);
  std::string out;
  out.reserve(tail.size() + location_prefix_.size() + record.id.size() + 160);
  out.append("{\"meta\":{\"created\":\"");
  AppendJsonStringBody(out, record.Of(record.created));
  out.append("\",\"lastModified\":\"");
  AppendJsonStringBody(out, record.Of(record.last_modified));
  out.append("\",\"location\":").append(location_prefix_);
  AppendJsonStringBody(out, record.id);
  out.append(meta_tail_).append(std::to_string(record.version)).append("\\\"\"}");
  out.append(tail);
  return out;
}

}  // namespace dirbridge::scim
