#include "model/user.h"

#include "core/ascii.h"
#include "model/json_fields.h"
#include "model/schema_urns.h"

namespace dirbridge {

using nlohmann::json;
namespace jf = json_fields;

bool PersonName::empty() const {
  return formatted.empty() && family_name.empty() && given_name.empty() && middle_name.empty() &&
         honorific_prefix.empty() && honorific_suffix.empty();
}

bool EnterpriseAttributes::empty() const {
  return employee_number.empty() && cost_center.empty() && organization.empty() && division.empty() &&
         department.empty() && !manager.has_value();
}

std::string User::PrimaryEmail() const {
  for (const auto& e : emails) {
    if (e.IsPrimary()) return e.value;
  }
  return emails.empty() ? std::string() : emails.front().value;
}

namespace {

// Multi-valued attributes kept verbatim (validated only as arrays of objects).
// The multi-valued attributes kept as JSON, each with the sub-attributes RFC 7643
// §4.1.2 and §4.1.1 declare for it. Only those are stored: anything else a source
// sends inside a value (a "password", say) is dropped, as RFC 7644 §3.3 allows.
struct VerbatimAttribute {
  const char* name;
  std::vector<std::string_view> sub_attributes;
};
const std::vector<VerbatimAttribute>& VerbatimMultiValued() {
  static const auto* attributes = new std::vector<VerbatimAttribute>{
      {"addresses",
       {"formatted", "streetAddress", "locality", "region", "postalCode", "country", "type", "primary"}},
      {"ims", {"value", "display", "type", "primary"}},
      {"photos", {"value", "display", "type", "primary"}},
      {"entitlements", {"value", "display", "type", "primary"}},
      {"roles", {"value", "display", "type", "primary"}},
      {"x509Certificates", {"value", "display", "type", "primary"}},
  };
  return *attributes;
}

// The declared spelling of `name` among `declared`, or nullptr.
const std::string_view* DeclaredName(const std::vector<std::string_view>& declared, std::string_view name) {
  for (const auto& d : declared) {
    if (EqualsIgnoreCase(d, name)) return &d;
  }
  return nullptr;
}

json TypedValuesToJson(const std::vector<TypedValue>& values) {
  json out = json::array();
  for (const auto& v : values) {
    json item = json::object();
    jf::WriteIfNotEmpty(item, "value", v.value);
    jf::WriteIfNotEmpty(item, "type", v.type);
    jf::WriteIfNotEmpty(item, "display", v.display);
    if (v.primary) item["primary"] = *v.primary;
    out.push_back(std::move(item));
  }
  return out;
}

Result<std::vector<TypedValue>> TypedValuesFromJson(const json& object, std::string_view name) {
  std::vector<TypedValue> out;
  const json* arr = jf::Find(object, name);
  if (arr == nullptr || arr->is_null()) return out;
  if (!arr->is_array()) return InvalidInput("attribute '" + std::string(name) + "' must be an array");
  int primaries = 0;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const json& item = (*arr)[i];
    std::string where = std::string(name) + "[" + std::to_string(i) + "]";
    if (!item.is_object()) return InvalidInput("attribute '" + where + "' must be an object");
    TypedValue v;
    DB_RETURN_IF_ERROR(jf::ReadString(item, "value", where, &v.value));
    DB_RETURN_IF_ERROR(jf::ReadString(item, "type", where, &v.type));
    DB_RETURN_IF_ERROR(jf::ReadString(item, "display", where, &v.display));
    if (const json* p = jf::Find(item, "primary"); p != nullptr && !p->is_null()) {
      bool primary = false;
      DB_RETURN_IF_ERROR(jf::ReadBool(item, "primary", where, &primary));
      v.primary = primary;
    }
    if (v.IsPrimary() && ++primaries > 1) {
      return InvalidInput("attribute '" + std::string(name) + "' has more than one primary value");
    }
    out.push_back(std::move(v));
  }
  return out;
}

Status NameFromJson(const json& object, PersonName* name) {
  const json* n = jf::Find(object, "name");
  if (n == nullptr || n->is_null()) return Status::Ok();
  if (!n->is_object()) return InvalidInput("attribute 'name' must be an object");
  DB_RETURN_IF_ERROR(jf::ReadString(*n, "formatted", "name", &name->formatted));
  DB_RETURN_IF_ERROR(jf::ReadString(*n, "familyName", "name", &name->family_name));
  DB_RETURN_IF_ERROR(jf::ReadString(*n, "givenName", "name", &name->given_name));
  DB_RETURN_IF_ERROR(jf::ReadString(*n, "middleName", "name", &name->middle_name));
  DB_RETURN_IF_ERROR(jf::ReadString(*n, "honorificPrefix", "name", &name->honorific_prefix));
  DB_RETURN_IF_ERROR(jf::ReadString(*n, "honorificSuffix", "name", &name->honorific_suffix));
  return Status::Ok();
}

Status EnterpriseFromJson(const json& object, EnterpriseAttributes* ent) {
  const json* e = jf::Find(object, kEnterpriseUserSchemaUrn);
  if (e == nullptr || e->is_null()) return Status::Ok();
  if (!e->is_object()) return InvalidInput("attribute '" + std::string(kEnterpriseUserSchemaUrn) + "' must be an object");
  const std::string where = "enterprise";
  DB_RETURN_IF_ERROR(jf::ReadString(*e, "employeeNumber", where, &ent->employee_number));
  DB_RETURN_IF_ERROR(jf::ReadString(*e, "costCenter", where, &ent->cost_center));
  DB_RETURN_IF_ERROR(jf::ReadString(*e, "organization", where, &ent->organization));
  DB_RETURN_IF_ERROR(jf::ReadString(*e, "division", where, &ent->division));
  DB_RETURN_IF_ERROR(jf::ReadString(*e, "department", where, &ent->department));
  const json* m = jf::Find(*e, "manager");
  if (m != nullptr && !m->is_null()) {
    ManagerRef ref;
    if (m->is_string()) {
      // Some IdPs send the manager as a bare id.
      ref.value = m->get<std::string>();
    } else if (m->is_object()) {
      DB_RETURN_IF_ERROR(jf::ReadString(*m, "value", "manager", &ref.value));
      DB_RETURN_IF_ERROR(jf::ReadString(*m, "$ref", "manager", &ref.ref));
      DB_RETURN_IF_ERROR(jf::ReadString(*m, "displayName", "manager", &ref.display_name));
    } else {
      return InvalidInput("attribute 'manager' must be an object with a 'value'");
    }
    if (!ref.value.empty() || !ref.display_name.empty()) ent->manager = std::move(ref);
  }
  return Status::Ok();
}

}  // namespace

json UserSchemas(const User& u) {
  json schemas = {kUserSchemaUrn};
  if (!u.enterprise.empty()) schemas.push_back(kEnterpriseUserSchemaUrn);
  return schemas;
}

json UserToJson(const User& u) {
  json j = json::object();
  jf::WriteIfNotEmpty(j, "id", u.id);
  jf::WriteIfNotEmpty(j, "externalId", u.external_id);
  j["userName"] = u.user_name;
  if (!u.name.empty()) {
    json n = json::object();
    jf::WriteIfNotEmpty(n, "formatted", u.name.formatted);
    jf::WriteIfNotEmpty(n, "familyName", u.name.family_name);
    jf::WriteIfNotEmpty(n, "givenName", u.name.given_name);
    jf::WriteIfNotEmpty(n, "middleName", u.name.middle_name);
    jf::WriteIfNotEmpty(n, "honorificPrefix", u.name.honorific_prefix);
    jf::WriteIfNotEmpty(n, "honorificSuffix", u.name.honorific_suffix);
    j["name"] = std::move(n);
  }
  jf::WriteIfNotEmpty(j, "displayName", u.display_name);
  jf::WriteIfNotEmpty(j, "nickName", u.nick_name);
  jf::WriteIfNotEmpty(j, "profileUrl", u.profile_url);
  jf::WriteIfNotEmpty(j, "title", u.title);
  jf::WriteIfNotEmpty(j, "userType", u.user_type);
  jf::WriteIfNotEmpty(j, "preferredLanguage", u.preferred_language);
  jf::WriteIfNotEmpty(j, "locale", u.locale);
  jf::WriteIfNotEmpty(j, "timezone", u.timezone);
  j["active"] = u.active;
  if (!u.emails.empty()) j["emails"] = TypedValuesToJson(u.emails);
  if (!u.phone_numbers.empty()) j["phoneNumbers"] = TypedValuesToJson(u.phone_numbers);
  for (auto it = u.other_attributes.begin(); it != u.other_attributes.end(); ++it) j[it.key()] = it.value();
  if (!u.enterprise.empty()) {
    json e = json::object();
    jf::WriteIfNotEmpty(e, "employeeNumber", u.enterprise.employee_number);
    jf::WriteIfNotEmpty(e, "costCenter", u.enterprise.cost_center);
    jf::WriteIfNotEmpty(e, "organization", u.enterprise.organization);
    jf::WriteIfNotEmpty(e, "division", u.enterprise.division);
    jf::WriteIfNotEmpty(e, "department", u.enterprise.department);
    if (u.enterprise.manager) {
      json m = json::object();
      jf::WriteIfNotEmpty(m, "value", u.enterprise.manager->value);
      jf::WriteIfNotEmpty(m, "$ref", u.enterprise.manager->ref);
      jf::WriteIfNotEmpty(m, "displayName", u.enterprise.manager->display_name);
      e["manager"] = std::move(m);
    }
    j[kEnterpriseUserSchemaUrn] = std::move(e);
  }
  if (u.meta.version > 0) j["meta"] = StoredMetaToJson(u.meta);
  return j;
}

Result<User> UserFromJson(const json& j) {
  if (!j.is_object()) return InvalidInput("a User must be a JSON object", "invalidSyntax");
  User u;
  DB_RETURN_IF_ERROR(jf::ReadString(j, "id", "", &u.id));
  DB_RETURN_IF_ERROR(jf::ReadString(j, "externalId", "", &u.external_id));
  DB_RETURN_IF_ERROR(jf::ReadString(j, "userName", "", &u.user_name));
  if (u.user_name.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidInput("attribute 'userName' is required and must not be empty");
  }
  DB_RETURN_IF_ERROR(NameFromJson(j, &u.name));
  DB_RETURN_IF_ERROR(jf::ReadString(j, "displayName", "", &u.display_name));
  DB_RETURN_IF_ERROR(jf::ReadString(j, "nickName", "", &u.nick_name));
  DB_RETURN_IF_ERROR(jf::ReadString(j, "profileUrl", "", &u.profile_url));
  DB_RETURN_IF_ERROR(jf::ReadString(j, "title", "", &u.title));
  DB_RETURN_IF_ERROR(jf::ReadString(j, "userType", "", &u.user_type));
  DB_RETURN_IF_ERROR(jf::ReadString(j, "preferredLanguage", "", &u.preferred_language));
  DB_RETURN_IF_ERROR(jf::ReadString(j, "locale", "", &u.locale));
  DB_RETURN_IF_ERROR(jf::ReadString(j, "timezone", "", &u.timezone));
  DB_RETURN_IF_ERROR(jf::ReadBool(j, "active", "", &u.active));
  DB_ASSIGN_OR_RETURN(u.emails, TypedValuesFromJson(j, "emails"));
  DB_ASSIGN_OR_RETURN(u.phone_numbers, TypedValuesFromJson(j, "phoneNumbers"));
  for (const auto& [name, declared] : VerbatimMultiValued()) {
    const json* v = jf::Find(j, name);
    if (v == nullptr || v->is_null()) continue;
    if (!v->is_array()) return InvalidInput(std::string("attribute '") + name + "' must be an array");
    json kept = json::array();
    for (const auto& item : *v) {
      if (!item.is_object()) return InvalidInput(std::string("attribute '") + name + "' must hold objects");
      // A null sub-attribute is unassigned (RFC 7643 §2.5): not kept, not echoed.
      json value = json::object();
      for (auto it = item.begin(); it != item.end(); ++it) {
        const std::string_view* canonical = DeclaredName(declared, it.key());
        if (canonical != nullptr && !it.value().is_null()) value[std::string(*canonical)] = it.value();
      }
      if (!value.empty()) kept.push_back(std::move(value));
    }
    if (!kept.empty()) u.other_attributes[name] = std::move(kept);
  }
  DB_RETURN_IF_ERROR(EnterpriseFromJson(j, &u.enterprise));
  DB_RETURN_IF_ERROR(StoredMetaFromJson(j, &u.meta));
  return u;
}

}  // namespace dirbridge
