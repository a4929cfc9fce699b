#include "tenancy/hook_deliveries.h"

#include "core/json_input.h"
#include "store/expiring_ids.h"
#include "store/key_layout.h"
#include "store/transaction.h"

namespace dirbridge {
namespace {

struct Field {
  const char* name;
  uint64_t HookCounts::*member;
};
constexpr Field kFields[] = {
    {"deliveries", &HookCounts::deliveries}, {"duplicates", &HookCounts::duplicates},
    {"events", &HookCounts::events},         {"applied", &HookCounts::applied},
    {"unchanged", &HookCounts::unchanged},   {"stale", &HookCounts::stale},
    {"skipped", &HookCounts::skipped},       {"unknownTypes", &HookCounts::unknown_types},
    {"rejected", &HookCounts::rejected},
};

ExpiringIds DeliveryIds(std::string_view tenant, std::string_view connection_id) {
  return ExpiringIds(keys::HookSeenPrefix(tenant, connection_id), keys::HookExpiryPrefix(tenant, connection_id));
}

Result<HookCounts> ReadCounts(Transaction& txn, const std::string& key) {
  HookCounts c;
  DB_ASSIGN_OR_RETURN(auto raw, txn.Get(key));
  if (!raw) return c;
  DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(*raw));
  for (const auto& f : kFields) {
    auto it = doc.find(f.name);
    if (it != doc.end() && it->is_number_unsigned()) c.*(f.member) = it->get<uint64_t>();
  }
  return c;
}

Status AddCounts(Transaction& txn, std::string_view tenant, std::string_view connection_id, const HookCounts& add) {
  const std::string key = keys::HookStats(tenant, connection_id);
  DB_ASSIGN_OR_RETURN(auto c, ReadCounts(txn, key));
  for (const auto& f : kFields) c.*(f.member) += add.*(f.member);
  txn.Put(key, HookCountsToJson(c).dump());
  return Status::Ok();
}

}  // namespace

nlohmann::json HookCountsToJson(const HookCounts& counts) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& f : kFields) out[f.name] = counts.*(f.member);
  return out;
}

Result<bool> DeliverySeen(KvStore& store, std::string_view tenant, std::string_view connection_id,
                          std::string_view delivery_id, int64_t now_ms) {
  Transaction txn(store);
  return DeliveryIds(tenant, connection_id).Contains(txn, delivery_id, now_ms);
}

Status RecordDelivery(KvStore& store, std::string_view tenant, std::string_view connection_id,
                      std::string_view delivery_id, int64_t expires_ms, int64_t now_ms, const HookCounts& add) {
  Transaction txn(store);
  const ExpiringIds ids = DeliveryIds(tenant, connection_id);
  DB_RETURN_IF_ERROR(ids.ForgetExpired(txn, now_ms, kSweepPerDelivery).status());
  ids.Remember(txn, delivery_id, expires_ms);
  DB_RETURN_IF_ERROR(AddCounts(txn, tenant, connection_id, add));
  return txn.Commit();
}

Status CountDeliveries(KvStore& store, std::string_view tenant, std::string_view connection_id,
                       const HookCounts& add) {
  Transaction txn(store);
  DB_RETURN_IF_ERROR(AddCounts(txn, tenant, connection_id, add));
  return txn.Commit();
}

Result<HookCounts> GetHookCounts(KvStore& store, std::string_view tenant, std::string_view connection_id) {
  Transaction txn(store);
  return ReadCounts(txn, keys::HookStats(tenant, connection_id));
}

}  // namespace dirbridge
