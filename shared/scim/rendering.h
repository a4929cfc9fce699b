// Rendering canonical Users and Groups as SCIM resources: the model plus "schemas"
// and the full meta (resourceType, location, version as a weak ETag). The location
// is absolute, built from the SCIM base URL the client called.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "model/group.h"
#include "model/record_text.h"
#include "model/user.h"

namespace dirbridge::scim {

nlohmann::json RenderUser(const User& user, std::string_view base_url);
nlohmann::json RenderGroup(const Group& group, std::string_view base_url);

// The same representation, spliced from a stored record's text (model/record_text.h)
// without parsing it; the JSON that RenderUser / RenderGroup give, up to member order.
std::string RenderRecordText(const RecordText& record, std::string_view resource_type, std::string_view base_url,
                             std::string_view collection);

}  // namespace dirbridge::scim
