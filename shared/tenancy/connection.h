// IdP connections: how one identity source (Entra ID, Okta, Google, AD, ...) reaches
// one tenant. Creating a connection issues its bearer token exactly once; the store
// keeps only its SHA-256. The token names its tenant and connection and carries a MAC
// under the deployment's token key (tenancy/bearer_token.h): the edge checks the MAC,
// and here authentication is one key read and a constant-time comparison of hashes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/env.h"
#include "core/result.h"
#include "model/connection_kind.h"
#include "model/lifecycle_event.h"
#include "store/kv_store.h"

namespace dirbridge {

struct Connection {
  std::string id;
  std::string tenant;
  ConnectionKind kind = ConnectionKind::kCustom;
  std::string created;
  std::string token_sha256;  // hex; the token itself is never stored
};

struct IssuedConnection {
  Connection connection;
  std::string token;  // shown once
};

// 503 (and nothing written) when the deployment has no token key.
Result<IssuedConnection> CreateConnection(KvStore& store, Env& env, std::string_view tenant, std::string_view kind);

// Checks an Authorization header value ("Bearer dbt1...") against the tenant's
// connections: the token must name `tenant` and hash to a stored connection's hash.
// 401 with a reason that never echoes the token.
Result<Connection> AuthenticateConnection(KvStore& store, std::string_view tenant,
                                          std::string_view authorization_header);

// The stored connection `connection_id` of `tenant`; 404 when there is none.
Result<Connection> GetConnection(KvStore& store, std::string_view tenant, std::string_view connection_id);

// Changes made through `connection` by the adapter `via`.
ChangeSource SourceOf(const Connection& connection, ChangeChannel via);

}  // namespace dirbridge
