// A stored user or group as the store layer hands it out for list pages: its meta,
// parsed, and the JSON text of its other members, unparsed. The store's text layout
// is owned by store/record_text.h; this is only the typed result, so that a SCIM
// list page can be spliced from stored text (scim/rendering.h) without parsing and
// re-serialising each record.
#pragma once

#include <string>

#include "model/resource_meta.h"

namespace dirbridge {

struct RecordText {
  std::string id;
  ResourceMeta meta;
  // The record's members after "meta", as JSON text: "}" when there are none, else
  // "," followed by the members and the closing "}".
  std::string members_tail;
};

}  // namespace dirbridge
