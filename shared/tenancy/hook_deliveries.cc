#include "tenancy/hook_deliveries.h"

#include <nlohmann/json.hpp>

#include "core/json_input.h"
#include "store/expiring_ids.h"
#include "store/key_layout.h"
#include "store/transaction.h"

namespace dirbridge {
namespace {

constexpr const char* kReplays = "replays";

ExpiringIds DeliveryIds(std::string_view tenant, std::string_view connection_id) {
  return ExpiringIds(keys::HookSeenPrefix(tenant, connection_id), keys::HookExpiryPrefix(tenant, connection_id));
}

Result<uint64_t> ReadReplays(Transaction& txn, const std::string& key) {
  DB_ASSIGN_OR_RETURN(auto raw, txn.Get(key));
  if (!raw) return uint64_t{0};
  DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(*raw));
  auto it = doc.find(kReplays);
  return it != doc.end() && it->is_number_unsigned() ? it->get<uint64_t>() : uint64_t{0};
}

}  // namespace

Result<bool> DeliverySeen(KvStore& store, std::string_view tenant, std::string_view connection_id,
                          std::string_view delivery_id, int64_t now_ms) {
  Transaction txn(store);
  return DeliveryIds(tenant, connection_id).Contains(txn, delivery_id, now_ms);
}

Status RecordDelivery(KvStore& store, std::string_view tenant, std::string_view connection_id,
                      std::string_view delivery_id, int64_t expires_ms, int64_t now_ms) {
  Transaction txn(store);
  const ExpiringIds ids = DeliveryIds(tenant, connection_id);
  DB_RETURN_IF_ERROR(ids.ForgetExpired(txn, now_ms, kSweepPerDelivery).status());
  ids.Remember(txn, delivery_id, expires_ms);
  return txn.Commit();
}

Status CountReplay(KvStore& store, std::string_view tenant, std::string_view connection_id) {
  Transaction txn(store);
  const std::string key = keys::HookStats(tenant, connection_id);
  DB_ASSIGN_OR_RETURN(uint64_t replays, ReadReplays(txn, key));
  txn.Put(key, nlohmann::json{{kReplays, replays + 1}}.dump());
  return txn.Commit();
}

Result<uint64_t> ReplayCount(KvStore& store, std::string_view tenant, std::string_view connection_id) {
  Transaction txn(store);
  return ReadReplays(txn, keys::HookStats(tenant, connection_id));
}

}  // namespace dirbridge
