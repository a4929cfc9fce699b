// What every stored record carries besides its attributes: when it was created and
// last changed, and a version that increases on every change (SCIM meta.version,
// sent as a weak ETag W/"<version>" and checked against If-Match).
#pragma once

#include <cstdint>
#include <string>

namespace dirbridge {

struct ResourceMeta {
  std::string created;        // RFC 3339
  std::string last_modified;  // RFC 3339
  uint64_t version = 0;       // 1 on creation

  std::string ETag() const { return "W/\"" + std::to_string(version) + "\""; }
};

}  // namespace dirbridge
