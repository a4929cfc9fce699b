// How a user or group record is laid out as text in the store: its JSON with the
// "meta" member first, in a fixed shape:
//   {"meta":{"created":"<rfc3339>","lastModified":"<rfc3339>","version":<n>},<the rest>}
// Any JSON reader reads it as usual (member order does not matter in JSON). The fixed
// prefix lets a list page be rendered by splicing text, without parsing and
// re-serialising each record: that is what keeps a page of 100 well under a
// millisecond (see bench/).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "model/resource_meta.h"

namespace dirbridge {

// `body` is the record's JSON without "meta" (any "meta" member is ignored).
std::string EncodeRecordText(const nlohmann::json& body, const ResourceMeta& meta);

struct RecordTextView {
  std::string_view created;
  std::string_view last_modified;
  uint64_t version = 0;
  std::string_view rest;  // the text after the meta member: "," + members + "}", or "}"
};

// nullopt when `text` does not start with the fixed meta prefix (the caller then
// parses the record the ordinary way).
std::optional<RecordTextView> ViewRecordText(std::string_view text);

}  // namespace dirbridge
