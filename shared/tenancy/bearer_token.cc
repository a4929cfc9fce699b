#include "tenancy/bearer_token.h"

#include "core/ascii.h"

namespace dirbridge {

std::string FormatBearerToken(std::string_view connection_id, std::string_view secret) {
  return "dbt_" + std::string(connection_id) + "_" + std::string(secret);
}

std::optional<ParsedBearerToken> ParseBearerToken(std::string_view token) {
  if (token.substr(0, 4) != "dbt_") return std::nullopt;
  token.remove_prefix(4);
  auto sep = token.find('_');
  if (sep == std::string_view::npos || sep == 0 || sep > 32) return std::nullopt;
  ParsedBearerToken out{std::string(token.substr(0, sep)), std::string(token.substr(sep + 1))};
  for (char c : out.connection_id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  if (out.secret.empty()) return std::nullopt;
  return out;
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
