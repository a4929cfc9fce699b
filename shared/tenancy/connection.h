// IdP connections: how one identity source (Entra ID, Okta, Google, AD, ...) reaches
// one tenant. Creating a connection issues its bearer token exactly once; the store
// keeps only its SHA-256. The token names its tenant and connection and carries a MAC
// under the deployment's token key (tenancy/bearer_token.h): the edge checks the MAC,
// and here authentication is one key read and a constant-time comparison of hashes.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/result.h"
#include "model/connection_kind.h"
#include "model/deprovisioning_policy.h"
#include "model/lifecycle_event.h"
#include "store/kv_store.h"

namespace dirbridge {

struct Connection {
  std::string id;
  std::string tenant;
  ConnectionKind kind = ConnectionKind::kCustom;
  std::string created;
  std::string token_sha256;  // hex; the token itself is never stored
  // Event hooks (kind okta): the SHA-256 of the hook secret (empty: no hook), the
  // header Okta sends it in (lower-case), and the Okta id of the password manager's
  // application (empty: the whole org is in scope; see provision/source_event_applier.h).
  std::string hook_secret_sha256;
  std::string hook_header;
  std::string app_id;
  // Token rotation (RotateConnectionToken): the token before the last rotation stays
  // valid until previous_valid_until_ms (0: no previous token).
  std::string previous_token_sha256;
  int64_t previous_valid_until_ms = 0;
  std::string token_rotated;  // RFC 3339, empty if never
  std::string revoked;        // RFC 3339, empty unless revoked (RevokeConnection)
  // Custom API connections (kind custom): the SHA-256 of the provisioning hash
  // (tenancy/provisioning_hash.h).
  std::string provhash_sha256;
  // What this source's deactivate and delete mean (model/deprovisioning_policy.h);
  // stored only when it is not the default.
  DeprovisioningPolicy deprovisioning;
};

struct ConnectionOptions {
  std::string hook_header;  // default "authorization"
  std::string app_id;
};

struct IssuedConnection {
  Connection connection;
  std::string token;        // shown once
  std::string hook_secret;  // shown once; empty unless the kind receives event hooks
  std::string provhash;     // shown once; empty unless the kind is custom
};

// Whether connections of this kind receive event hooks (and get a hook secret).
bool ReceivesEventHooks(ConnectionKind kind);
inline constexpr std::size_t kMaxHookHeaderNameBytes = 64;
inline constexpr std::size_t kMaxAppIdBytes = 128;

// 503 (and nothing written) when the deployment has no token key; 400 for a header
// name that is not an HTTP token or names a header the hosts set themselves.
Result<IssuedConnection> CreateConnection(KvStore& store, Env& env, std::string_view tenant, std::string_view kind,
                                          const ConnectionOptions& options = {});

// 404 when the tenant has no such connection, or it was revoked (every adapter then
// treats it as gone; ListConnections still shows it).
Result<Connection> GetConnection(KvStore& store, std::string_view tenant, std::string_view connection_id);

// Checks an event hook delivery for `connection_id` of `tenant`: the connection
// exists, receives hooks, and the header it names carries the secret whose SHA-256 is
// stored (constant-time). 401 with a reason that never echoes the secret.
Result<Connection> AuthenticateHook(KvStore& store, std::string_view tenant, std::string_view connection_id,
                                    const std::map<std::string, std::string>& headers);

// Checks an Authorization header value ("Bearer dbt1...") against the tenant's
// connections: the token must name `tenant` and hash to a stored connection's hash.
// 401 with a reason that never echoes the token.
// The token of the last rotation is accepted too, until its grace period ends (at
// `now_ms`); a revoked connection's never.
Result<Connection> AuthenticateConnection(KvStore& store, std::string_view tenant,
                                          std::string_view authorization_header, int64_t now_ms);

// ---- Managing connections (the admin API)
// A page of the tenant's connections, revoked ones included, in id order after `after`.
inline constexpr std::size_t kMaxConnectionsPerPage = 200;
Result<std::vector<Connection>> ListConnections(KvStore& store, std::string_view tenant, std::string_view after,
                                                std::size_t limit);
// Issues a new bearer token (shown once); the current one stays valid for
// `grace_seconds` (0: it stops at once), replacing any earlier token still in its
// grace period. 400 past kMaxTokenGraceSeconds; 404 as GetConnection.
inline constexpr int64_t kDefaultTokenGraceSeconds = 3600;
inline constexpr int64_t kMaxTokenGraceSeconds = 7 * 24 * 3600;
struct RotatedToken {
  Connection connection;
  std::string token;
};
Result<RotatedToken> RotateConnectionToken(KvStore& store, Env& env, std::string_view tenant,
                                           std::string_view connection_id, int64_t grace_seconds);
// Replaces the provisioning hash of a custom connection (tenancy/provisioning_hash.h):
// the new one is returned (shown once), the old one stops working. 404 for no such (or
// a revoked) connection, 400 for a connection that is not of kind custom.
Result<std::string> RotateProvisioningHash(KvStore& store, Env& env, std::string_view tenant,
                                           std::string_view connection_id);
// Changes the fields of the connection's deprovisioning policy that `fields` names
// (the others stay); 400 as DeprovisioningPolicyFromJson, 404 as GetConnection. It
// applies to the changes the connection makes from then on.
Result<Connection> SetDeprovisioningPolicy(KvStore& store, std::string_view tenant, std::string_view connection_id,
                                           const nlohmann::json& fields);
// Revokes a connection: its token, grace token and hook secret stop at once, its
// sealed secrets are deleted, and every adapter treats it as gone. The record stays,
// marked, for the audit trail; the users it provisioned stay as they are. 404 when
// unknown or already revoked.
Result<Connection> RevokeConnection(KvStore& store, Env& env, std::string_view tenant,
                                    std::string_view connection_id);
nlohmann::json ConnectionSummaryToJson(const Connection& c);

// Changes made through `connection` by the adapter `via`.
ChangeSource SourceOf(const Connection& connection, ChangeChannel via);

}  // namespace dirbridge
