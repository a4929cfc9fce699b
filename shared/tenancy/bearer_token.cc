#include "tenancy/bearer_token.h"

#include <vector>

#include "core/ascii.h"
#include "crypto/base64.h"
#include "crypto/constant_time.h"
#include "crypto/hmac.h"
#include "tenancy/tenant.h"

namespace dirbridge {
namespace {

constexpr std::string_view kVersion = "dbt1";
constexpr std::string_view kHookVersion = "dbh1";
constexpr std::string_view kChannelVersion = "dbc1";
constexpr std::size_t kMacBytes = 16;
constexpr std::size_t kMacChars = 22;  // base64url of 16 bytes, no padding
constexpr std::size_t kMaxSecretChars = 128;

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool AllBase64Url(std::string_view s) {
  for (char c : s) {
    if (!IsBase64UrlChar(c)) return false;
  }
  return true;
}

bool IsConnectionId(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// The token split at its dots: exactly five fields.
std::optional<std::vector<std::string_view>> Fields(std::string_view token) {
  std::vector<std::string_view> out;
  while (out.size() < 6) {
    auto dot = token.find('.');
    out.push_back(token.substr(0, dot));
    if (dot == std::string_view::npos) break;
    token.remove_prefix(dot + 1);
  }
  if (out.size() != 5) return std::nullopt;
  return out;
}

}  // namespace

std::string TokenMac(std::string_view key, std::string_view signed_part) {
  const crypto::Sha256Bytes full = crypto::HmacSha256(key, signed_part);
  return crypto::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(full.data()), kMacBytes));
}

Result<std::string> TokenKey(Env& env) {
  auto key = env.Config(kTokenKeySetting);
  if (!key || key->empty()) {
    return Unavailable("SCIM connections are disabled: the deployment setting DIRBRIDGE_TOKEN_KEY is not set");
  }
  if (key->size() < kMinTokenKeyBytes) {
    return Unavailable("SCIM connections are disabled: DIRBRIDGE_TOKEN_KEY is shorter than " +
                       std::to_string(kMinTokenKeyBytes) + " characters");
  }
  return std::move(*key);
}

namespace {

std::string FormatVersioned(std::string_view version, std::string_view key, const BearerToken& fields) {
  std::string token = std::string(version) + "." + fields.tenant + "." + fields.connection_id + "." + fields.secret;
  const std::string mac = TokenMac(key, token);
  return token + "." + mac;
}

std::optional<BearerToken> ParseVersioned(std::string_view version, std::string_view token) {
  if (token.size() > kMaxBearerTokenBytes) return std::nullopt;
  auto f = Fields(token);
  if (!f) return std::nullopt;
  const auto& v = *f;
  if (v[0] != version || !IsValidTenantId(v[1]) || !IsConnectionId(v[2])) return std::nullopt;
  if (v[3].empty() || v[3].size() > kMaxSecretChars || !AllBase64Url(v[3])) return std::nullopt;
  if (v[4].size() != kMacChars || !AllBase64Url(v[4])) return std::nullopt;
  return BearerToken{std::string(v[1]), std::string(v[2]), std::string(v[3])};
}

Result<BearerToken> VerifyVersioned(std::string_view version, std::string_view key, std::string_view token,
                                    std::string_view what) {
  auto parsed = ParseVersioned(version, token);
  if (!parsed) return Unauthorized(std::string(what) + " is not a dirbridge " + std::string(what));
  const auto last_dot = token.rfind('.');
  const std::string expected = TokenMac(key, token.substr(0, last_dot));
  if (!crypto::ConstantTimeEquals(expected, token.substr(last_dot + 1))) {
    return Unauthorized(std::string(what) + " is not valid");
  }
  return std::move(*parsed);
}

}  // namespace

std::string FormatBearerToken(std::string_view key, const BearerToken& fields) {
  return FormatVersioned(kVersion, key, fields);
}

std::optional<BearerToken> ParseBearerToken(std::string_view token) { return ParseVersioned(kVersion, token); }

Result<BearerToken> VerifyBearerToken(std::string_view key, std::string_view token) {
  auto parsed = ParseBearerToken(token);
  if (!parsed) return Unauthorized("bearer token is not a dirbridge connection token");
  return VerifyVersioned(kVersion, key, token, "bearer token");
}

std::string FormatHookSecret(std::string_view key, const BearerToken& fields) {
  return FormatVersioned(kHookVersion, key, fields);
}

std::optional<BearerToken> ParseHookSecret(std::string_view secret) { return ParseVersioned(kHookVersion, secret); }

Result<BearerToken> VerifyHookSecret(std::string_view key, std::string_view secret) {
  return VerifyVersioned(kHookVersion, key, secret, "hook secret");
}

std::string FormatChannelToken(std::string_view key, const BearerToken& fields) {
  return FormatVersioned(kChannelVersion, key, fields);
}

Result<BearerToken> VerifyChannelToken(std::string_view key, std::string_view token) {
  return VerifyVersioned(kChannelVersion, key, token, "channel token");
}

std::string_view HookSecretIn(std::string_view header_value) {
  std::string_view v = header_value;
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r' || v.back() == '\n')) v.remove_suffix(1);
  constexpr std::string_view kScheme = "bearer ";
  if (v.size() > kScheme.size() && StartsWithIgnoreCase(v, kScheme)) {
    v.remove_prefix(kScheme.size());
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  }
  return v;
}

Result<std::string> ExtractBearerToken(std::string_view header) {
  if (header.empty()) return Unauthorized("missing Authorization header; send 'Authorization: Bearer <token>'");
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size() || !StartsWithIgnoreCase(header, kScheme)) {
    return Unauthorized("Authorization header must use the Bearer scheme");
  }
  std::string_view token = header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\r' || token.back() == '\n')) token.remove_suffix(1);
  if (token.empty()) return Unauthorized("Authorization header has an empty bearer token");
  return std::string(token);
}

}  // namespace dirbridge
