#include "provision/event_log.h"

#include "core/json_input.h"
#include "provision/connection_activity.h"
#include "core/timestamp.h"
#include "provision/event_feed.h"
#include "store/counter.h"
#include "store/key_layout.h"

namespace dirbridge {

Status EventLog::Append(LifecycleEvent& event) {
  DB_ASSIGN_OR_RETURN(event.sequence, AddToCounter(txn_, keys::EventSequence(tenant_), 1));
  txn_.Put(keys::Event(tenant_, event.sequence), EventToJson(event).dump());
  DB_RETURN_IF_ERROR(NoteConnectionActivity(txn_, tenant_, event));
  return feed::WakeOnAppend(txn_, env_, tenant_);
}

LifecycleEvent NewEvent(EventType type, const ChangeSource& source, Env& env) {
  LifecycleEvent e;
  e.type = type;
  e.at = FormatRfc3339Millis(env.NowMillis());
  e.source = source;
  e.request_id = std::string(env.RequestId());
  return e;
}

LifecycleEvent NewUserEvent(EventType type, const User& u, const ChangeSource& source, Env& env) {
  auto e = NewEvent(type, source, env);
  e.user_id = u.id;
  e.data["userName"] = u.user_name;
  if (!u.external_id.empty()) e.data["externalId"] = u.external_id;
  if (const std::string email = u.PrimaryEmail(); !email.empty()) e.data["email"] = email;
  switch (type) {
    case EventType::kUserDeprovisioned:
      e.data["state"] = "deprovisioned";
      break;
    case EventType::kUserRemoved:
      e.data["state"] = "removed";
      break;
    case EventType::kUserArchived:
      e.data["state"] = "archived";
      break;
    default:
      e.data["state"] = u.active ? "active" : "suspended";
  }
  return e;
}

Result<std::vector<nlohmann::json>> ReadEvents(KvStore& store, std::string_view tenant, uint64_t after_sequence,
                                               std::size_t limit) {
  std::string start_after = after_sequence == 0 ? std::string() : keys::Event(tenant, after_sequence);
  DB_ASSIGN_OR_RETURN(auto entries, store.List(keys::EventPrefix(tenant), start_after, limit));
  std::vector<nlohmann::json> out;
  out.reserve(entries.size());
  for (const auto& e : entries) {
    DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(e.value));
    out.push_back(std::move(doc));
  }
  return out;
}

}  // namespace dirbridge
