#include "key_fragments/federation_admin.h"

#include "core/printable.h"
#include "effects/outbox.h"
#include "key_fragments/jwks_cache.h"
#include "key_fragments/k2_store.h"
#include "key_fragments/trusted_idp.h"
#include "core/timestamp.h"
#include "provision/directory.h"
#include "provision/event_log.h"
#include "tenancy/connection.h"

namespace dirbridge::key_fragments {
namespace {

using nlohmann::json;

Result<json> WithKeys(Transaction& txn, std::string_view tenant, const TrustedIdp& idp) {
  DB_ASSIGN_OR_RETURN(auto cache, LoadJwksCache(txn, tenant, idp.connection));
  json j = TrustedIdpToJson(idp);
  j["keys"] = JwksCacheToJson(cache);
  return j;
}

// The event of an admin's change to a user's K2: about the user when they still
// exist, else naming the id only.
Result<LifecycleEvent> AdminKeyEvent(KvStore& store, Env& env, std::string_view tenant, std::string_view user_id,
                                     EventType type, std::string_view by) {
  const ChangeSource source = AdminChangeSource();
  Directory directory(store, env, std::string(tenant), source);
  auto user = directory.GetUser(user_id);
  LifecycleEvent event;
  if (user.ok()) {
    event = NewUserEvent(type, *user, source, env);
  } else if (user.error().kind == ErrorKind::kNotFound) {
    event = NewEvent(type, source, env);
    event.user_id = std::string(user_id);
  } else {
    return user.error();
  }
  if (!by.empty()) event.data["by"] = std::string(by);
  return event;
}

}  // namespace

Result<TrustedIdpSet> SetTrustedIdp(KvStore& store, Env& env, std::string_view tenant, std::string_view connection,
                                    const json& body, bool allow_loopback_http, std::string_view module) {
  DB_ASSIGN_OR_RETURN(auto conn, GetConnection(store, tenant, connection));
  if (!conn.revoked.empty()) {
    return Conflict("connection '" + Printable(connection) + "' is revoked: a revoked connection's IdP cannot be trusted", "");
  }
  DB_ASSIGN_OR_RETURN(TrustedIdp idp, TrustedIdpFromJson(body, connection, allow_loopback_http));
  idp.updated = FormatRfc3339Millis(env.NowMillis());
  Transaction txn(store);
  DB_ASSIGN_OR_RETURN(auto before, LoadTrustedIdp(txn, tenant, connection));
  DB_RETURN_IF_ERROR(StageTrustedIdp(txn, tenant, idp));
  effects::Outbox outbox(txn, env, std::string(tenant), std::string(module));
  DB_ASSIGN_OR_RETURN(auto cache, LoadJwksCache(txn, tenant, idp.connection));
  DB_ASSIGN_OR_RETURN(auto staged, RequestJwksFetch(txn, outbox, env, tenant, idp, cache));
  (void)staged;
  DB_ASSIGN_OR_RETURN(json shown, WithKeys(txn, tenant, idp));
  DB_RETURN_IF_ERROR(txn.Commit());
  return TrustedIdpSet{std::move(shown), !before.has_value()};
}

Result<json> GetTrustedIdpJson(KvStore& store, std::string_view tenant, std::string_view connection) {
  Transaction txn(store);
  DB_ASSIGN_OR_RETURN(auto idp, LoadTrustedIdp(txn, tenant, connection));
  if (!idp) return NotFound("connection '" + Printable(connection) + "' has no IdP trusted for federated login");
  return WithKeys(txn, tenant, *idp);
}

Result<json> ListTrustedIdpsJson(KvStore& store, std::string_view tenant) {
  DB_ASSIGN_OR_RETURN(auto all, ListTrustedIdps(store, tenant));
  Transaction txn(store);
  json list = json::array();
  for (const auto& idp : all) {
    DB_ASSIGN_OR_RETURN(json j, WithKeys(txn, tenant, idp));
    list.push_back(std::move(j));
  }
  return json{{"idps", std::move(list)}};
}

Status RemoveTrustedIdp(KvStore& store, std::string_view tenant, std::string_view connection) {
  Transaction txn(store);
  DB_ASSIGN_OR_RETURN(auto idp, LoadTrustedIdp(txn, tenant, connection));
  if (!idp) return NotFound("connection '" + Printable(connection) + "' has no IdP trusted for federated login");
  StageTrustedIdpRemoval(txn, tenant, connection);
  return txn.Commit();
}

Result<json> KeyFragmentStatus(KvStore& store, std::string_view tenant, std::string_view user_id) {
  Transaction txn(store);
  DB_ASSIGN_OR_RETURN(auto record, LoadKeyFragment(txn, tenant, user_id));
  json j = KeyFragmentStatusJson(record);
  j["user"] = std::string(user_id);
  return j;
}

Result<json> RotateKeyFragment(KvStore& store, Env& env, std::string_view tenant, std::string_view user_id,
                               std::string_view by) {
  Transaction txn(store);
  DB_ASSIGN_OR_RETURN(auto record, LoadKeyFragment(txn, tenant, user_id));
  if (!record) {
    return Conflict("user '" + Printable(user_id) + "' is not enrolled in federated login: there is no K2 to rotate", "");
  }
  DB_ASSIGN_OR_RETURN(auto next, StageNewKeyFragment(txn, env, tenant, user_id, &*record));
  DB_ASSIGN_OR_RETURN(auto event, AdminKeyEvent(store, env, tenant, user_id, EventType::kKeyFragmentRotated, by));
  event.data["generation"] = next.generation;
  DB_RETURN_IF_ERROR(EventLog(txn, env, tenant).Append(event));
  DB_RETURN_IF_ERROR(txn.Commit());
  json j = KeyFragmentStatusJson(next);
  j["user"] = std::string(user_id);
  return j;
}

Status DestroyKeyFragment(KvStore& store, Env& env, std::string_view tenant, std::string_view user_id,
                          std::string_view by) {
  Transaction txn(store);
  DB_ASSIGN_OR_RETURN(auto record, LoadKeyFragment(txn, tenant, user_id));
  if (!record) return NotFound("user '" + Printable(user_id) + "' has no K2 (not enrolled in federated login)");
  StageKeyFragmentRemoval(txn, tenant, user_id);
  DB_ASSIGN_OR_RETURN(auto event, AdminKeyEvent(store, env, tenant, user_id, EventType::kKeyFragmentDestroyed, by));
  event.data["generation"] = record->generation;
  DB_RETURN_IF_ERROR(EventLog(txn, env, tenant).Append(event));
  return txn.Commit();
}

}  // namespace dirbridge::key_fragments
