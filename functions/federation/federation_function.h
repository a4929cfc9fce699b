// functions/federation: federated login's key-fragment service, a tenant module.
//
//   POST /t/{tenant}/federation/k2   ["k2"]
//        {"idToken": "<the ID token the IdP just issued>", "nonce"?: "<the nonce the
//         client sent in its authentication request>"}
//     200 {"k2": base64 of 32 bytes, "userId", "userName", "generation", "enrolled"}
//         with Cache-Control: no-store
//     400 a body that is not such an object; 401 a token refused (the detail says
//         which check failed; with Retry-After when dirbridge is fetching the IdP's
//         keys); 403 a user unknown, suspended or offboarded; 429 a rate limit
//
// No credential but the ID token: the token is the proof that the IdP just
// authenticated the user (shared/key_fragments/k2_release.h has every check). The
// module's one continuation stores the IdP's keys it fetched (key_fragments/jwks_cache.h).
#pragma once

#include "core/env.h"
#include "core/http_message.h"

namespace dirbridge {
class KvStore;
}  // namespace dirbridge

namespace dirbridge::federation_api {

inline constexpr const char* kModule = "federation";
inline constexpr std::size_t kMaxNonceBytes = 512;

HttpResponse Handle(const HttpRequest& request, KvStore& store, Env& env);

}  // namespace dirbridge::federation_api
