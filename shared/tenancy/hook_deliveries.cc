#include "tenancy/hook_deliveries.h"

#include "store/counter.h"
#include "store/expiring_ids.h"
#include "store/key_layout.h"
#include "store/transaction.h"

namespace dirbridge {
namespace {

ExpiringIds DeliveryIds(std::string_view tenant, std::string_view connection_id) {
  return ExpiringIds(keys::HookSeenPrefix(tenant, connection_id), keys::HookExpiryPrefix(tenant, connection_id));
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
  DB_RETURN_IF_ERROR(AddToCounter(txn, keys::HookReplays(tenant, connection_id), 1).status());
  return txn.Commit();
}

Result<uint64_t> ReplayCount(KvStore& store, std::string_view tenant, std::string_view connection_id) {
  return ReadCounter(store, keys::HookReplays(tenant, connection_id));
}

}  // namespace dirbridge
