// An entra connection's certificate credential for Microsoft Graph
// (learn.microsoft.com/entra/identity-platform/certificate-credentials): the client
// credentials grant's client_assertion, an RS256 JWT whose header names the certificate
// by its SHA-1 thumbprint (x5t, base64url) and whose claims are aud = the token
// endpoint, iss = sub = the client id, a fresh jti, nbf/iat = now, exp = now + 10
// minutes. The private key stays sealed (secret graph-client-key) and the host signs
// (Env::SignRs256WithSealedKey); the assertion is made when the outbox claims the token
// request (tenancy/outbound_credentials.h), so none is ever stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/result.h"
#include "store/kv_store.h"

namespace dirbridge::graph_credentials {

inline constexpr const char* kClientKeySecret = "graph-client-key";
inline constexpr const char* kAssertionCredential = "graph-assertion";
inline constexpr int64_t kAssertionLifetimeSeconds = 600;
// The audience is always Microsoft's token endpoint, whatever endpoint a test deployment
// sends the request to.
inline constexpr const char* kAudiencePrefix = "https://login.microsoftonline.com/";

// The x5t of a thumbprint as an admin gives it: 40 hex digits (as the Entra portal
// shows it) or the base64url form (27 characters); 400 otherwise.
Result<std::string> X5tOfThumbprint(std::string_view thumbprint);

nlohmann::json AssertionHeader(std::string_view x5t);
nlohmann::json AssertionClaims(std::string_view entra_tenant, std::string_view client_id, std::string_view jti,
                               int64_t now_ms);

// The assertion signed now for `connection` of `tenant`, from its settings (tenantId,
// clientId, x5t; tenancy/connection_state.h) and its sealed key; nullopt when the
// connection has no such settings or no key.
Result<std::optional<std::string>> SignedClientAssertion(KvStore& store, Env& env, std::string_view tenant,
                                                         std::string_view connection);

}  // namespace dirbridge::graph_credentials
