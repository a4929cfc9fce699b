// The admin's side of federated login (functions/admin/federation_api.h serves it):
// which IdPs a tenant trusts, their keys' state, and each user's enrollment, with
// rotation and destruction of a user's K2. Nothing here ever answers K2 itself.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/result.h"
#include "store/kv_store.h"

namespace dirbridge::key_fragments {

struct TrustedIdpSet {
  nlohmann::json idp;  // TrustedIdpToJson, with "keys" (JwksCacheToJson)
  bool created = false;
};

// Trusts (or re-trusts) the IdP of `connection` (which must exist and not be revoked)
// from the admin's JSON, and stages a fetch of its JWKS resumed in `module`, in one
// batch.
Result<TrustedIdpSet> SetTrustedIdp(KvStore& store, Env& env, std::string_view tenant, std::string_view connection,
                                    const nlohmann::json& body, bool allow_loopback_http, std::string_view module);
// 404 when the connection's IdP is not trusted.
Result<nlohmann::json> GetTrustedIdpJson(KvStore& store, std::string_view tenant, std::string_view connection);
Result<nlohmann::json> ListTrustedIdpsJson(KvStore& store, std::string_view tenant);
// Ends the trust (and drops the cached keys); users' K2 stay. 404 when none.
Status RemoveTrustedIdp(KvStore& store, std::string_view tenant, std::string_view connection);

// {"user", "enrolled", "generation"?, "created"?, "rotated"?}.
Result<nlohmann::json> KeyFragmentStatus(KvStore& store, std::string_view tenant, std::string_view user_id);
// A new K2 for an enrolled user (federation.k2_rotated, with `by`); 409 when the user
// is not enrolled. The client re-wraps its vault key at its next login.
Result<nlohmann::json> RotateKeyFragment(KvStore& store, Env& env, std::string_view tenant, std::string_view user_id,
                                         std::string_view by);
// Destroys the user's K2 (federation.k2_destroyed, with `by`); 404 when none.
Status DestroyKeyFragment(KvStore& store, Env& env, std::string_view tenant, std::string_view user_id,
                          std::string_view by);

}  // namespace dirbridge::key_fragments
