// Rendering canonical Users and Groups as SCIM resources: the model plus "schemas"
// and the full meta (resourceType, location, version as a weak ETag). The location
// is absolute, built from the SCIM base URL the client called.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "model/group.h"
#include "model/user.h"

namespace dirbridge::scim {

nlohmann::json RenderUser(const User& user, std::string_view base_url);
nlohmann::json RenderGroup(const Group& group, std::string_view base_url);

}  // namespace dirbridge::scim
