// The edge gate of a signed-webhook URL. A signed_webhook connection's secret is the
// admin's or generated, and kept sealed in the tenant's storage, so the edge cannot
// check a delivery's signature; without a gate any POST to a well-formed URL would
// reach (and create) a tenant's storage. The URL dirbridge issues therefore carries a
// MAC the edge can check without storage:
//
//   /t/{tenant}/hooks/signed/{connection}/{gate}
//
//   gate  HMAC-SHA-256 under the deployment's token key (DIRBRIDGE_TOKEN_KEY,
//         tenancy/bearer_token.h) of "dbg1.{tenant}.{connection}", truncated to 16
//         bytes (128 bits), base64url without padding (22 characters)
//
// The "dbg1." prefix keeps the MAC's input apart from those of tokens (dbt1) and Okta
// hook secrets (dbh1). The gate names one tenant and one connection and is not a
// secret of the sender's (anyone holding the URL holds it): it only keeps requests to
// URLs dirbridge never issued away from tenant storage; the signature, checked by the
// webhooks module, authenticates the delivery.
#pragma once

#include <string>
#include <string_view>

#include "core/env.h"
#include "core/result.h"

namespace dirbridge {

// The gate of `tenant`'s `connection` under `key`.
std::string SignedHookGate(std::string_view key, std::string_view tenant, std::string_view connection);

// Whether `gate` is that gate (compared in constant time).
bool SignedHookGateHolds(std::string_view key, std::string_view tenant, std::string_view connection,
                         std::string_view gate);

// "{origin}/t/{tenant}/hooks/signed/{connection}/{gate}", the key read from `env`
// (503 when it is unset or too short, as TokenKey says).
Result<std::string> TenantSignedHookUrl(Env& env, std::string_view origin, std::string_view tenant,
                                        std::string_view connection);

}  // namespace dirbridge
