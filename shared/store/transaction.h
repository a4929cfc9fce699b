// A request's view of the store: reads see the request's own staged writes first
// (read-your-writes), writes are staged in one WriteBatch, and Commit hands the
// batch to the store in one atomic call. Nothing reaches the store before Commit,
// so a request that fails half-way changes nothing.
#pragma once

#include <map>

#include "store/kv_store.h"

namespace dirbridge {

class Transaction {
 public:
  explicit Transaction(KvStore& store) : store_(store) {}

  Result<std::optional<std::string>> Get(std::string_view key);
  // Get, remembering a committed value for the rest of the transaction: for a small
  // record that many steps of one batch consult (the event feed's state, read at each
  // event appended), read from the store once per batch.
  Result<std::optional<std::string>> GetCached(std::string_view key);
  // Lists committed state only (staged writes are not merged into pages).
  Result<std::vector<KvEntry>> List(std::string_view prefix, std::string_view start_after, std::size_t limit) {
    return store_.List(prefix, start_after, limit);
  }
  void Put(std::string key, std::string value);
  void Delete(std::string key);
  Status Commit();
  const WriteBatch& batch() const { return batch_; }
  // The store under the transaction, for code that commits its own idempotent batches
  // (e.g. a continuation applying source events, which dedupe by uuid).
  KvStore& store() { return store_; }

 private:
  KvStore& store_;
  WriteBatch batch_;
  std::map<std::string, std::optional<std::string>, std::less<>> staged_;
  std::map<std::string, std::optional<std::string>, std::less<>> read_;
};

}  // namespace dirbridge
