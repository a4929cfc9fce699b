#include "provision/event_log.h"

#include <charconv>

#include "core/json_input.h"
#include "store/key_layout.h"

namespace dirbridge {

Status EventLog::Append(LifecycleEvent& event) {
  const std::string counter_key = keys::EventSequence(tenant_);
  DB_ASSIGN_OR_RETURN(auto current, txn_.Get(counter_key));
  uint64_t last = 0;
  if (current) {
    auto [ptr, ec] = std::from_chars(current->data(), current->data() + current->size(), last);
    if (ec != std::errc() || ptr != current->data() + current->size()) {
      return Internal("event sequence counter is corrupt");
    }
  }
  event.sequence = last + 1;
  txn_.Put(counter_key, std::to_string(event.sequence));
  txn_.Put(keys::Event(tenant_, event.sequence), EventToJson(event).dump());
  return Status::Ok();
}

Result<std::vector<nlohmann::json>> ReadEvents(KvStore& store, std::string_view tenant, uint64_t after_sequence,
                                               std::size_t limit) {
  std::string start_after = after_sequence == 0 ? std::string() : keys::Event(tenant, after_sequence);
  DB_ASSIGN_OR_RETURN(auto entries, store.List(keys::EventPrefix(tenant), start_after, limit));
  std::vector<nlohmann::json> out;
  out.reserve(entries.size());
  for (const auto& e : entries) {
    DB_ASSIGN_OR_RETURN(auto doc, ParseJson(e.value));
    out.push_back(std::move(doc));
  }
  return out;
}

}  // namespace dirbridge
