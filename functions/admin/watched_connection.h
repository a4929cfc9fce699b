// What the admin API does alike for the connections dirbridge runs itself, watching the
// IdP (Google Workspace: google_api.h; Microsoft Graph on an entra connection:
// graph_api.h). Their settings live in the connection's state
// (tenancy/connection_state.h); each module runs a setup continuation when they change.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/http_message.h"
#include "core/result.h"
#include "tenancy/connection.h"
#include "tenancy/connection_state.h"

namespace dirbridge::admin {

// A credential to seal with the settings: `value` under `secret_name`; empty `value`: none.
struct NewCredential {
  std::string secret_name;
  std::string value;
};

// Stamps `settings` (pushOrigin: the origin the admin API was called on; a new
// generation; updated), writes them, schedules module `module`'s `setup_continuation`
// now and, when `credential` has a value, seals it (last, so a refused request above
// stores nothing) and drops the token the old one bought. Then commits.
Status StoreSettingsAndScheduleSetup(const HttpRequest& request, KvStore& store, Env& env, Transaction& txn,
                                     ConnectionState& state, nlohmann::json& settings, const char* module,
                                     const char* setup_continuation, const NewCredential& credential);

// Runs `continuation` of `module` now (with {"connection"} plus `extra` as its state) on
// connection `c`, which must have settings: 202 {"connection", answer_field: "scheduled"};
// 409 naming `settings_name` when it has none.
HttpResponse ScheduleOnWatchedConnection(const HttpRequest& request, KvStore& store, Env& env, const Connection& c,
                                         const char* module, const char* continuation, nlohmann::json extra,
                                         const char* settings_name, const char* answer_field);

}  // namespace dirbridge::admin
