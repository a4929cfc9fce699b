// A stored user or group as the store layer hands it out for list pages: the record's
// text as stored, with where its meta and its other members lie in it. The store's
// text layout is owned by store/record_text.h; this is only the typed result, so that
// a SCIM list page can be spliced from stored text (scim/rendering.h) without parsing,
// re-serialising or copying each record.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace dirbridge {

struct RecordText {
  // A part of `text`, by position (positions stay right when the record is moved).
  struct Part {
    std::size_t offset = 0;
    std::size_t size = 0;
  };

  std::string id;
  std::string text;  // the record as stored
  Part created;
  Part last_modified;
  uint64_t version = 0;
  // The record's members after "meta", as JSON text: "}" when there are none, else
  // "," followed by the members and the closing "}".
  Part members_tail;

  std::string_view Of(Part part) const { return std::string_view(text).substr(part.offset, part.size); }
};

}  // namespace dirbridge
