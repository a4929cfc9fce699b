// What every stored record carries besides its attributes: when it was created and
// last changed, and a version that increases on every change (SCIM meta.version,
// sent as a weak ETag W/"<version>" and checked against If-Match).
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace dirbridge {

struct ResourceMeta {
  std::string created;        // RFC 3339
  std::string last_modified;  // RFC 3339
  uint64_t version = 0;       // 1 on creation

  std::string ETag() const { return "W/\"" + std::to_string(version) + "\""; }
};

// {"created","lastModified","version"} as the store keeps it (version a number).
nlohmann::json StoredMetaToJson(const ResourceMeta& meta);
// Reads the store's own meta from a record's "meta" member. A client's meta (whose
// version is an ETag string) is not ours and leaves `meta` empty.
Status StoredMetaFromJson(const nlohmann::json& record, ResourceMeta* meta);

}  // namespace dirbridge
