#include "standard_webhooks.h"

#include <charconv>

#include "crypto/constant_time.h"

namespace dirbridge::webhooks {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsPrintableId(std::string_view id) {
  if (id.empty() || id.size() > kMaxDeliveryIdBytes) return false;
  for (char c : id) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

}  // namespace

Result<int64_t> VerifyDelivery(std::string_view key, const SignedHeaders& h, std::string_view body, int64_t now_ms) {
  const std::string_view id = Trim(h.id);
  const std::string_view ts = Trim(h.timestamp);
  const std::string_view sigs = Trim(h.signature);
  if (id.empty()) return Unauthorized("the webhook-id header is missing");
  if (ts.empty()) return Unauthorized("the webhook-timestamp header is missing");
  if (sigs.empty()) return Unauthorized("the webhook-signature header is missing");
  if (!IsPrintableId(id)) {
    return Unauthorized("webhook-id must be 1 to " + std::to_string(kMaxDeliveryIdBytes) +
                        " printable ASCII characters without spaces");
  }
  int64_t seconds = 0;
  auto [p, ec] = std::from_chars(ts.data(), ts.data() + ts.size(), seconds);
  if (ec != std::errc() || p != ts.data() + ts.size() || ts.size() > 12 || seconds < 0) {
    return Unauthorized("webhook-timestamp must be a Unix time in whole seconds");
  }
  const int64_t skew = seconds - now_ms / 1000;
  if (skew < -kToleranceSeconds || skew > kToleranceSeconds) {
    return Unauthorized("webhook-timestamp is " + std::to_string(skew < 0 ? -skew : skew) + " seconds " +
                        (skew < 0 ? "old" : "in the future") + ", outside the " + std::to_string(kToleranceSeconds) +
                        "-second tolerance: a stale or replayed delivery is refused (check the sender's clock)");
  }
  const std::string expected = SignV1(key, id, ts, body);
  bool matched = false;
  std::size_t tried = 0;
  std::string_view rest = sigs;
  while (!rest.empty() && tried < kMaxSignatures) {
    auto space = rest.find(' ');
    std::string_view entry = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    if (entry.empty()) continue;
    if (entry.substr(0, 3) != "v1,") continue;  // another scheme version (v1a, ...): not ours
    ++tried;
    // Every v1 entry is compared (no early exit), each in constant time.
    if (crypto::ConstantTimeEquals(entry, expected)) matched = true;
  }
  if (tried == 0) return Unauthorized("webhook-signature has no 'v1,<base64>' signature");
  if (!matched) return Unauthorized("no webhook-signature matches this delivery (wrong secret, or an altered body)");
  return seconds;
}

}  // namespace dirbridge::webhooks
