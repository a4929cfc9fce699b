// Ids the service assigns: UUIDv7 (time-ordered, so listing by key returns
// resources in creation order and paging by cursor is stable), from the host's
// clock and secure randomness.
#pragma once

#include <string>
#include <string_view>

#include "core/env.h"

namespace dirbridge {

std::string NewResourceId(Env& env);

// True when `text` has the shape of an id NewResourceId makes (a UUID in lower-case
// hex): what a list cursor must be.
bool IsResourceId(std::string_view text);

}  // namespace dirbridge
