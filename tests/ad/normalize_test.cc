// An AD entry turned into the canonical user (shared/normalize/active_directory.h).
#include <catch2/catch.hpp>
#include <string>

#include "normalize/active_directory.h"

using namespace dirbridge;
using namespace dirbridge::ad;

namespace {

// The objectGUID whose text form is 01020304-0506-0708-090a-0b0c0d0e0f10.
std::string GuidBytes() { return std::string("\x04\x03\x02\x01\x06\x05\x08\x07\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10", 16); }

DirectoryEntry Ada() {
  DirectoryEntry e;
  e.dn = "CN=Ada Lovelace,OU=Staff,DC=corp,DC=example";
  e.attributes = {
      {"objectguid", {GuidBytes()}},
      {"useraccountcontrol", {"512"}},
      {"userprincipalname", {"ada@corp.example"}},
      {"samaccountname", {"ada"}},
      {"givenname", {"Ada"}},
      {"sn", {"Lovelace"}},
      {"displayname", {"Ada Lovelace"}},
      {"mail", {"ada@corp.example"}},
      {"title", {"Analyst"}},
      {"department", {"Engines"}},
      {"employeeid", {"E-1815"}},
      {"manager", {"CN=Charles Babbage,OU=Staff,DC=corp,DC=example"}},
  };
  return e;
}

}  // namespace

TEST_CASE("objectGUID text has AD's byte order, a wrong length is refused") {
  auto text = ObjectGuidText(GuidBytes());
  REQUIRE(text.ok());
  CHECK(*text == "01020304-0506-0708-090a-0b0c0d0e0f10");
  CHECK(ObjectGuidFilterValue(std::string("\x01\xff", 2)) == "\\01\\ff");
  auto bad = ObjectGuidText("short");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().detail == "objectGUID is 5 bytes, not 16");
}

TEST_CASE("a user entry maps to the canonical user with the default mapping") {
  auto user = UserFromEntry(Ada(), AttributeMapping::Defaults());
  REQUIRE(user.ok());
  CHECK(user->guid == "01020304-0506-0708-090a-0b0c0d0e0f10");
  CHECK(user->user.external_id == user->guid);
  CHECK(user->user.user_name == "ada@corp.example");
  CHECK(user->user.name.given_name == "Ada");
  CHECK(user->user.name.family_name == "Lovelace");
  CHECK(user->user.display_name == "Ada Lovelace");
  CHECK(user->user.title == "Analyst");
  REQUIRE(user->user.emails.size() == 1);
  CHECK(user->user.emails[0].value == "ada@corp.example");
  CHECK(user->user.emails[0].IsPrimary());
  CHECK(user->user.enterprise.department == "Engines");
  CHECK(user->user.enterprise.employee_number == "E-1815");
  CHECK(user->manager_dn == "CN=Charles Babbage,OU=Staff,DC=corp,DC=example");
  CHECK(user->user.active);
}

TEST_CASE("userAccountControl bit 0x2 disables, a missing or bad value is an error") {
  auto e = Ada();
  e.attributes["useraccountcontrol"] = {"514"};
  auto user = UserFromEntry(e, AttributeMapping::Defaults());
  REQUIRE(user.ok());
  CHECK_FALSE(user->user.active);
  e.attributes["useraccountcontrol"] = {"66050"};  // 0x10202: disabled, password never expires
  CHECK(*IsDisabled(e));
  e.attributes["useraccountcontrol"] = {"66048"};  // 0x10200
  CHECK_FALSE(*IsDisabled(e));
  e.attributes["useraccountcontrol"] = {"12x"};
  REQUIRE_FALSE(IsDisabled(e).ok());
  CHECK(IsDisabled(e).error().detail.find("userAccountControl is not a 32-bit number") != std::string::npos);
  e.attributes.erase("useraccountcontrol");
  CHECK(IsDisabled(e).error().detail.find("has no userAccountControl") != std::string::npos);
}

TEST_CASE("without a userPrincipalName the fallback names the user, without either the entry is refused") {
  auto e = Ada();
  e.attributes.erase("userprincipalname");
  auto user = UserFromEntry(e, AttributeMapping::Defaults());
  REQUIRE(user.ok());
  CHECK(user->user.user_name == "ada");
  e.attributes["userprincipalname"] = {"  "};  // blank is none (found by fuzz_ad_entry)
  CHECK(UserFromEntry(e, AttributeMapping::Defaults())->user.user_name == "ada");
  e.attributes.erase("samaccountname");
  auto refused = UserFromEntry(e, AttributeMapping::Defaults());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().detail ==
        "entry 'CN=Ada Lovelace,OU=Staff,DC=corp,DC=example' has no userPrincipalName or sAMAccountName for its "
        "userName");
}

TEST_CASE("a remapped or unmapped attribute follows the mapping") {
  auto mapping = AttributeMapping::Defaults();
  mapping.source[Target::kUserName] = "mail";
  mapping.source[Target::kTitle] = "";
  auto user = UserFromEntry(Ada(), mapping);
  REQUIRE(user.ok());
  CHECK(user->user.title.empty());
  auto attrs = mapping.LdapAttributes();
  CHECK(std::find(attrs.begin(), attrs.end(), "title") == attrs.end());
  CHECK(std::find(attrs.begin(), attrs.end(), "objectguid") != attrs.end());
  CHECK(TargetFromName("userName").ok());
  auto unknown = TargetFromName("password");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().detail.find("unknown SCIM attribute 'password'") == 0);
}

TEST_CASE("untrusted values: not UTF-8, control characters, over the cap, each named") {
  auto e = Ada();
  e.attributes["title"] = {std::string("\xff\xfe", 2)};
  auto r = UserFromEntry(e, AttributeMapping::Defaults());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().detail == "entry 'CN=Ada Lovelace,OU=Staff,DC=corp,DC=example': attribute 'title' is not UTF-8 text");
  e = Ada();
  e.attributes["department"] = {"Eng\nines"};
  CHECK(UserFromEntry(e, AttributeMapping::Defaults()).error().detail.find("'department' holds a control character") !=
        std::string::npos);
  e = Ada();
  e.attributes["userprincipalname"] = {std::string(513, 'a')};
  CHECK(UserFromEntry(e, AttributeMapping::Defaults()).error().detail.find("is 513 bytes, over the 512") !=
        std::string::npos);
  e = Ada();
  e.attributes["objectguid"] = {"x"};
  CHECK_FALSE(UserFromEntry(e, AttributeMapping::Defaults()).ok());
}
