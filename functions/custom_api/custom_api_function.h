// functions/custom_api: the custom provisioning API, command-compatible with the
// LastPass Enterprise API (enterpriseapi.php), so a customer's existing scripts work by
// changing only the URL and credentials. A tenant module:
//
//   POST /t/{tenant}/enterpriseapi.php   ["enterpriseapi.php"]
//        {"cid": "<tenant id>", "provhash": "...", "cmd": "...", "data": ...}
//
// The provhash belongs to a connection of kind custom (tenancy/provisioning_hash.h); cid
// must be the tenant id. Changes go through the engine with ChangeSource {"custom",
// connection id, api}, so a user made here and one made by SCIM with the same userName
// are the same user. One file per concern:
//   envelope           the request envelope and the command names
//   lastpass_commands  each command's data, parsed and checked (the caps)
//   batchadd_fields    a batchadd item onto the canonical user
//   directory_names    users and groups by name
//   commands           applying the commands (batch_commands.cc, account_commands.cc)
//   getuserdata        the getuserdata answer
//   answer             the answer's shape: status OK / WARN / FAIL and one error per item
#pragma once

#include "core/env.h"
#include "core/http_message.h"

namespace dirbridge {
class KvStore;
}  // namespace dirbridge

namespace dirbridge::custom_api {

inline constexpr const char* kModule = "custom_api";

HttpResponse Handle(const HttpRequest& request, KvStore& store, Env& env);

}  // namespace dirbridge::custom_api
