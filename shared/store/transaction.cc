#include "store/transaction.h"

namespace dirbridge {

Result<std::optional<std::string>> Transaction::Get(std::string_view key) {
  auto it = staged_.find(key);
  if (it != staged_.end()) return it->second;
  return store_.Get(key);
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
  return Status::Ok();
}

}  // namespace dirbridge
