// The operator's admin API is guarded by DIRBRIDGE_ADMIN_TOKEN, a deployment secret
// (a Workers secret, or an environment variable locally). Both sides are hashed
// and compared in constant time. Without the setting the admin API is disabled.
#pragma once

#include <string_view>

#include "core/env.h"
#include "core/result.h"

namespace dirbridge {

inline constexpr const char* kAdminTokenSetting = "DIRBRIDGE_ADMIN_TOKEN";

Status AuthenticateAdmin(Env& env, std::string_view authorization_header);

}  // namespace dirbridge
