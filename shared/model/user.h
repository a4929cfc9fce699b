// The canonical user: what every source (SCIM dialects, Google, Okta hooks, Active
// Directory, the custom API) is normalized into, and what the store keeps. It
// covers the SCIM core User schema and the enterprise extension that IdPs send;
// other SCIM multi-valued attributes (addresses, ims, photos, roles, entitlements,
// x509Certificates) are kept verbatim in `other_attributes` so nothing an IdP sends
// is lost. A password is never part of it (zero knowledge).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "model/resource_meta.h"

namespace dirbridge {

struct PersonName {
  std::string formatted, family_name, given_name, middle_name, honorific_prefix, honorific_suffix;
  bool empty() const;
};

// One value of a multi-valued attribute such as emails or phoneNumbers.
struct TypedValue {
  std::string value;
  std::string type;     // "work", "home", "mobile", ...
  std::string display;
  // Unassigned, or as the source said: an explicit false is kept (RFC 7643 §2.4), so
  // `emails[primary eq false]` finds it.
  std::optional<bool> primary;
  bool IsPrimary() const { return primary.value_or(false); }
};

struct ManagerRef {
  std::string value;         // the manager's user id
  std::string ref;           // $ref
  std::string display_name;  // read-only in SCIM, kept for display
};

struct EnterpriseAttributes {
  std::string employee_number, cost_center, organization, division, department;
  std::optional<ManagerRef> manager;
  bool empty() const;
};

struct User {
  std::string id;
  std::string external_id;
  std::string user_name;
  PersonName name;
  std::string display_name, nick_name, profile_url, title, user_type, preferred_language, locale, timezone;
  bool active = true;
  std::vector<TypedValue> emails;
  std::vector<TypedValue> phone_numbers;
  EnterpriseAttributes enterprise;
  nlohmann::json other_attributes = nlohmann::json::object();
  ResourceMeta meta;

  // The primary email, else the first; empty when there is none.
  std::string PrimaryEmail() const;
};

// The "schemas" a user's representation lists: core, plus the enterprise extension
// when it has enterprise attributes.
nlohmann::json UserSchemas(const User& user);

// JSON in the SCIM wire shape (without "schemas" and meta.location/resourceType,
// which the SCIM layer adds). Includes id and meta.
nlohmann::json UserToJson(const User& user);
// Reads a user from the SCIM wire shape. Validates types and required attributes,
// ignores attributes it does not know, drops any password. id and meta are read
// when present (the store's own records) and otherwise left empty.
Result<User> UserFromJson(const nlohmann::json& json);

}  // namespace dirbridge
