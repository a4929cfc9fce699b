// An in-memory KvStore: the host for native tests and benchmarks. It also counts
// reads and writes so tests and benchmarks can check how many store operations a
// request costs.
#pragma once

#include <map>

#include "store/kv_store.h"

namespace dirbridge {

struct KvOperationCounts {
  std::size_t gets = 0;
  std::size_t lists = 0;
  std::size_t listed_entries = 0;
  std::size_t puts = 0;
  std::size_t deletes = 0;
  std::size_t commits = 0;
};

class MemoryKvStore : public KvStore {
 public:
  Result<std::optional<std::string>> Get(std::string_view key) override;
  Result<std::vector<KvEntry>> List(std::string_view prefix, std::string_view start_after,
                                    std::size_t limit) override;
  Status Commit(const WriteBatch& batch) override;

  std::size_t size() const { return data_.size(); }
  const KvOperationCounts& counts() const { return counts_; }
  void ResetCounts() { counts_ = {}; }
  // Makes the next Commit fail, to test that a failed commit changes nothing.
  void FailNextCommit() { fail_next_commit_ = true; }

 private:
  std::map<std::string, std::string, std::less<>> data_;
  KvOperationCounts counts_;
  bool fail_next_commit_ = false;
};

}  // namespace dirbridge
