#include "store/counter.h"

#include <charconv>
#include <string>

namespace dirbridge {
namespace {
Result<uint64_t> Decode(const std::optional<std::string>& raw, std::string_view key) {
  if (!raw) return uint64_t{0};
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), v);
  if (ec != std::errc() || ptr != raw->data() + raw->size()) {
    return Internal("counter " + std::string(key) + " is corrupt");
  }
  return v;
}
}  // namespace

Result<uint64_t> ReadCounter(Transaction& txn, std::string_view key) {
  DB_ASSIGN_OR_RETURN(auto raw, txn.Get(key));
  return Decode(raw, key);
}

Result<uint64_t> ReadCounter(KvStore& store, std::string_view key) {
  DB_ASSIGN_OR_RETURN(auto raw, store.Get(key));
  return Decode(raw, key);
}

Result<uint64_t> AddToCounter(Transaction& txn, std::string_view key, int64_t delta) {
  DB_ASSIGN_OR_RETURN(uint64_t v, ReadCounter(txn, key));
  if (delta < 0 && static_cast<uint64_t>(-delta) > v) v = 0;
  else v = static_cast<uint64_t>(static_cast<int64_t>(v) + delta);
  txn.Put(std::string(key), std::to_string(v));
  return v;
}

}  // namespace dirbridge
