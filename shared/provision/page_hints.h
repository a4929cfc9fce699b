// Makes SCIM index paging (startIndex/count) cost O(page) for clients that walk a
// collection in order, as Okta's and OneLogin's imports do (startIndex=1, 101,
// 201, ...). A key-value store has no "skip N", so serving a page remembers where
// the next one starts. A position is only meaningful while nothing was added to or
// removed from the collection, so every hint carries the collection's generation,
// which each create and delete bumps in its own batch; a stale hint is ignored.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/kv_store.h"
#include "store/transaction.h"

namespace dirbridge {

class PageHints {
 public:
  // collection: "users" or "groups".
  PageHints(KvStore& store, std::string tenant, std::string collection);

  // The cursor (last id before `start_index`) when a valid hint exists.
  Result<std::optional<std::string>> Find(std::size_t start_index);
  // Remembers that the resource at `start_index` comes right after `cursor`.
  Status Remember(std::size_t start_index, std::string_view cursor);

 private:
  Result<uint64_t> Generation();

  KvStore& store_;
  std::string tenant_;
  std::string collection_;
};

// Called by every create and delete of the collection, inside its transaction.
Status BumpCollectionGeneration(Transaction& txn, std::string_view tenant, std::string_view collection);

}  // namespace dirbridge
