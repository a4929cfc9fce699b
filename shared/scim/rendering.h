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
// Made once per list page: the parts every resource shares are rendered here, once.
class RecordTextRenderer {
 public:
  RecordTextRenderer(std::string_view resource_type, std::string_view base_url, std::string_view collection);
  std::string Render(const RecordText& record) const;

 private:
  std::string location_prefix_;  // "<base_url>/<collection>/" as JSON string text, without its closing quote
  std::string meta_tail_;        // ',"resourceType":"<type>","version":"W/\"'
};

}  // namespace dirbridge::scim
