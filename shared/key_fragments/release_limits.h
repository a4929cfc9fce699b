// Rate limits on K2 releases: per user and per client address, in fixed windows of
// kReleaseWindowMs, counted at t/{t}/fed/rate/{window}/{who}. Only releases are
// counted (a refused request writes nothing, as every refusal); a release over a limit
// is 429 with Retry-After at the window's end. Each check also deletes up to
// kMaxSweptPerRelease counts of past windows, so the counts kept are those of the
// current window plus a bounded backlog.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/result.h"
#include "store/transaction.h"

namespace dirbridge::key_fragments {

inline constexpr int64_t kReleaseWindowMs = 60 * 1000;
inline constexpr uint64_t kMaxReleasesPerUser = 10;      // per window
inline constexpr uint64_t kMaxReleasesPerAddress = 60;   // per window
inline constexpr std::size_t kMaxSweptPerRelease = 16;

// Counts one release of `user_id` to `address` ("" when the host gave none: all such
// releases share one count) in the current window, or 429 naming the limit reached.
Status CountRelease(Transaction& txn, std::string_view tenant, std::string_view user_id, std::string_view address,
                    int64_t now_ms);

}  // namespace dirbridge::key_fragments
