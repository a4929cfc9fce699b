#include "ranged_attribute.h"

#include <charconv>

#include "core/ascii.h"

namespace dirbridge::ad {
namespace {

bool ReadNumber(std::string_view text, long* out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size() && *out >= 0;
}

}  // namespace

std::optional<RangeOption> ParseRangeOption(std::string_view name) {
  auto semi = name.find(';');
  if (semi == std::string_view::npos) return std::nullopt;
  std::string_view option = name.substr(semi + 1);
  constexpr std::string_view kRange = "range=";
  if (!StartsWithIgnoreCase(option, kRange)) return std::nullopt;
  option.remove_prefix(kRange.size());
  auto dash = option.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  RangeOption r;
  r.attribute = ToLowerAscii(name.substr(0, semi));
  if (!ReadNumber(option.substr(0, dash), &r.first)) return std::nullopt;
  std::string_view last = option.substr(dash + 1);
  if (last == "*") {
    r.last = -1;
  } else if (!ReadNumber(last, &r.last) || r.last < r.first) {
    return std::nullopt;
  }
  return r;
}

std::string RangeRequest(std::string_view attribute, long first, long count) {
  std::string out = std::string(attribute) + ";range=" + std::to_string(first) + "-";
  return out + (count <= 0 ? std::string("*") : std::to_string(first + count - 1));
}

}  // namespace dirbridge::ad
