// When a failed outbound request is tried again (effects/outbox.h): exponential
// backoff with jitter, Retry-After honoured, a bounded number of attempts. Pure
// arithmetic: the random number and the clock come from the caller (the host's Env),
// so tests fix both.
//
//   attempt n failed (n = 1, 2, ...):  d = min(kBackoffCapMs, kBackoffBaseMs * 2^(n-1))
//                                      delay = d/2 + uniform[0, d/2]       ("equal jitter")
//   a 429 or 503 with Retry-After:     delay = max(delay, Retry-After), at most kRetryAfterCapMs
//   ... without Retry-After but with X-Rate-Limit-Reset (epoch seconds, Okta's rate
//   limit headers): delay = max(delay, reset - now), at most kRetryAfterCapMs
//   after max_attempts attempts:       the entry is parked (failed) for the admin to retry
//
// Retried: a network error (no answer, timeout, an answer the host could not read) and
// statuses 408, 429 and 5xx. Any other status is an answer, handed to the continuation.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace dirbridge::effects {

inline constexpr int64_t kBackoffBaseMs = 1000;
inline constexpr int64_t kBackoffCapMs = 10 * 60 * 1000;
inline constexpr int64_t kRetryAfterCapMs = 60 * 60 * 1000;
// Attempts of an effect that says nothing else; an effect may ask for 1..kMaxAttemptsLimit.
inline constexpr int kDefaultMaxAttempts = 8;
inline constexpr int kMaxAttemptsLimit = 12;

// The status of an answer that is retried rather than handed to the continuation.
bool IsRetryableStatus(int status);

// The delay before the next attempt after attempt `attempt` (1-based) failed;
// `random` is any 64-bit random number.
int64_t BackoffDelayMs(int attempt, uint64_t random);

// A Retry-After header (delta-seconds, or an IMF-fixdate such as "Wed, 21 Oct 2015
// 07:28:00 GMT"), or else X-Rate-Limit-Reset (epoch seconds), as milliseconds from `now_ms`, capped at kRetryAfterCapMs; nullopt
// when absent or unreadable. Header names are lower-case.
std::optional<int64_t> RetryAfterMs(const std::map<std::string, std::string>& headers, int64_t now_ms);

}  // namespace dirbridge::effects
