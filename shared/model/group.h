// The canonical group. Members are not part of the record: each membership is its
// own store key (store/key_layout.h), so a 50,000-member group is never rewritten
// to add one member.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "model/resource_meta.h"
#include "model/schema_urns.h"

namespace dirbridge {

struct Group {
  std::string id;
  std::string external_id;
  std::string display_name;
  ResourceMeta meta;
};

nlohmann::json GroupToJson(const Group& group);
// Reads displayName / externalId (and id, meta of stored records); ignores members.
Result<Group> GroupFromJson(const nlohmann::json& json);

}  // namespace dirbridge
