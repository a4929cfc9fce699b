// The kinds of identity source a tenant can connect, in one list: the admin API
// validates against it, the SCIM dialects (normalize/scim_dialect.h) switch on it,
// and error messages name its members.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace dirbridge {

// kSignedWebhook: any source that posts dirbridge's own lifecycle events, signed the
// Standard Webhooks way, to /t/{tenant}/hooks/signed/{connection}/{gate} (functions/webhooks).
enum class ConnectionKind { kEntra, kOkta, kOneLogin, kPingOne, kJumpCloud, kGoogle, kAd, kCustom, kSignedWebhook };

// "entra", "okta", "onelogin", "pingone", "jumpcloud", "google", "ad", "custom",
// "signed_webhook".
const char* ConnectionKindName(ConnectionKind kind);
std::optional<ConnectionKind> ParseConnectionKind(std::string_view name);
// Every name, comma-separated, for error messages.
const std::string& KnownConnectionKinds();

// In JSON a kind is its name.
inline void to_json(nlohmann::json& j, ConnectionKind kind) { j = ConnectionKindName(kind); }

}  // namespace dirbridge
