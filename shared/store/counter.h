// A decimal counter in one key, read and written inside a Transaction so it moves
// atomically with the records it counts (event sequence numbers, user and group
// totals for list responses without a scan).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"
#include "store/kv_store.h"
#include "store/transaction.h"

namespace dirbridge {

Result<uint64_t> ReadCounter(Transaction& txn, std::string_view key);
Result<uint64_t> ReadCounter(KvStore& store, std::string_view key);
// Adds `delta` (which may be negative; the counter never drops below zero) and
// returns the new value.
Result<uint64_t> AddToCounter(Transaction& txn, std::string_view key, int64_t delta);

}  // namespace dirbridge
