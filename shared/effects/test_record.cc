#include "effects/test_record.h"
#include "core/json_text.h"

#include "store/key_layout.h"

namespace dirbridge::effects {

void PutTestRecord(Transaction& txn, std::string_view tenant, std::string_view note, const nlohmann::json& record) {
  txn.Put(keys::TestEffectRecord(tenant, note), JsonText(record));
}

Result<std::optional<nlohmann::json>> GetTestRecord(KvStore& store, std::string_view tenant, std::string_view note) {
  DB_ASSIGN_OR_RETURN(auto text, store.Get(keys::TestEffectRecord(tenant, note)));
  if (!text) return std::optional<nlohmann::json>();
  auto doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded()) return Corrupt("test record " + std::string(note) + " does not parse");
  return std::optional<nlohmann::json>(std::move(doc));
}

}  // namespace dirbridge::effects
