#include "dn_scope.h"

#include "core/ascii.h"

namespace dirbridge::ad {

std::string DnKey(std::string_view dn) {
  std::string out;
  out.reserve(dn.size());
  bool escaped = false;
  for (std::size_t i = 0; i < dn.size(); ++i) {
    char c = dn[i];
    if (!escaped && c == ' ') {
      // Drop spaces next to a separator (RFC 4514 allows them in input).
      bool after = !out.empty() && (out.back() == ',' || out.back() == '=');
      std::size_t j = i;
      while (j < dn.size() && dn[j] == ' ') ++j;
      bool before = j == dn.size() || dn[j] == ',' || dn[j] == '=';
      if (after || before || out.empty()) continue;
    }
    out += ToLowerAscii(c);
    escaped = !escaped && c == '\\';
  }
  return out;
}

bool DnWithin(std::string_view dn, std::string_view container) {
  std::string d = DnKey(dn), c = DnKey(container);
  if (c.empty() || d.size() < c.size()) return false;
  if (d.compare(d.size() - c.size(), c.size(), c) != 0) return false;
  if (d.size() == c.size()) return true;
  std::size_t cut = d.size() - c.size() - 1;
  return d[cut] == ',' && (cut == 0 || d[cut - 1] != '\\');
}

bool OuScope::Contains(std::string_view dn) const {
  if (!DnWithin(dn, base_dn)) return false;
  bool included = include_ous.empty();
  for (const auto& ou : include_ous) included = included || DnWithin(dn, ou);
  if (!included) return false;
  for (const auto& ou : exclude_ous) {
    if (DnWithin(dn, ou)) return false;
  }
  return true;
}

}  // namespace dirbridge::ad
