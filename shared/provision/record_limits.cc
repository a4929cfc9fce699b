#include "provision/record_limits.h"

#include <string>

namespace dirbridge {
namespace {

Status CheckBytes(std::string_view attribute, const std::string& value, std::size_t limit) {
  if (value.size() <= limit) return Status::Ok();
  return InvalidInput("attribute '" + std::string(attribute) + "' is " + std::to_string(value.size()) +
                      " bytes; the limit is " + std::to_string(limit));
}

Status CheckCount(std::string_view attribute, std::size_t count) {
  if (count <= kMaxValuesPerAttribute) return Status::Ok();
  return InvalidInput("attribute '" + std::string(attribute) + "' has " + std::to_string(count) +
                      " values; the limit is " + std::to_string(kMaxValuesPerAttribute));
}

Status CheckTypedValues(std::string_view attribute, const std::vector<TypedValue>& values, std::size_t value_limit) {
  DB_RETURN_IF_ERROR(CheckCount(attribute, values.size()));
  for (const auto& v : values) {
    DB_RETURN_IF_ERROR(CheckBytes(std::string(attribute) + ".value", v.value, value_limit));
    DB_RETURN_IF_ERROR(CheckBytes(std::string(attribute) + ".type", v.type, kMaxValueBytes));
    DB_RETURN_IF_ERROR(CheckBytes(std::string(attribute) + ".display", v.display, kMaxValueBytes));
  }
  return Status::Ok();
}

}  // namespace

Status CheckUserLimits(const User& u) {
  DB_RETURN_IF_ERROR(CheckBytes("userName", u.user_name, kMaxIndexedValueBytes));
  DB_RETURN_IF_ERROR(CheckBytes("externalId", u.external_id, kMaxIndexedValueBytes));
  DB_RETURN_IF_ERROR(CheckTypedValues("emails", u.emails, kMaxIndexedValueBytes));
  DB_RETURN_IF_ERROR(CheckTypedValues("phoneNumbers", u.phone_numbers, kMaxValueBytes));
  for (const auto& [name, value] : {std::pair{"displayName", &u.display_name}, {"nickName", &u.nick_name},
                                    {"profileUrl", &u.profile_url}, {"title", &u.title}, {"userType", &u.user_type},
                                    {"preferredLanguage", &u.preferred_language}, {"locale", &u.locale},
                                    {"timezone", &u.timezone}, {"name.formatted", &u.name.formatted},
                                    {"name.familyName", &u.name.family_name}, {"name.givenName", &u.name.given_name}}) {
    DB_RETURN_IF_ERROR(CheckBytes(name, *value, kMaxValueBytes));
  }
  for (auto it = u.other_attributes.begin(); it != u.other_attributes.end(); ++it) {
    if (it.value().is_array()) DB_RETURN_IF_ERROR(CheckCount(it.key(), it.value().size()));
  }
  return Status::Ok();
}

Status CheckGroupLimits(const Group& g) {
  DB_RETURN_IF_ERROR(CheckBytes("displayName", g.display_name, kMaxIndexedValueBytes));
  return CheckBytes("externalId", g.external_id, kMaxIndexedValueBytes);
}

Status CheckRecordSize(std::string_view what, std::size_t bytes) {
  if (bytes <= kMaxRecordBytes) return Status::Ok();
  return InvalidInput("the " + std::string(what) + " would be stored as " + std::to_string(bytes) +
                      " bytes; the limit is " + std::to_string(kMaxRecordBytes));
}

}  // namespace dirbridge
