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
  if (g.meta.version > 0) j["meta"] = StoredMetaToJson(g.meta);
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
  DB_RETURN_IF_ERROR(StoredMetaFromJson(j, &g.meta));
  return g;
}

}  // namespace dirbridge
