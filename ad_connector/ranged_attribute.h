// Range retrieval of a multi-valued attribute (AD's MaxValRange, 1,500 values by
// default): a read of "member;range=0-1499" answers "member;range=0-1499" while more
// follow and "member;range=1500-*" with the last values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dirbridge::ad {

struct RangeOption {
  std::string attribute;  // "member"
  long first = 0;
  long last = -1;  // -1: '*', these were the last values
  bool final() const { return last < 0; }
};

// "member;range=0-1499" -> {member, 0, 1499}; nullopt when the name has no range option.
std::optional<RangeOption> ParseRangeOption(std::string_view name);
// "member;range=1500-2999", or "member;range=1500-*" when `count` is 0.
std::string RangeRequest(std::string_view attribute, long first, long count);

}  // namespace dirbridge::ad
