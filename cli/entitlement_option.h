// `--entitlement TYPE:NAME`, the way `dirbridge rules set` names what a group grants:
// the type before the first colon ("role", "policy", "sharedFolder"), the name after
// it (which may hold colons itself). The server checks types, sizes and characters;
// here only the shape, so a typo is a usage error before any call.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/result.h"

namespace dirbridge::cli {

// {"type", "name"} for the admin API's rule body; InvalidInput (a usage error) when
// there is no colon, or nothing before or after it.
Result<nlohmann::json> EntitlementFromOption(std::string_view text);

}  // namespace dirbridge::cli
