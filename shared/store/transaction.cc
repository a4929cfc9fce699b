#include "store/transaction.h"

namespace dirbridge {

Result<std::optional<std::string>> Transaction::Get(std::string_view key) {
  auto it = staged_.find(key);
  if (it != staged_.end()) return it->second;
  return store_.Get(key);
}

Result<std::optional<std::string>> Transaction::GetCached(std::string_view key) {
  if (auto it = staged_.find(key); it != staged_.end()) return it->second;
  if (auto it = read_.find(key); it != read_.end()) return it->second;
  DB_ASSIGN_OR_RETURN(auto value, store_.Get(key));
  read_.insert_or_assign(std::string(key), value);
  return value;
}

void Transaction::Put(std::string key, std::string value) {
  staged_.insert_or_assign(key, value);
  batch_.Put(std::move(key), std::move(value));
}

void Transaction::Delete(std::string key) {
  staged_.insert_or_assign(key, std::nullopt);
  batch_.Delete(std::move(key));
}

Status Transaction::Commit() {
  if (batch_.empty()) return Status::Ok();
  DB_RETURN_IF_ERROR(store_.Commit(batch_));
  batch_ = WriteBatch();
  staged_.clear();
  read_.clear();
  return Status::Ok();
}

}  // namespace dirbridge
