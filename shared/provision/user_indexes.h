// Internal to the engine: a user's index keys (provision/indexes.h lists the lookups)
// as a command stages them.
#pragma once

#include <string_view>

#include "model/user.h"
#include "store/transaction.h"

namespace dirbridge {

// Writes only the index keys that differ between `before` (nullptr: none) and `after`
// (nullptr: none).
void RestageUserIndexes(Transaction& txn, std::string_view tenant, const User* before, const User* after);

}  // namespace dirbridge
