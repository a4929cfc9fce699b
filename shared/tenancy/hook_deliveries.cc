#include "tenancy/hook_deliveries.h"

#include <charconv>

#include "core/json_input.h"
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

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
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
  DB_ASSIGN_OR_RETURN(auto raw, store.Get(keys::HookSeen(tenant, connection_id, delivery_id)));
  if (!raw) return false;
  auto expires = ParseInt(*raw);
  if (!expires) return Corrupt("a remembered webhook delivery has no expiry");
  return *expires > now_ms;
}

Status RecordDelivery(KvStore& store, std::string_view tenant, std::string_view connection_id,
                      std::string_view delivery_id, int64_t expires_ms, int64_t now_ms, const HookCounts& add) {
  Transaction txn(store);
  // Sweep first: the oldest expiries, up to kSweepPerDelivery of them.
  DB_ASSIGN_OR_RETURN(auto oldest, txn.List(keys::HookExpiryPrefix(tenant, connection_id), "", kSweepPerDelivery));
  const std::string prefix = keys::HookExpiryPrefix(tenant, connection_id);
  for (const auto& e : oldest) {
    std::string_view rest = std::string_view(e.key).substr(prefix.size());  // {expiry}/{id}
    auto slash = rest.find('/');
    if (slash == std::string_view::npos) return Corrupt("a webhook delivery expiry key is malformed");
    auto expiry = ParseInt(rest.substr(0, slash));
    if (!expiry) return Corrupt("a webhook delivery expiry key is malformed");
    if (*expiry > now_ms) break;  // ordered by expiry: the rest expire later
    txn.Delete(e.key);
    // The id's own key, unless it was taken again since (then it holds a later expiry).
    // The key part is escaped already: rebuild the seen key from the raw segment.
    const std::string seen_key = keys::HookSeen(tenant, connection_id, "") ;
    const std::string id_key = seen_key + std::string(rest.substr(slash + 1));
    DB_ASSIGN_OR_RETURN(auto current, txn.Get(id_key));
    if (current && ParseInt(*current) == expiry) txn.Delete(id_key);
  }
  txn.Put(keys::HookSeen(tenant, connection_id, delivery_id), std::to_string(expires_ms));
  txn.Put(keys::HookExpiry(tenant, connection_id, expires_ms, delivery_id), "");
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
