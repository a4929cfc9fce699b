// Ids the service assigns: UUIDv7 (time-ordered, so listing by key returns
// resources in creation order and paging by cursor is stable), from the host's
// clock and secure randomness.
#pragma once

#include <string>

#include "core/env.h"

namespace dirbridge {

std::string NewResourceId(Env& env);

}  // namespace dirbridge
