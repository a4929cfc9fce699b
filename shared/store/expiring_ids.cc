#include "store/expiring_ids.h"

#include <charconv>
#include <optional>

#include "store/key_layout.h"

namespace dirbridge {
namespace {

std::optional<int64_t> ParseMillis(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string ExpiringIds::SeenKey(std::string_view id) const { return seen_prefix_ + keys::EscapePart(id); }

Result<bool> ExpiringIds::Contains(Transaction& txn, std::string_view id, int64_t now_ms) const {
  DB_ASSIGN_OR_RETURN(auto raw, txn.Get(SeenKey(id)));
  if (!raw) return false;
  auto expires = ParseMillis(*raw);
  if (!expires) return Corrupt("a remembered id has no expiry");
  return *expires > now_ms;
}

void ExpiringIds::Remember(Transaction& txn, std::string_view id, int64_t expires_ms) const {
  txn.Put(SeenKey(id), std::to_string(expires_ms));
  txn.Put(expiry_prefix_ + keys::TimeOrdered(expires_ms) + "/" + keys::EscapePart(id), std::string(id));
}

Result<std::size_t> ExpiringIds::ForgetExpired(Transaction& txn, int64_t now_ms, std::size_t max) const {
  DB_ASSIGN_OR_RETURN(auto oldest, txn.List(expiry_prefix_, "", max));
  std::size_t forgotten = 0;
  for (const auto& e : oldest) {
    auto expiry = ParseMillis(std::string_view(e.key).substr(expiry_prefix_.size(), 16));
    if (!expiry) return Corrupt("an id expiry key is malformed");
    if (*expiry > now_ms) break;  // listed in expiry order: the rest expire later
    txn.Delete(e.key);
    // The id itself, unless it was remembered again since (then it holds a later expiry).
    const std::string seen = SeenKey(e.value);
    DB_ASSIGN_OR_RETURN(auto current, txn.Get(seen));
    if (current && ParseMillis(*current) == expiry) txn.Delete(seen);
    ++forgotten;
  }
  return forgotten;
}

}  // namespace dirbridge
