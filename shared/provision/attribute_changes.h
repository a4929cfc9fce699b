// What an update changed, for the audit trail: the top-level attributes of the SCIM
// shape (model/user.h UserToJson) that differ between the record before and after,
// by name, with their old and new values when each is small (a value of at most
// kMaxAuditedValueBytes as JSON text; a larger one, such as a long list of emails,
// is only named). `meta` is the engine's and never listed. A password is never part
// of a record, so it can never be listed.
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

namespace dirbridge {

inline constexpr std::size_t kMaxAuditedValueBytes = 256;

// {"changed": [names...], "changes": {name: {"from"?, "to"?}}}: "from" absent when
// the attribute was not set before, "to" absent when it is gone; both absent (the
// object empty) when either side is over kMaxAuditedValueBytes.
nlohmann::json AttributeChanges(const nlohmann::json& before, const nlohmann::json& after);

}  // namespace dirbridge
