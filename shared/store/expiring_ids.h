// Ids remembered until an expiry, with a bounded sweep: the memory behind "this event
// (or delivery) was handled already" of every push source. Two key families, given
// as prefixes by store/key_layout.h:
//   {seen_prefix}{escaped id}                      -> its expiry (ms)
//   {expiry_prefix}{expiry, 16 digits}/{escaped id} -> the id, listed in expiry order
// Remembering costs two puts; a sweep deletes the oldest expired ids, at most `max`
// per call, so the storage kept is bounded by the rate of new ids times the window,
// with constant work per call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"
#include "store/transaction.h"

namespace dirbridge {

class ExpiringIds {
 public:
  ExpiringIds(std::string seen_prefix, std::string expiry_prefix)
      : seen_prefix_(std::move(seen_prefix)), expiry_prefix_(std::move(expiry_prefix)) {}

  // True when `id` is remembered and its expiry is after `now_ms`.
  Result<bool> Contains(Transaction& txn, std::string_view id, int64_t now_ms) const;
  // Remembers `id` until `expires_ms` (a later Remember of the same id extends it).
  void Remember(Transaction& txn, std::string_view id, int64_t expires_ms) const;
  // Forgets ids whose expiry is at or before `now_ms`, oldest first, at most `max`;
  // returns how many.
  Result<std::size_t> ForgetExpired(Transaction& txn, int64_t now_ms, std::size_t max) const;

 private:
  std::string SeenKey(std::string_view id) const;

  std::string seen_prefix_;
  std::string expiry_prefix_;
};

}  // namespace dirbridge
