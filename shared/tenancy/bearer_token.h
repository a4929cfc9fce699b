// The bearer tokens we issue and how they arrive: "Authorization: Bearer <token>".
//
// A connection's token is self-authenticating, so the edge (functions/router) can
// refuse a forged or misdirected one without touching any tenant's storage:
//
//   dbt1.{tenant}.{connection id}.{secret}.{mac}
//
//   tenant         the tenant id (a slug: a-z, 0-9, '-'), the token is only for it
//   connection id  16 lowercase hex digits (1..32 accepted)
//   secret         32 random bytes, base64url without padding (43 characters)
//   mac            HMAC-SHA-256 under the deployment's token key (DIRBRIDGE_TOKEN_KEY)
//                  of everything before the last '.', truncated to 16 bytes,
//                  base64url without padding (22 characters)
//
// No field can contain '.', so the split is unambiguous. The router checks the MAC
// and the tenant; the tenant module then checks the SHA-256 of the whole token
// against the one stored with the connection, so a connection removed from storage
// stops working although its MAC stays valid. Errors say what is wrong with the
// header or the token, never what it contained.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/env.h"
#include "core/result.h"

namespace dirbridge {

// The deployment secret every token's MAC is made with: a Workers secret, or what
// deploy/local/serve.mjs keeps in its data folder. At least kMinTokenKeyBytes long.
inline constexpr const char* kTokenKeySetting = "DIRBRIDGE_TOKEN_KEY";
inline constexpr std::size_t kMinTokenKeyBytes = 32;
// Longer tokens are refused before any MAC is computed.
inline constexpr std::size_t kMaxBearerTokenBytes = 256;

struct BearerToken {
  std::string tenant;
  std::string connection_id;
  std::string secret;
};

// The token key from the deployment settings; 503 when it is unset or too short.
Result<std::string> TokenKey(Env& env);

// The MAC every self-authenticating value of the edge carries (tokens, hook secrets,
// signed-webhook URL gates): HMAC-SHA-256 under `key` of `signed_part`, truncated to
// 16 bytes, base64url without padding (22 characters).
std::string TokenMac(std::string_view key, std::string_view signed_part);

// The token for `fields`, MAC'ed under `key`.
std::string FormatBearerToken(std::string_view key, const BearerToken& fields);

// The fields of a well-formed token, without checking its MAC; nullopt otherwise.
std::optional<BearerToken> ParseBearerToken(std::string_view token);

// The fields of a well-formed token whose MAC holds under `key` (compared in constant
// time); 401 otherwise.
Result<BearerToken> VerifyBearerToken(std::string_view key, std::string_view token);

// An event hook's shared secret (Okta Event Hooks send it verbatim in a header the
// admin names, "Authorization" by default) has the same shape and MAC with another
// version, so it is never accepted as a SCIM bearer token nor the other way round:
//
//   dbh1.{tenant}.{connection id}.{secret}.{mac}
//
// The router checks its MAC, tenant and connection before any tenant storage is
// touched; the tenant module compares its SHA-256 with the stored one.
std::string FormatHookSecret(std::string_view key, const BearerToken& fields);
std::optional<BearerToken> ParseHookSecret(std::string_view secret);
Result<BearerToken> VerifyHookSecret(std::string_view key, std::string_view secret);
// A Google push channel's token (X-Goog-Channel-Token, at most 256 characters, sent
// back verbatim with every notification): the same shape with version dbc1, so the
// edge refuses a notification for a tenant or connection it was not issued for
// before any tenant storage is touched; the gworkspace module then compares its
// SHA-256 with the one its channel record keeps (one token per channel).
std::string FormatChannelToken(std::string_view key, const BearerToken& fields);
Result<BearerToken> VerifyChannelToken(std::string_view key, std::string_view token);
// The secret in a header value: trimmed, an optional "Bearer " scheme removed.
std::string_view HookSecretIn(std::string_view header_value);

// The token from an Authorization header value; 401 when absent or not "Bearer".
Result<std::string> ExtractBearerToken(std::string_view authorization_header);

}  // namespace dirbridge
