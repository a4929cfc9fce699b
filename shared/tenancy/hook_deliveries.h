// What a webhook connection remembers about its deliveries: the delivery ids it has
// taken (so a replay is acknowledged without effect) and counters an operator reads.
//
// Ids are remembered until an expiry the caller picks (at least the signature
// tolerance plus a margin: after it, a replay fails the timestamp check anyway) and
// then forgotten: every RecordDelivery also deletes up to kSweepPerDelivery expired
// ids, oldest first (t/{t}/hookexp/... orders them by expiry), so the storage kept is
// bounded by the delivery rate times the window, with O(1) work per delivery.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "store/kv_store.h"

namespace dirbridge {

inline constexpr std::size_t kSweepPerDelivery = 8;

struct HookCounts {
  uint64_t deliveries = 0;   // accepted (signature and timestamp good), replays excluded
  uint64_t duplicates = 0;   // replays acknowledged without effect
  uint64_t events = 0;
  uint64_t applied = 0;
  uint64_t unchanged = 0;
  uint64_t stale = 0;        // older than the newest change applied to their subject
  uint64_t skipped = 0;      // their subject is unknown
  uint64_t unknown_types = 0;  // acknowledged, counted, ignored
  uint64_t rejected = 0;     // refused by the engine (a limit, a uniqueness clash)
};
nlohmann::json HookCountsToJson(const HookCounts& counts);

// True when `delivery_id` was taken and its memory has not expired at `now_ms`.
Result<bool> DeliverySeen(KvStore& store, std::string_view tenant, std::string_view connection_id,
                          std::string_view delivery_id, int64_t now_ms);

// Remembers `delivery_id` until `expires_ms`, adds `add` to the counters and sweeps
// expired ids, in one batch.
Status RecordDelivery(KvStore& store, std::string_view tenant, std::string_view connection_id,
                      std::string_view delivery_id, int64_t expires_ms, int64_t now_ms, const HookCounts& add);

// Adds to the counters only (a replay).
Status CountDeliveries(KvStore& store, std::string_view tenant, std::string_view connection_id,
                       const HookCounts& add);

Result<HookCounts> GetHookCounts(KvStore& store, std::string_view tenant, std::string_view connection_id);

}  // namespace dirbridge
