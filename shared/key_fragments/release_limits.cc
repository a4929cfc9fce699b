#include "key_fragments/release_limits.h"

#include <string>

#include "store/key_layout.h"

namespace dirbridge::key_fragments {
namespace {

Result<uint64_t> Count(Transaction& txn, const std::string& key) {
  DB_ASSIGN_OR_RETURN(auto text, txn.Get(key));
  if (!text) return uint64_t{0};
  uint64_t n = 0;
  for (char c : *text) {
    if (c < '0' || c > '9' || n > 1'000'000'000) return Corrupt("a K2 release count is not a number");
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  return n;
}

}  // namespace

Status CountRelease(Transaction& txn, std::string_view tenant, std::string_view user_id, std::string_view address,
                    int64_t now_ms) {
  const int64_t window = now_ms - (now_ms % kReleaseWindowMs);
  const int retry_after = static_cast<int>((window + kReleaseWindowMs - now_ms + 999) / 1000);
  const std::string user_key = keys::ReleaseCount(tenant, window, "u:" + std::string(user_id));
  const std::string address_key = keys::ReleaseCount(tenant, window, "a:" + std::string(address));
  DB_ASSIGN_OR_RETURN(const uint64_t by_user, Count(txn, user_key));
  if (by_user >= kMaxReleasesPerUser) {
    return TooManyRequests(retry_after, "this user's K2 was released " + std::to_string(by_user) +
                                            " times in the last minute, the limit; retry in " +
                                            std::to_string(retry_after) + " s");
  }
  DB_ASSIGN_OR_RETURN(const uint64_t by_address, Count(txn, address_key));
  if (by_address >= kMaxReleasesPerAddress) {
    return TooManyRequests(retry_after, "K2 was released " + std::to_string(by_address) +
                                            " times to this client address in the last minute, the limit; retry in " +
                                            std::to_string(retry_after) + " s");
  }
  txn.Put(user_key, std::to_string(by_user + 1));
  txn.Put(address_key, std::to_string(by_address + 1));
  // Past windows sort first (their keys start with the window's time).
  const std::string current = keys::ReleaseCount(tenant, window, "");
  DB_ASSIGN_OR_RETURN(auto old, txn.List(keys::ReleaseCountPrefix(tenant), "", kMaxSweptPerRelease));
  for (const auto& e : old) {
    if (e.key < current) txn.Delete(e.key);
  }
  return Status::Ok();
}

}  // namespace dirbridge::key_fragments
