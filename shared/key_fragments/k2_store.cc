#include "key_fragments/k2_store.h"

#include "core/json_input.h"
#include "core/timestamp.h"
#include "store/key_layout.h"

namespace dirbridge::key_fragments {
namespace {

using nlohmann::json;

std::string Associated(std::string_view tenant, std::string_view user_id, uint64_t generation) {
  std::string ad = "dirbridge.k2.v1";
  ad.push_back('\0');
  ad.append(tenant);
  ad.push_back('\0');
  ad.append(user_id);
  ad.push_back('\0');
  ad.append(std::to_string(generation));
  return ad;
}

}  // namespace

Result<std::optional<KeyFragmentRecord>> LoadKeyFragment(Transaction& txn, std::string_view tenant,
                                                         std::string_view user_id) {
  DB_ASSIGN_OR_RETURN(auto text, txn.Get(keys::UserKeyFragment(tenant, user_id)));
  if (!text) return std::optional<KeyFragmentRecord>();
  DB_ASSIGN_OR_RETURN(json j, ParseRecordJson(*text));
  if (!j.is_object() || !j.contains("sealed") || !j["sealed"].is_string() || !j.contains("generation") ||
      !j["generation"].is_number_unsigned()) {
    return Corrupt("the K2 record of a user is malformed");
  }
  KeyFragmentRecord r;
  r.sealed = j["sealed"].get<std::string>();
  r.generation = j["generation"].get<uint64_t>();
  r.created = j.value("created", "");
  r.rotated = j.value("rotated", "");
  return std::optional<KeyFragmentRecord>(std::move(r));
}

Result<KeyFragmentRecord> StageNewKeyFragment(Transaction& txn, Env& env, std::string_view tenant,
                                              std::string_view user_id, const KeyFragmentRecord* previous) {
  std::string k2(kKeyFragmentBytes, '\0');
  env.RandomBytes(reinterpret_cast<uint8_t*>(k2.data()), k2.size());
  KeyFragmentRecord r;
  r.generation = previous ? previous->generation + 1 : 1;
  const std::string now = FormatRfc3339Millis(env.NowMillis());
  r.created = previous ? previous->created : now;
  if (previous) r.rotated = now;
  auto sealed = env.Seal(k2, Associated(tenant, user_id, r.generation));
  std::fill(k2.begin(), k2.end(), '\0');
  if (!sealed.ok()) return sealed.error();
  r.sealed = std::move(*sealed);
  json j = {{"sealed", r.sealed}, {"generation", r.generation}, {"created", r.created}};
  if (!r.rotated.empty()) j["rotated"] = r.rotated;
  txn.Put(keys::UserKeyFragment(tenant, user_id), j.dump());
  return r;
}

Result<std::string> OpenKeyFragment(Env& env, std::string_view tenant, std::string_view user_id,
                                    const KeyFragmentRecord& record) {
  DB_ASSIGN_OR_RETURN(auto plain, env.Open(record.sealed, Associated(tenant, user_id, record.generation)));
  if (!plain || plain->size() != kKeyFragmentBytes) {
    return Corrupt("the sealed K2 of a user does not open under this deployment's key");
  }
  return std::move(*plain);
}

void StageKeyFragmentRemoval(Transaction& txn, std::string_view tenant, std::string_view user_id) {
  txn.Delete(keys::UserKeyFragment(tenant, user_id));
}

json KeyFragmentStatusJson(const std::optional<KeyFragmentRecord>& record) {
  if (!record) return {{"enrolled", false}};
  json j = {{"enrolled", true}, {"generation", record->generation}, {"created", record->created}};
  if (!record->rotated.empty()) j["rotated"] = record->rotated;
  return j;
}

}  // namespace dirbridge::key_fragments
