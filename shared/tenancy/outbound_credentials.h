// What the outbox's claim puts in place of a credential placeholder
// (effects/outbox.h, SecretResolver), in the request handed to the host only:
//
//   google-assertion   a JWT bearer assertion signed now for the connection
//                      (tenancy/google_service_account.h): made at send time, so a
//                      request retried an hour later still carries a valid one, and
//                      never stored
//   graph-assertion    an entra connection's client assertion for Microsoft's token
//                      endpoint, signed now (tenancy/graph_client_assertion.h)
//   any other name     the plaintext of the connection's sealed secret of that name
//                      (tenancy/sealed_secrets.h)
//
// nullopt when there is nothing to put there (the entry is parked, not sent).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/env.h"
#include "core/result.h"
#include "store/kv_store.h"

namespace dirbridge {

Result<std::optional<std::string>> ResolveOutboundCredential(KvStore& store, Env& env, std::string_view tenant,
                                                             std::string_view connection, std::string_view name);

}  // namespace dirbridge
