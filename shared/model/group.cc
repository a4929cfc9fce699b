#include "model/group.h"

#include "model/json_fields.h"

namespace dirbridge {

namespace jf = json_fields;
using nlohmann::json;

json GroupToJson(const Group& g) {
  json j = json::object();
  jf::WriteIfNotEmpty(j, "id", g.id);
  jf::WriteIfNotEmpty(j, "externalId", g.external_id);
  j["displayName"] = g.display_name;
  if (g.meta.version > 0) {
    j["meta"] = {{"created", g.meta.created}, {"lastModified", g.meta.last_modified}, {"version", g.meta.version}};
  }
  return j;
}

Result<Group> GroupFromJson(const json& j) {
  if (!j.is_object()) return InvalidInput("a Group must be a JSON object", "invalidSyntax");
  Group g;
  DB_RETURN_IF_ERROR(jf::ReadString(j, "id", "", &g.id));
  DB_RETURN_IF_ERROR(jf::ReadString(j, "externalId", "", &g.external_id));
  DB_RETURN_IF_ERROR(jf::ReadString(j, "displayName", "", &g.display_name));
  if (g.display_name.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidInput("attribute 'displayName' is required and must not be empty");
  }
  if (const json* meta = jf::Find(j, "meta"); meta != nullptr && meta->is_object()) {
    const json* version = jf::Find(*meta, "version");
    if (version != nullptr && version->is_number_unsigned()) {
      g.meta.version = version->get<uint64_t>();
      DB_RETURN_IF_ERROR(jf::ReadString(*meta, "created", "meta", &g.meta.created));
      DB_RETURN_IF_ERROR(jf::ReadString(*meta, "lastModified", "meta", &g.meta.last_modified));
    }
  }
  return g;
}

}  // namespace dirbridge
