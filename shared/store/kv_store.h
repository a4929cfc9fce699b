// The key-value store every host provides. Keys and values are byte strings; keys
// sort in ascending byte order. List pages through a prefix with a cursor (the last
// key of the previous page), so no caller ever loads a whole collection. Commit
// applies a WriteBatch atomically: all of it, or (on error) none of it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/write_batch.h"

namespace dirbridge {

struct KvEntry {
  std::string key;
  std::string value;
};

class KvStore {
 public:
  virtual ~KvStore() = default;
  virtual Result<std::optional<std::string>> Get(std::string_view key) = 0;
  // Up to `limit` entries with keys starting with `prefix` and sorting strictly
  // after `start_after` (empty: from the start of the prefix), ascending.
  virtual Result<std::vector<KvEntry>> List(std::string_view prefix, std::string_view start_after,
                                            std::size_t limit) = 0;
  virtual Status Commit(const WriteBatch& batch) = 0;
};

}  // namespace dirbridge
