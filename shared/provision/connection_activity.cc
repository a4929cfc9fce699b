#include "provision/connection_activity.h"

#include "core/json_input.h"
#include "store/key_layout.h"

namespace dirbridge {

Status NoteConnectionActivity(Transaction& txn, std::string_view tenant, const LifecycleEvent& event) {
  if (event.source.connection_id.empty()) return Status::Ok();
  // Written, never read, here: one more put in the batch and no get.
  nlohmann::json record = {{"lastChange", event.at}, {"lastEvent", event.sequence}};
  if (!event.request_id.empty()) record["lastRequest"] = event.request_id;
  txn.Put(keys::ConnectionActivity(tenant, event.source.connection_id), record.dump());
  return Status::Ok();
}

Result<nlohmann::json> ReadConnectionActivity(KvStore& store, std::string_view tenant, std::string_view connection) {
  DB_ASSIGN_OR_RETURN(auto raw, store.Get(keys::ConnectionActivity(tenant, connection)));
  if (!raw) return nlohmann::json::object();
  return ParseRecordJson(*raw);
}

}  // namespace dirbridge
