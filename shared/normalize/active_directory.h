// Active Directory (README, "Active Directory connector"): one LDAP entry of a user,
// as the connector read it, turned into the canonical user (model/user.h). Pure: the
// connector (ad_connector/) does the LDAP and the HTTPS; this file decides what an AD
// account means to dirbridge.
//
//   objectGUID          -> externalId, in AD's text form (the first three fields of
//                          the 16 bytes are little-endian: what PowerShell shows)
//   userAccountControl  -> active: bit 0x2 (ACCOUNTDISABLE) set means disabled
//   the attribute mapping (which AD attribute fills which SCIM attribute; defaults
//   below) -> everything else. `manager` is a DN in AD; it is returned as such and the
//   connector turns it into the manager's dirbridge id.
//
// Values come from a customer's directory and are untrusted: a value that is not
// UTF-8, holds a control character, or is longer than the edge keeps is an error
// naming the entry's DN and the attribute, never a crash or a silent cut.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/user.h"

namespace dirbridge::ad {

// One entry as LDAP returned it: attribute names lower-cased, values as raw bytes.
struct DirectoryEntry {
  std::string dn;
  std::map<std::string, std::vector<std::string>> attributes;

  // The values of `name` (any case); empty when absent.
  const std::vector<std::string>& Values(std::string_view name) const;
  // The first value, or "".
  std::string First(std::string_view name) const;
};

// The SCIM attributes the connector fills, each from one AD attribute.
enum class Target {
  kUserName, kGivenName, kFamilyName, kDisplayName, kTitle, kEmail, kPhoneNumber,
  kDepartment, kEmployeeNumber, kManager,
};
// "userName", "givenName", ... as the configuration file names them.
std::string_view TargetName(Target target);
Result<Target> TargetFromName(std::string_view name);

// Which AD attribute fills each target; a target mapped to "" is not filled.
struct AttributeMapping {
  std::map<Target, std::string> source;
  // When the userName attribute is empty (an account without a userPrincipalName):
  // this one, or nothing and the entry is refused.
  std::string user_name_fallback = "sAMAccountName";

  // userPrincipalName, givenName, sn, displayName, title, mail, telephoneNumber,
  // department, employeeID, manager.
  static AttributeMapping Defaults();
  // Every AD attribute a user search must ask for (objectGUID and userAccountControl
  // included), lower-cased, without duplicates.
  std::vector<std::string> LdapAttributes() const;
};

inline constexpr std::size_t kObjectGuidBytes = 16;
inline constexpr std::size_t kMaxUserNameBytes = 512;  // the edge's indexed-value cap
inline constexpr std::size_t kMaxValueBytes = 4096;    // the edge's cap for other strings

// "9a3c...-..." from the 16 bytes of an objectGUID.
Result<std::string> ObjectGuidText(std::string_view bytes);
// The 16 bytes as an LDAP filter value: "\9a\3c..." (RFC 4515 escapes).
std::string ObjectGuidFilterValue(std::string_view bytes);

// Whether userAccountControl has ACCOUNTDISABLE (0x2). A missing or unparsable value
// is an error: the connector must not guess whether someone may sign in.
Result<bool> IsDisabled(const DirectoryEntry& entry);

struct AdUser {
  std::string guid;        // objectGUID text, also the user's externalId
  User user;               // active = !disabled
  std::string manager_dn;  // the manager's DN, "" when none
};

Result<AdUser> UserFromEntry(const DirectoryEntry& entry, const AttributeMapping& mapping);

}  // namespace dirbridge::ad
