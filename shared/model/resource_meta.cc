#include "model/resource_meta.h"

#include "model/json_fields.h"

namespace dirbridge {

nlohmann::json StoredMetaToJson(const ResourceMeta& meta) {
  return {{"created", meta.created}, {"lastModified", meta.last_modified}, {"version", meta.version}};
}

Status StoredMetaFromJson(const nlohmann::json& record, ResourceMeta* meta) {
  const nlohmann::json* m = json_fields::Find(record, "meta");
  if (m == nullptr || !m->is_object()) return Status::Ok();
  const nlohmann::json* version = json_fields::Find(*m, "version");
  if (version == nullptr || !version->is_number_unsigned()) return Status::Ok();
  meta->version = version->get<uint64_t>();
  DB_RETURN_IF_ERROR(json_fields::ReadString(*m, "created", "meta", &meta->created));
  return json_fields::ReadString(*m, "lastModified", "meta", &meta->last_modified);
}

}  // namespace dirbridge
