// What a signed webhook connection remembers about its deliveries, at the transport
// level (Standard Webhooks asks receivers to refuse a replayed `webhook-id`): the
// delivery ids it has taken, so a replay is acknowledged without effect, and how
// many replays it acknowledged. What the events of a delivery did is counted by the
// engine (provision/source_event_applier.h, ReadSourceStats).
//
// Ids are remembered (store/expiring_ids.h) until an expiry the caller picks (at
// least the signature tolerance plus a margin: after it, a replay fails the
// timestamp check anyway) and then forgotten: every RecordDelivery also deletes up
// to kSweepPerDelivery expired ids, oldest first, so the storage kept is bounded by
// the delivery rate times the window, with O(1) work per delivery.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/result.h"
#include "store/kv_store.h"

namespace dirbridge {

inline constexpr std::size_t kSweepPerDelivery = 8;

// True when `delivery_id` was taken and its memory has not expired at `now_ms`.
Result<bool> DeliverySeen(KvStore& store, std::string_view tenant, std::string_view connection_id,
                          std::string_view delivery_id, int64_t now_ms);

// Remembers `delivery_id` until `expires_ms` and sweeps expired ids, in one batch.
Status RecordDelivery(KvStore& store, std::string_view tenant, std::string_view connection_id,
                      std::string_view delivery_id, int64_t expires_ms, int64_t now_ms);

// Counts one replay, acknowledged without effect.
Status CountReplay(KvStore& store, std::string_view tenant, std::string_view connection_id);

// The replays acknowledged so far.
Result<uint64_t> ReplayCount(KvStore& store, std::string_view tenant, std::string_view connection_id);

}  // namespace dirbridge
