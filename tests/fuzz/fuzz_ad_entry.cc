// Fuzzes what the Active Directory connector makes of an entry a DC returns
// (shared/normalize/active_directory.h, ad_connector/dn_scope.h,
// ad_connector/ranged_attribute.h). The input is an entry: its first line the DN, each
// further line `name:value` (any bytes but a newline; objectGUID's 16 bytes included).
// Properties:
//   - UserFromEntry never fails but with InvalidInput, and what it accepts is a user
//     the edge takes: a userName of 1..512 bytes, every string UTF-8 without control
//     characters, and its SCIM JSON reads back (UserFromJson) as the same user;
//   - a ranged attribute name that parses renders back to the same range;
//   - DnKey is idempotent, and a DN is within itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <initializer_list>

#include <nlohmann/json.hpp>

#include "core/ascii.h"
#include "core/utf8.h"
#include "dn_scope.h"
#include "fuzz_check.h"
#include "normalize/active_directory.h"
#include "ranged_attribute.h"

namespace {

using nlohmann::json;
namespace ad = dirbridge::ad;

void CheckText(const std::string& text, const std::string& what) {
  FUZZ_CHECK(dirbridge::IsValidUtf8(text), what + " is not UTF-8");
  FUZZ_CHECK(!dirbridge::HasAsciiControl(text), what + " holds a control character");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ad::DirectoryEntry entry;
  std::size_t line_end = input.find('\n');
  entry.dn = std::string(input.substr(0, line_end));
  std::size_t pos = line_end == std::string_view::npos ? input.size() : line_end + 1;
  while (pos < input.size()) {
    std::size_t end = input.find('\n', pos);
    if (end == std::string_view::npos) end = input.size();
    std::string_view line = input.substr(pos, end - pos);
    std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string name(line.substr(0, colon));
      entry.attributes[dirbridge::ToLowerAscii(name)].emplace_back(line.substr(colon + 1));
      if (auto range = ad::ParseRangeOption(name)) {
        long count = range->final() ? 0 : range->last - range->first + 1;
        auto again = ad::ParseRangeOption(ad::RangeRequest(range->attribute, range->first, count));
        FUZZ_CHECK(again && again->first == range->first && again->last == range->last, name);
      }
    }
    pos = end + 1;
  }

  std::string key = ad::DnKey(entry.dn);
  FUZZ_CHECK(ad::DnKey(key) == key, entry.dn);
  if (!key.empty()) FUZZ_CHECK(ad::DnWithin(entry.dn, entry.dn), entry.dn);

  auto user = ad::UserFromEntry(entry, ad::AttributeMapping::Defaults());
  if (!user.ok()) {
    FUZZ_CHECK(user.error().kind == dirbridge::ErrorKind::kInvalidInput, user.error().detail);
    return 0;
  }
  const auto& u = user->user;
  FUZZ_CHECK(!u.user_name.empty() && u.user_name.size() <= ad::kMaxUserNameBytes, u.user_name);
  for (const std::string* text : std::initializer_list<const std::string*>{&u.user_name, &u.name.given_name, &u.name.family_name, &u.display_name, &u.title,
                           &u.enterprise.department, &u.enterprise.employee_number, &user->manager_dn}) {
    CheckText(*text, "a mapped value");
  }
  json rendered = dirbridge::UserToJson(u);
  auto back = dirbridge::UserFromJson(rendered);
  FUZZ_CHECK(back.ok(), back.ok() ? "" : back.error().detail);
  FUZZ_CHECK(dirbridge::UserToJson(*back) == rendered, rendered.dump());
  return 0;
}
