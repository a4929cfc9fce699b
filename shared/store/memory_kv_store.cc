#include "store/memory_kv_store.h"

namespace dirbridge {

Result<std::optional<std::string>> MemoryKvStore::Get(std::string_view key) {
  ++counts_.gets;
  auto it = data_.find(key);
  if (it == data_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

Result<std::vector<KvEntry>> MemoryKvStore::List(std::string_view prefix, std::string_view start_after,
                                                 std::size_t limit) {
  ++counts_.lists;
  std::vector<KvEntry> out;
  auto it = start_after.empty() ? data_.lower_bound(prefix) : data_.upper_bound(start_after);
  if (!start_after.empty() && it != data_.end() && it->first.compare(0, prefix.size(), prefix) < 0) {
    it = data_.lower_bound(prefix);
  }
  for (; it != data_.end() && out.size() < limit; ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    out.push_back(KvEntry{it->first, it->second});
  }
  counts_.listed_entries += out.size();
  return out;
}

Status MemoryKvStore::Commit(const WriteBatch& batch) {
  if (fail_next_commit_) {
    fail_next_commit_ = false;
    return Internal("injected commit failure");
  }
  ++counts_.commits;
  for (const auto& op : batch.operations()) {
    if (op.op == WriteBatch::Op::kPut) {
      ++counts_.puts;
      data_.insert_or_assign(op.key, op.value);
    } else {
      ++counts_.deletes;
      data_.erase(op.key);
    }
  }
  return Status::Ok();
}

}  // namespace dirbridge
