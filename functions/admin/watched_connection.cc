#include "watched_connection.h"

#include "core/api_error.h"
#include "core/api_response.h"
#include "core/timestamp.h"
#include "effects/outbox.h"
#include "provision/resource_ids.h"
#include "tenancy/sealed_secrets.h"

namespace dirbridge::admin {

using nlohmann::json;

Status StoreSettingsAndScheduleSetup(const HttpRequest& request, KvStore& store, Env& env, Transaction& txn,
                                     ConnectionState& state, json& settings, const char* module,
                                     const char* setup_continuation, const NewCredential& credential) {
  settings["pushOrigin"] = request.origin;
  settings["generation"] = NewResourceId(env);
  settings["updated"] = FormatRfc3339Millis(env.NowMillis());
  state.Write("settings", "current", settings);
  effects::Outbox outbox(txn, env, std::string(request.tenant), module);
  DB_ASSIGN_OR_RETURN(auto timer, outbox.WakeAt(env.NowMillis(), setup_continuation,
                                                json{{"connection", state.connection()}, {"generation", settings["generation"]}}));
  (void)timer;
  if (!credential.value.empty()) {
    DB_ASSIGN_OR_RETURN(auto info, PutConnectionSecret(store, env, request.tenant, state.connection(),
                                                       credential.secret_name, credential.value));
    (void)info;
    state.Write("token", "current", json::object());  // a token bought with the old credential is dropped
  }
  return txn.Commit();
}

HttpResponse ScheduleOnWatchedConnection(const HttpRequest& request, KvStore& store, Env& env, const Connection& c,
                                         const char* module, const char* continuation, json extra,
                                         const char* settings_name, const char* answer_field) {
  Transaction txn(store);
  ConnectionState state(txn, std::string(request.tenant), c.id);
  auto settings = state.Read("settings", "current");
  if (!settings.ok()) return ApiErrorResponse(settings.error());
  if (!*settings) {
    return ApiErrorResponse(
        Conflict("connection '" + c.id + "' has no " + settings_name + " settings: PUT them first", ""));
  }
  effects::Outbox outbox(txn, env, std::string(request.tenant), module);
  extra["connection"] = c.id;
  auto timer = outbox.WakeAt(env.NowMillis(), continuation, std::move(extra));
  if (!timer.ok()) return ApiErrorResponse(timer.error());
  if (auto s = txn.Commit(); !s.ok()) return ApiErrorResponse(s.error());
  return ApiJsonResponse(202, {{"connection", c.id}, {answer_field, "scheduled"}});
}

}  // namespace dirbridge::admin
