#include "tenancy/connection_state.h"

#include "core/json_text.h"
#include "core/timestamp.h"
#include "model/json_fields.h"
#include "store/key_layout.h"

namespace dirbridge {

using nlohmann::json;

Result<std::optional<json>> ConnectionState::Read(std::string_view kind, std::string_view name) {
  const std::string key = keys::ConnectionState(tenant_, connection_, kind, name);
  DB_ASSIGN_OR_RETURN(auto text, txn_->Get(key));
  if (!text) return std::optional<json>();
  auto doc = json::parse(*text, nullptr, false);
  if (doc.is_discarded()) return Corrupt("connection record " + key + " does not parse");
  return std::optional<json>(std::move(doc));
}

void ConnectionState::Write(std::string_view kind, std::string_view name, const json& record) {
  txn_->Put(keys::ConnectionState(tenant_, connection_, kind, name), JsonText(record));
}

void ConnectionState::Remove(std::string_view kind, std::string_view name) {
  txn_->Delete(keys::ConnectionState(tenant_, connection_, kind, name));
}

Result<std::vector<std::pair<std::string, json>>> ConnectionState::List(std::string_view kind,
                                                                              std::string_view after_key,
                                                                              std::size_t limit) {
  const std::string prefix = keys::ConnectionStatePrefix(tenant_, connection_, kind);
  DB_ASSIGN_OR_RETURN(auto rows, txn_->List(prefix, after_key, limit));
  std::vector<std::pair<std::string, json>> out;
  out.reserve(rows.size());
  for (auto& row : rows) {
    auto doc = json::parse(row.value, nullptr, false);
    if (doc.is_discarded()) return Corrupt("connection record " + row.key + " does not parse");
    out.emplace_back(std::move(row.key), std::move(doc));
  }
  return out;
}

Status ConnectionState::UpdateStatus(std::string_view section, const std::function<void(json&)>& change) {
  DB_ASSIGN_OR_RETURN(auto current, Read("status", "current"));
  json status = current && current->is_object() ? std::move(*current) : json::object();
  json& part = status[std::string(section)];
  if (!part.is_object()) part = json::object();
  change(part);
  Write("status", "current", status);
  return Status::Ok();
}

Status ConnectionState::NoteError(std::string_view section, const std::string& why, int64_t now_ms) {
  return UpdateStatus(section, [&](json& part) {
    part["failed"] = json_fields::IntAt(part, "failed") + 1;
    part["lastError"] = why;
    part["lastErrorAt"] = FormatRfc3339Millis(now_ms);
  });
}

}  // namespace dirbridge
