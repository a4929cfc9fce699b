// A connection's activity, for its status in the admin API: when it last changed
// something, by which request, and the event that records it. Kept by the event log in
// the batch of each event whose source is a connection (provision/event_log.cc), so it
// never disagrees with the log; it costs one put and no get per event. A request that
// changed nothing is not recorded (refused requests change nothing, by rule, and reads
// are not recorded). How many changes a connection made is an audit query
// (provision/audit_query.h, actor = the connection).
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "model/lifecycle_event.h"
#include "store/kv_store.h"
#include "store/transaction.h"

namespace dirbridge {

// Counts `event` for its source's connection (none: nothing staged).
Status NoteConnectionActivity(Transaction& txn, std::string_view tenant, const LifecycleEvent& event);

// {"lastChange", "lastEvent", "lastRequest"?}; {} for a connection that changed nothing.
Result<nlohmann::json> ReadConnectionActivity(KvStore& store, std::string_view tenant, std::string_view connection);

}  // namespace dirbridge
