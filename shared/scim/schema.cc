#include "scim/schema.h"

#include <utility>

namespace dirbridge::scim {
namespace {

using json = nlohmann::json;

// Small builder so the definitions below read like RFC 7643 §8.7.
struct Attr {
  AttributeDef def;
  explicit Attr(std::string name, AttributeType type = AttributeType::kString) {
    def.name = std::move(name);
    def.type = type;
  }
  Attr& Multi() { def.multi_valued = true; return *this; }
  Attr& Required() { def.required = true; return *this; }
  Attr& CaseExact() { def.case_exact = true; return *this; }
  Attr& Mut(Mutability m) { def.mutability = m; return *this; }
  Attr& Ret(Returned r) { def.returned = r; return *this; }
  Attr& Unique(Uniqueness u) { def.uniqueness = u; return *this; }
  Attr& Desc(std::string d) { def.description = std::move(d); return *this; }
  Attr& Canonical(std::vector<std::string> v) { def.canonical_values = std::move(v); return *this; }
  Attr& RefTypes(std::vector<std::string> v) { def.reference_types = std::move(v); return *this; }
  Attr& Sub(std::vector<AttributeDef> subs) { def.sub_attributes = std::move(subs); return *this; }
  operator AttributeDef() const { return def; }  // NOLINT: builder
};

// The sub-attributes shared by the RFC 7643 §2.4 multi-valued attributes
// (emails, phoneNumbers, ims, photos, entitlements, roles, x509Certificates).
std::vector<AttributeDef> MultiValuedSubs(AttributeType value_type, std::vector<std::string> types,
                                          std::string value_desc) {
  return {
      Attr("value", value_type).Desc(std::move(value_desc)),
      Attr("display").Desc("A human-readable name, primarily used for display purposes."),
      Attr("type").Canonical(std::move(types)).Desc("A label indicating the attribute's function."),
      Attr("primary", AttributeType::kBoolean)
          .Desc("A Boolean value indicating the 'primary' or preferred attribute value."),
  };
}

std::vector<AttributeDef> BuildCommonAttributes() {
  return {
      Attr("schemas", AttributeType::kReference).Multi().CaseExact().Ret(Returned::kAlways)
          .RefTypes({"uri"}).Desc("The schema URIs the resource conforms to."),
      Attr("id").CaseExact().Mut(Mutability::kReadOnly).Ret(Returned::kAlways)
          .Unique(Uniqueness::kServer).Desc("Unique identifier assigned by the service provider."),
      Attr("externalId").CaseExact().Desc("Identifier defined by the provisioning client."),
      Attr("meta", AttributeType::kComplex).Mut(Mutability::kReadOnly).Desc("Resource metadata.")
          .Sub({
              Attr("resourceType").CaseExact().Mut(Mutability::kReadOnly).Ret(Returned::kAlways),
              Attr("created", AttributeType::kDateTime).Mut(Mutability::kReadOnly),
              Attr("lastModified", AttributeType::kDateTime).Mut(Mutability::kReadOnly),
              Attr("location", AttributeType::kReference).CaseExact().Mut(Mutability::kReadOnly)
                  .RefTypes({"uri"}),
              Attr("version").CaseExact().Mut(Mutability::kReadOnly),
          }),
  };
}

SchemaDef BuildUserSchema() {
  SchemaDef s;
  s.id = std::string(kUserSchemaUrn);
  s.name = "User";
  s.description = "User Account";
  const std::vector<std::string> kEmailTypes = {"work", "home", "other"};
  s.attributes = {
      Attr("userName").Required().Unique(Uniqueness::kServer)
          .Desc("Unique identifier for the User, used to authenticate."),
      Attr("name", AttributeType::kComplex).Desc("The components of the user's real name.").Sub({
          Attr("formatted").Desc("The full name, formatted for display."),
          Attr("familyName").Desc("The family name of the User."),
          Attr("givenName").Desc("The given name of the User."),
          Attr("middleName").Desc("The middle name(s) of the User."),
          Attr("honorificPrefix").Desc("The honorific prefix(es) of the User."),
          Attr("honorificSuffix").Desc("The honorific suffix(es) of the User."),
      }),
      Attr("displayName").Desc("The name of the User, suitable for display to end-users."),
      Attr("nickName").Desc("The casual way to address the user."),
      Attr("profileUrl", AttributeType::kReference).RefTypes({"external"})
          .Desc("A fully qualified URL pointing to the User's online profile."),
      Attr("title").Desc("The user's title, such as \"Vice President\"."),
      Attr("userType").Desc("The relationship between the organization and the user."),
      Attr("preferredLanguage").Desc("The User's preferred written or spoken language."),
      Attr("locale").Desc("The User's default location for localization."),
      Attr("timezone").Desc("The User's time zone in the IANA Time Zone database format."),
      Attr("active", AttributeType::kBoolean).Desc("The User's administrative status."),
      Attr("password").Mut(Mutability::kWriteOnly).Ret(Returned::kNever)
          .Desc("The User's cleartext password. Never stored by this service."),
      Attr("emails", AttributeType::kComplex).Multi().Desc("Email addresses for the user.")
          .Sub(MultiValuedSubs(AttributeType::kString, kEmailTypes, "Email address for the user.")),
      Attr("phoneNumbers", AttributeType::kComplex).Multi().Desc("Phone numbers for the User.")
          .Sub(MultiValuedSubs(AttributeType::kString, {"work", "home", "mobile", "fax", "pager", "other"},
                               "Phone number of the User.")),
      Attr("ims", AttributeType::kComplex).Multi().Desc("Instant messaging addresses for the User.")
          .Sub(MultiValuedSubs(AttributeType::kString,
                               {"aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"},
                               "Instant messaging address for the User.")),
      Attr("photos", AttributeType::kComplex).Multi().Desc("URLs of photos of the User.")
          .Sub(MultiValuedSubs(AttributeType::kReference, {"photo", "thumbnail"}, "URL of a photo of the User.")),
      Attr("addresses", AttributeType::kComplex).Multi().Desc("A physical mailing address for this User.")
          .Sub({
              Attr("formatted").Desc("The full mailing address, formatted for display."),
              Attr("streetAddress").Desc("The full street address component."),
              Attr("locality").Desc("The city or locality component."),
              Attr("region").Desc("The state or region component."),
              Attr("postalCode").Desc("The zip code or postal code component."),
              Attr("country").Desc("The country name component."),
              Attr("type").Canonical({"work", "home", "other"}).Desc("A label indicating the attribute's function."),
              Attr("primary", AttributeType::kBoolean).Desc("The preferred address."),
          }),
      Attr("groups", AttributeType::kComplex).Multi().Mut(Mutability::kReadOnly)
          .Desc("A list of groups to which the user belongs.").Sub({
              Attr("value").Mut(Mutability::kReadOnly).Desc("The identifier of the User's group."),
              Attr("$ref", AttributeType::kReference).Mut(Mutability::kReadOnly).RefTypes({"User", "Group"})
                  .Desc("The URI of the corresponding 'Group' resource."),
              Attr("display").Mut(Mutability::kReadOnly).Desc("A human-readable name."),
              Attr("type").Mut(Mutability::kReadOnly).Canonical({"direct", "indirect"})
                  .Desc("How the group membership was derived."),
          }),
      Attr("entitlements", AttributeType::kComplex).Multi().Desc("A list of entitlements for the User.")
          .Sub(MultiValuedSubs(AttributeType::kString, {}, "The value of an entitlement.")),
      Attr("roles", AttributeType::kComplex).Multi().Desc("A list of roles for the User.")
          .Sub(MultiValuedSubs(AttributeType::kString, {}, "The value of a role.")),
      Attr("x509Certificates", AttributeType::kComplex).Multi().Desc("A list of certificates issued to the User.")
          .Sub(MultiValuedSubs(AttributeType::kBinary, {}, "The value of an X.509 certificate.")),
  };
  return s;
}

SchemaDef BuildEnterpriseUserSchema() {
  SchemaDef s;
  s.id = std::string(kEnterpriseUserSchemaUrn);
  s.name = "EnterpriseUser";
  s.description = "Enterprise User";
  s.attributes = {
      Attr("employeeNumber").Desc("Numeric or alphanumeric identifier assigned to a person."),
      Attr("costCenter").Desc("Identifies the name of a cost center."),
      Attr("organization").Desc("Identifies the name of an organization."),
      Attr("division").Desc("Identifies the name of a division."),
      Attr("department").Desc("Identifies the name of a department."),
      Attr("manager", AttributeType::kComplex).Desc("The User's manager.").Sub({
          Attr("value").Desc("The id of the SCIM resource representing the User's manager."),
          Attr("$ref", AttributeType::kReference).RefTypes({"User"})
              .Desc("The URI of the SCIM resource representing the User's manager."),
          Attr("displayName").Mut(Mutability::kReadOnly).Desc("The displayName of the User's manager."),
      }),
  };
  return s;
}

SchemaDef BuildGroupSchema() {
  SchemaDef s;
  s.id = std::string(kGroupSchemaUrn);
  s.name = "Group";
  s.description = "Group";
  s.attributes = {
      Attr("displayName").Required().Desc("A human-readable name for the Group."),
      Attr("members", AttributeType::kComplex).Multi().Desc("A list of members of the Group.").Sub({
          Attr("value").Mut(Mutability::kImmutable).Desc("Identifier of the member of this Group."),
          // Only Users can be members (nested groups are not supported), so only
          // "User" is advertised.
          Attr("$ref", AttributeType::kReference).Mut(Mutability::kImmutable).RefTypes({"User"})
              .Desc("The URI corresponding to a SCIM resource that is a member of this Group."),
          Attr("type").Mut(Mutability::kImmutable).Canonical({"User"})
              .Desc("A label indicating the type of resource."),
          Attr("display").Mut(Mutability::kReadOnly).Desc("A human-readable name for the member."),
      }),
  };
  return s;
}

const AttributeDef* FindIn(const std::vector<AttributeDef>& defs, std::string_view name) {
  for (const auto& d : defs) {
    if (EqualsIgnoreCase(d.name, name)) return &d;
  }
  return nullptr;
}

json AttributeToJson(const AttributeDef& a) {
  json j = json::object();
  j["name"] = a.name;
  j["type"] = ToString(a.type);
  j["multiValued"] = a.multi_valued;
  j["description"] = a.description;
  j["required"] = a.required;
  if (a.type == AttributeType::kString || a.type == AttributeType::kReference ||
      a.type == AttributeType::kBinary) {
    j["caseExact"] = a.case_exact;
  }
  if (!a.canonical_values.empty()) j["canonicalValues"] = a.canonical_values;
  if (a.type == AttributeType::kReference) j["referenceTypes"] = a.reference_types;
  j["mutability"] = ToString(a.mutability);
  j["returned"] = ToString(a.returned);
  if (a.type != AttributeType::kComplex && a.type != AttributeType::kBoolean) {
    j["uniqueness"] = ToString(a.uniqueness);
  }
  if (a.is_complex()) {
    json subs = json::array();
    for (const auto& s : a.sub_attributes) subs.push_back(AttributeToJson(s));
    j["subAttributes"] = std::move(subs);
  }
  return j;
}

std::string TrimTrailingSlash(std::string_view base) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  return std::string(base);
}

}  // namespace

std::string_view ToString(AttributeType type) {
  switch (type) {
    case AttributeType::kString: return "string";
    case AttributeType::kBoolean: return "boolean";
    case AttributeType::kDecimal: return "decimal";
    case AttributeType::kInteger: return "integer";
    case AttributeType::kDateTime: return "dateTime";
    case AttributeType::kReference: return "reference";
    case AttributeType::kComplex: return "complex";
    case AttributeType::kBinary: return "binary";
  }
  return "string";
}

std::string_view ToString(Mutability mutability) {
  switch (mutability) {
    case Mutability::kReadOnly: return "readOnly";
    case Mutability::kReadWrite: return "readWrite";
    case Mutability::kImmutable: return "immutable";
    case Mutability::kWriteOnly: return "writeOnly";
  }
  return "readWrite";
}

std::string_view ToString(Returned returned) {
  switch (returned) {
    case Returned::kAlways: return "always";
    case Returned::kNever: return "never";
    case Returned::kDefault: return "default";
    case Returned::kRequest: return "request";
  }
  return "default";
}

std::string_view ToString(Uniqueness uniqueness) {
  switch (uniqueness) {
    case Uniqueness::kNone: return "none";
    case Uniqueness::kServer: return "server";
    case Uniqueness::kGlobal: return "global";
  }
  return "none";
}

const AttributeDef* AttributeDef::FindSubAttribute(std::string_view sub_name) const {
  return FindIn(sub_attributes, sub_name);
}

const AttributeDef* SchemaDef::FindAttribute(std::string_view attr_name) const {
  return FindIn(attributes, attr_name);
}

const std::vector<AttributeDef>& CommonAttributes() {
  static const std::vector<AttributeDef> kCommon = BuildCommonAttributes();
  return kCommon;
}

const SchemaDef& UserSchema() {
  static const SchemaDef kSchema = BuildUserSchema();
  return kSchema;
}

const SchemaDef& EnterpriseUserSchema() {
  static const SchemaDef kSchema = BuildEnterpriseUserSchema();
  return kSchema;
}

const SchemaDef& GroupSchema() {
  static const SchemaDef kSchema = BuildGroupSchema();
  return kSchema;
}

const ResourceSchema& UserResource() {
  static const ResourceSchema kResource = [] {
    ResourceSchema r;
    r.name = "User";
    r.endpoint = "/Users";
    r.description = "User Account";
    r.core = &UserSchema();
    r.extensions.push_back({&EnterpriseUserSchema(), false});
    return r;
  }();
  return kResource;
}

const ResourceSchema& GroupResource() {
  static const ResourceSchema kResource = [] {
    ResourceSchema r;
    r.name = "Group";
    r.endpoint = "/Groups";
    r.description = "Group";
    r.core = &GroupSchema();
    return r;
  }();
  return kResource;
}

const SchemaDef* ResourceSchema::FindExtension(std::string_view urn) const {
  for (const auto& e : extensions) {
    if (EqualsIgnoreCase(e.schema->id, urn)) return e.schema;
  }
  return nullptr;
}

bool ResourceSchema::KnowsSchemaUrn(std::string_view urn) const {
  return (core != nullptr && EqualsIgnoreCase(core->id, urn)) || FindExtension(urn) != nullptr;
}

std::optional<ResolvedAttribute> ResourceSchema::Resolve(std::string_view path) const {
  std::string_view urn;
  std::string_view rest = path;
  if (!SplitUrnPrefix(path, &urn, &rest)) urn = {};
  std::string_view attribute = rest;
  std::string_view sub;
  if (auto dot = rest.find('.'); dot != std::string_view::npos) {
    attribute = rest.substr(0, dot);
    sub = rest.substr(dot + 1);
  }
  return Resolve(urn, attribute, sub);
}

std::optional<ResolvedAttribute> ResourceSchema::Resolve(std::string_view urn, std::string_view attribute,
                                                         std::string_view sub_attribute) const {
  ResolvedAttribute found;
  if (!urn.empty()) {
    if (core != nullptr && EqualsIgnoreCase(core->id, urn)) {
      found.schema = core;
      found.attribute = core->FindAttribute(attribute);
      // Common attributes may also be written with the core URN.
      if (found.attribute == nullptr) {
        found.attribute = FindIn(CommonAttributes(), attribute);
        if (found.attribute != nullptr) found.schema = nullptr;
      }
    } else if (const SchemaDef* ext = FindExtension(urn)) {
      found.schema = ext;
      found.attribute = ext->FindAttribute(attribute);
      found.extension_urn = ext->id;
    } else {
      return std::nullopt;
    }
  } else {
    if (const AttributeDef* common = FindIn(CommonAttributes(), attribute)) {
      found.attribute = common;
    } else if (core != nullptr && (found.attribute = core->FindAttribute(attribute)) != nullptr) {
      found.schema = core;
    } else {
      for (const auto& e : extensions) {
        if (const AttributeDef* a = e.schema->FindAttribute(attribute)) {
          found.attribute = a;
          found.schema = e.schema;
          found.extension_urn = e.schema->id;
          break;
        }
      }
    }
  }
  if (found.attribute == nullptr) return std::nullopt;
  if (!sub_attribute.empty()) {
    const AttributeDef* sub = found.attribute->FindSubAttribute(sub_attribute);
    if (sub == nullptr) return std::nullopt;
    found.parent = found.attribute;
    found.attribute = sub;
  }
  return found;
}

json SchemaToJson(const SchemaDef& schema, std::string_view base_url) {
  json j = json::object();
  j["schemas"] = json::array({kSchemaSchemaUrn});
  j["id"] = schema.id;
  j["name"] = schema.name;
  j["description"] = schema.description;
  json attrs = json::array();
  for (const auto& a : schema.attributes) attrs.push_back(AttributeToJson(a));
  j["attributes"] = std::move(attrs);
  j["meta"] = {{"resourceType", "Schema"}, {"location", TrimTrailingSlash(base_url) + "/Schemas/" + schema.id}};
  return j;
}

json ResourceTypeToJson(const ResourceSchema& resource, std::string_view base_url) {
  json j = json::object();
  j["schemas"] = json::array({kResourceTypeSchemaUrn});
  j["id"] = resource.name;
  j["name"] = resource.name;
  j["endpoint"] = resource.endpoint;
  j["description"] = resource.description;
  j["schema"] = resource.core != nullptr ? resource.core->id : std::string();
  json exts = json::array();
  for (const auto& e : resource.extensions) {
    exts.push_back({{"schema", e.schema->id}, {"required", e.required}});
  }
  j["schemaExtensions"] = std::move(exts);
  j["meta"] = {{"resourceType", "ResourceType"},
               {"location", TrimTrailingSlash(base_url) + "/ResourceTypes/" + resource.name}};
  return j;
}

// ---- helpers

bool SplitUrnPrefix(std::string_view path, std::string_view* urn, std::string_view* rest) {
  if (!StartsWithIgnoreCase(path, "urn:")) return false;
  // Attribute names never contain ':' but a filter/path may continue with '[' ... ']'
  // whose quoted text might; only look before the first '['.
  std::string_view head = path.substr(0, path.find('['));
  auto colon = head.rfind(':');
  if (colon == std::string_view::npos || colon < 4) return false;
  *urn = path.substr(0, colon);
  *rest = path.substr(colon + 1);
  return true;
}

// ---- RFC 3339 date-time

namespace {

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar.
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool ReadDigits(std::string_view s, std::size_t& pos, std::size_t count, int* out) {
  if (pos + count > s.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < count; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += count;
  *out = v;
  return true;
}

bool Expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || ToLowerAscii(s[pos]) != ToLowerAscii(c)) return false;
  ++pos;
  return true;
}

}  // namespace

std::optional<Instant> ParseDateTime(std::string_view s) {
  std::size_t pos = 0;
  int year, month, day, hour, minute, second;
  if (!ReadDigits(s, pos, 4, &year) || !Expect(s, pos, '-') || !ReadDigits(s, pos, 2, &month) ||
      !Expect(s, pos, '-') || !ReadDigits(s, pos, 2, &day) || !Expect(s, pos, 'T') ||
      !ReadDigits(s, pos, 2, &hour) || !Expect(s, pos, ':') || !ReadDigits(s, pos, 2, &minute) ||
      !Expect(s, pos, ':') || !ReadDigits(s, pos, 2, &second)) {
    return std::nullopt;
  }
  static constexpr int kDaysInMonth[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDaysInMonth[month - 1] || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && day == 29 && !leap) return std::nullopt;
  std::int32_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    std::size_t digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 9) nanos = nanos * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (std::size_t i = digits; i < 9; ++i) nanos *= 10;
  }
  std::int64_t offset_seconds = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int oh, om;
    if (!ReadDigits(s, pos, 2, &oh) || !Expect(s, pos, ':') || !ReadDigits(s, pos, 2, &om) || oh > 23 ||
        om > 59) {
      return std::nullopt;
    }
    offset_seconds = sign * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  Instant t;
  t.seconds = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
              hour * 3600 + minute * 60 + second - offset_seconds;
  t.nanos = nanos;
  return t;
}

}  // namespace dirbridge::scim
