// The shape of the secrets we issue and how they arrive: "Authorization: Bearer
// dbt_{connection id}_{secret}". Parsing never fails loudly with the token in the
// message: errors say what is wrong with the header, not what it contained.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dirbridge {

struct ParsedBearerToken {
  std::string connection_id;
  std::string secret;
};

std::string FormatBearerToken(std::string_view connection_id, std::string_view secret);
std::optional<ParsedBearerToken> ParseBearerToken(std::string_view token);
// The token from an Authorization header value; 401 when absent or not "Bearer".
Result<std::string> ExtractBearerToken(std::string_view authorization_header);

}  // namespace dirbridge
