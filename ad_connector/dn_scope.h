// Where an entry sits: distinguished names compared the way AD does for scoping
// (case-insensitively, RDN by RDN), and the OU scope of the configuration.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dirbridge::ad {

// The DN as a comparable key: lower-cased, spaces around ',' and '=' dropped.
std::string DnKey(std::string_view dn);
// Whether `dn` is `container` or below it ("CN=a,OU=x,DC=c" is within "OU=x,DC=c",
// not within "U=x,DC=c").
bool DnWithin(std::string_view dn, std::string_view container);

struct OuScope {
  std::string base_dn;
  std::vector<std::string> include_ous;  // empty: all of base_dn
  std::vector<std::string> exclude_ous;

  bool Contains(std::string_view dn) const;
};

}  // namespace dirbridge::ad
