#include "normalize/active_directory.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>

#include "core/ascii.h"
#include "core/utf8.h"

namespace dirbridge::ad {
namespace {

constexpr std::array<std::pair<Target, std::string_view>, 10> kTargetNames = {{
    {Target::kUserName, "userName"},
    {Target::kGivenName, "givenName"},
    {Target::kFamilyName, "familyName"},
    {Target::kDisplayName, "displayName"},
    {Target::kTitle, "title"},
    {Target::kEmail, "email"},
    {Target::kPhoneNumber, "phoneNumber"},
    {Target::kDepartment, "department"},
    {Target::kEmployeeNumber, "employeeNumber"},
    {Target::kManager, "manager"},
}};

const std::vector<std::string>& NoValues() {
  static const std::vector<std::string> kNone;
  return kNone;
}

// The value of `attribute` for `target`, checked: text, no control character, within
// the edge's cap. "" when the entry has none.
Result<std::string> TextValue(const DirectoryEntry& entry, const std::string& attribute, std::size_t max_bytes) {
  if (attribute.empty()) return std::string();
  std::string value = entry.First(attribute);
  if (value.empty()) return value;
  auto refuse = [&](std::string_view why) {
    return InvalidInput("entry '" + entry.dn + "': attribute '" + attribute + "' " + std::string(why));
  };
  if (!IsValidUtf8(value)) return refuse("is not UTF-8 text");
  if (HasAsciiControl(value)) return refuse("holds a control character");
  if (value.size() > max_bytes) {
    return refuse("is " + std::to_string(value.size()) + " bytes, over the " + std::to_string(max_bytes) +
                  " dirbridge keeps");
  }
  return value;
}

}  // namespace

const std::vector<std::string>& DirectoryEntry::Values(std::string_view name) const {
  auto it = attributes.find(ToLowerAscii(name));
  return it == attributes.end() ? NoValues() : it->second;
}

std::string DirectoryEntry::First(std::string_view name) const {
  const auto& values = Values(name);
  return values.empty() ? std::string() : values.front();
}

std::string_view TargetName(Target target) {
  for (const auto& [t, name] : kTargetNames) {
    if (t == target) return name;
  }
  return "?";
}

Result<Target> TargetFromName(std::string_view name) {
  for (const auto& [t, n] : kTargetNames) {
    if (n == name) return t;
  }
  std::string known;
  for (const auto& [t, n] : kTargetNames) known += (known.empty() ? "" : ", ") + std::string(n);
  return InvalidInput("unknown SCIM attribute '" + std::string(name) + "' in the mapping (known: " + known + ")");
}

AttributeMapping AttributeMapping::Defaults() {
  AttributeMapping m;
  m.source = {
      {Target::kUserName, "userPrincipalName"}, {Target::kGivenName, "givenName"},
      {Target::kFamilyName, "sn"},               {Target::kDisplayName, "displayName"},
      {Target::kTitle, "title"},                 {Target::kEmail, "mail"},
      {Target::kPhoneNumber, "telephoneNumber"}, {Target::kDepartment, "department"},
      {Target::kEmployeeNumber, "employeeID"},   {Target::kManager, "manager"},
  };
  return m;
}

std::vector<std::string> AttributeMapping::LdapAttributes() const {
  std::vector<std::string> names = {"objectguid", "useraccountcontrol"};
  for (const auto& [target, attribute] : source) {
    if (!attribute.empty()) names.push_back(ToLowerAscii(attribute));
  }
  if (!user_name_fallback.empty()) names.push_back(ToLowerAscii(user_name_fallback));
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

Result<std::string> ObjectGuidText(std::string_view bytes) {
  if (bytes.size() != kObjectGuidBytes) {
    return InvalidInput("objectGUID is " + std::to_string(bytes.size()) + " bytes, not 16");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  // Data1 (4 bytes), Data2 and Data3 (2 each) little-endian; Data4 (8) as stored.
  static constexpr std::array<int, 16> kOrder = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
  std::string text;
  for (std::size_t i = 0; i < kOrder.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    auto b = static_cast<unsigned char>(bytes[kOrder[i]]);
    text += kHex[b >> 4];
    text += kHex[b & 0xF];
  }
  return text;
}

std::string ObjectGuidFilterValue(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    auto b = static_cast<unsigned char>(c);
    out += '\\';
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
  return out;
}

Result<bool> IsDisabled(const DirectoryEntry& entry) {
  std::string text = entry.First("userAccountControl");
  if (text.empty()) return InvalidInput("entry '" + entry.dn + "' has no userAccountControl");
  // AD writes it as a signed 32-bit decimal.
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < INT32_MIN || value > UINT32_MAX) {
    return InvalidInput("entry '" + entry.dn + "': userAccountControl is not a 32-bit number");
  }
  return (static_cast<std::uint32_t>(value) & 0x2u) != 0;
}

Result<AdUser> UserFromEntry(const DirectoryEntry& entry, const AttributeMapping& mapping) {
  AdUser out;
  DB_ASSIGN_OR_RETURN(out.guid, ObjectGuidText(entry.First("objectGUID")));
  DB_ASSIGN_OR_RETURN(bool disabled, IsDisabled(entry));
  User& u = out.user;
  u.external_id = out.guid;
  u.active = !disabled;

  auto mapped = [&](Target t) -> std::string {
    auto it = mapping.source.find(t);
    return it == mapping.source.end() ? std::string() : it->second;
  };
  auto text = [&](Target t, std::size_t cap = kMaxValueBytes) { return TextValue(entry, mapped(t), cap); };

  // Blank is no userName (the edge requires one with a visible character).
  auto blank = [](const std::string& s) { return s.find_first_not_of(" \t") == std::string::npos; };
  DB_ASSIGN_OR_RETURN(u.user_name, text(Target::kUserName, kMaxUserNameBytes));
  if (blank(u.user_name)) {
    DB_ASSIGN_OR_RETURN(u.user_name, TextValue(entry, mapping.user_name_fallback, kMaxUserNameBytes));
  }
  if (blank(u.user_name)) {
    std::string from = mapped(Target::kUserName);
    if (!mapping.user_name_fallback.empty()) from += (from.empty() ? "" : " or ") + mapping.user_name_fallback;
    return InvalidInput("entry '" + entry.dn + "' has no " + (from.empty() ? "userName attribute" : from) +
                        " for its userName");
  }
  DB_ASSIGN_OR_RETURN(u.name.given_name, text(Target::kGivenName));
  DB_ASSIGN_OR_RETURN(u.name.family_name, text(Target::kFamilyName));
  DB_ASSIGN_OR_RETURN(u.display_name, text(Target::kDisplayName));
  DB_ASSIGN_OR_RETURN(u.title, text(Target::kTitle));
  DB_ASSIGN_OR_RETURN(std::string mail, text(Target::kEmail, kMaxUserNameBytes));
  if (!mail.empty()) u.emails.push_back(TypedValue{mail, "work", "", true});
  DB_ASSIGN_OR_RETURN(std::string phone, text(Target::kPhoneNumber));
  if (!phone.empty()) u.phone_numbers.push_back(TypedValue{phone, "work", "", std::nullopt});
  DB_ASSIGN_OR_RETURN(u.enterprise.department, text(Target::kDepartment));
  DB_ASSIGN_OR_RETURN(u.enterprise.employee_number, text(Target::kEmployeeNumber));
  DB_ASSIGN_OR_RETURN(out.manager_dn, text(Target::kManager));
  return out;
}

}  // namespace dirbridge::ad
