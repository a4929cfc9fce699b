// Releasing K2 to a federated client: the one path by which K2 leaves dirbridge.
//
// A client (the browser extension) shows an ID token its user just got from the
// tenant's IdP. The release, all checks before any write:
//   1. the token parses (id_token.h) and its `iss` is an IdP the tenant trusts
//      (trusted_idp.h) over a connection that is not revoked;
//   2. its signature verifies (Env::VerifyJwsSignature, in the host) with the JWKS
//      key its `kid` names. A kid the cached keys lack stages a fetch of the JWKS
//      (jwks_cache.h) and is answered 401 with Retry-After: the client tries again
//      once the keys are in (a key rotation costs one retry);
//   3. its claims hold (iss, aud/azp, exp/iat/nbf with leeway, nonce);
//   4. its user claim names exactly one provisioned user, who is active and not held
//      by an offboarding (403 otherwise: unknown, suspended, offboarded);
//   5. it was not shown before (its `jti`, or without one the token's hash, is
//      remembered until the token expires: a replay is 401);
//   6. the user and the client address are within their rate limits (429);
// then, in one batch: the token remembered, the counts, K2 made if the user has none
// (enrolled), a federation.k2_released event (and federation.k2_enrolled) for the
// audit trail with the token's jti and issuer, and a JWKS refresh when the keys are
// older than kJwksMaxAgeMs. K2 itself is in the answer only: no event, log or record
// holds it in clear.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/env.h"
#include "core/result.h"
#include "store/kv_store.h"

namespace dirbridge::key_fragments {

struct ReleaseRequest {
  std::string id_token;
  std::optional<std::string> nonce;
  std::string address;  // the client's address as the host saw it; "" when unknown
};

struct Release {
  std::string k2;  // 32 bytes
  std::string user_id;
  std::string user_name;
  uint64_t generation = 1;
  bool enrolled = false;  // this release made K2
};

// `module` is the module the call runs in (the JWKS fetch is resumed there).
Result<Release> ReleaseKeyFragment(KvStore& store, Env& env, std::string_view tenant, std::string_view module,
                                   const ReleaseRequest& request);

}  // namespace dirbridge::key_fragments
