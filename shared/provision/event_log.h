// The tenant's ordered, durable event log. Append stages the next event in the
// caller's Transaction, so the event commits atomically with the change it
// describes; sequence numbers are dense (1, 2, 3, ...) because the counter is
// read and written in the same batch. Each append also pulls the event feed's
// trigger (provision/event_feed.h): a configured, idle feed is woken in the same batch.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/env.h"
#include "core/result.h"
#include "model/lifecycle_event.h"
#include "model/user.h"
#include "store/transaction.h"

namespace dirbridge {

class EventLog {
 public:
  EventLog(Transaction& txn, Env& env, std::string_view tenant) : txn_(txn), env_(env), tenant_(tenant) {}
  // Assigns the next sequence number to `event` and stages it.
  Status Append(LifecycleEvent& event);

 private:
  Transaction& txn_;
  Env& env_;
  std::string_view tenant_;
};

// A new event of `type`, stamped with the host's clock and who made the change.
LifecycleEvent NewEvent(EventType type, const ChangeSource& source, Env& env);

// A new event about `user`: NewEvent with the user's id, userName and externalId.
LifecycleEvent NewUserEvent(EventType type, const User& user, const ChangeSource& source, Env& env);

// Reads up to `limit` events with sequence > after_sequence, in order.
Result<std::vector<nlohmann::json>> ReadEvents(KvStore& store, std::string_view tenant, uint64_t after_sequence,
                                               std::size_t limit);

}  // namespace dirbridge
