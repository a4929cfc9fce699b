#include "effects/retry_policy.h"

#include <algorithm>
#include <array>
#include <charconv>

namespace dirbridge::effects {
namespace {

// Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool Digits(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 12) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

// "Sun, 06 Nov 1994 08:49:37 GMT" -> ms since the epoch.
std::optional<int64_t> ParseImfFixdate(std::string_view s) {
  if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[19] != ':' ||
      s[22] != ':' || s.substr(25) != " GMT") {
    return std::nullopt;
  }
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto month = std::find(kMonths.begin(), kMonths.end(), s.substr(8, 3));
  int64_t day, year, hh, mm, ss;
  if (month == kMonths.end() || !Digits(s.substr(5, 2), &day) || !Digits(s.substr(12, 4), &year) ||
      !Digits(s.substr(17, 2), &hh) || !Digits(s.substr(20, 2), &mm) || !Digits(s.substr(23, 2), &ss)) {
    return std::nullopt;
  }
  if (day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  const auto m = static_cast<unsigned>(month - kMonths.begin() + 1);
  return ((DaysFromCivil(year, m, static_cast<unsigned>(day)) * 24 + hh) * 60 + mm) * 60000 + ss * 1000;
}

}  // namespace

bool IsRetryableStatus(int status) { return status == 408 || status == 429 || status >= 500; }

int64_t BackoffDelayMs(int attempt, uint64_t random) {
  int64_t d = kBackoffBaseMs;
  for (int i = 1; i < attempt && d < kBackoffCapMs; ++i) d *= 2;
  d = std::min(d, kBackoffCapMs);
  const int64_t half = d / 2;
  return half + static_cast<int64_t>(random % static_cast<uint64_t>(half + 1));
}

std::optional<int64_t> RetryAfterMs(const std::map<std::string, std::string>& headers, int64_t now_ms) {
  auto it = headers.find("retry-after");
  if (it == headers.end()) {
    // Okta (and others) say when the rate-limit window resets, in epoch seconds.
    auto reset = headers.find("x-rate-limit-reset");
    int64_t epoch = 0;
    if (reset == headers.end() || !Digits(reset->second, &epoch)) return std::nullopt;
    return std::clamp<int64_t>(epoch * 1000 - now_ms, 0, kRetryAfterCapMs);
  }
  std::string_view v = it->second;
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  int64_t seconds = 0;
  int64_t ms;
  if (Digits(v, &seconds)) {
    ms = seconds * 1000;
  } else if (auto at = ParseImfFixdate(v)) {
    ms = *at - now_ms;
  } else {
    return std::nullopt;
  }
  return std::clamp<int64_t>(ms, 0, kRetryAfterCapMs);
}

}  // namespace dirbridge::effects
