#include "tenancy/google_connection_state.h"

#include "core/json_text.h"
#include "store/key_layout.h"

namespace dirbridge {

using nlohmann::json;

Result<std::optional<json>> GoogleConnectionState::Read(std::string_view kind, std::string_view name) {
  const std::string key = keys::GoogleState(tenant_, connection_, kind, name);
  DB_ASSIGN_OR_RETURN(auto text, txn_.Get(key));
  if (!text) return std::optional<json>();
  auto doc = json::parse(*text, nullptr, false);
  if (doc.is_discarded()) return Corrupt("google connection record " + key + " does not parse");
  return std::optional<json>(std::move(doc));
}

void GoogleConnectionState::Write(std::string_view kind, std::string_view name, const json& record) {
  txn_.Put(keys::GoogleState(tenant_, connection_, kind, name), JsonText(record));
}

void GoogleConnectionState::Remove(std::string_view kind, std::string_view name) {
  txn_.Delete(keys::GoogleState(tenant_, connection_, kind, name));
}

Result<std::vector<std::pair<std::string, json>>> GoogleConnectionState::List(std::string_view kind,
                                                                              std::string_view after_key,
                                                                              std::size_t limit) {
  const std::string prefix = keys::GoogleStatePrefix(tenant_, connection_, kind);
  DB_ASSIGN_OR_RETURN(auto rows, txn_.List(prefix, after_key, limit));
  std::vector<std::pair<std::string, json>> out;
  out.reserve(rows.size());
  for (auto& row : rows) {
    auto doc = json::parse(row.value, nullptr, false);
    if (doc.is_discarded()) return Corrupt("google connection record " + row.key + " does not parse");
    out.emplace_back(std::move(row.key), std::move(doc));
  }
  return out;
}

}  // namespace dirbridge
