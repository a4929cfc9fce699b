#include "provision/deprovisioning.h"

#include "core/json_input.h"
#include "core/timestamp.h"
#include "crypto/base64.h"
#include "effects/outbox.h"
#include "model/json_fields.h"
#include "provision/record_limits.h"
#include "store/key_layout.h"

namespace dirbridge {
namespace {

std::string NewRun(Env& env) {
  std::string raw(8, '\0');
  env.RandomBytes(reinterpret_cast<uint8_t*>(raw.data()), raw.size());
  return crypto::HexEncode(raw);
}

nlohmann::json ArchivedUserToJson(const ArchivedUser& a) {
  nlohmann::json j = nlohmann::json::object();
  j["user"] = UserToJson(a.user);
  j["meta"] = StoredMetaToJson(a.user.meta);
  j["at"] = a.at;
  j["source"] = a.source;
  j["action"] = DeprovisionActionName(a.action);
  return j;
}

}  // namespace

nlohmann::json ScheduledPurgeToJson(const ScheduledPurge& p) {
  nlohmann::json j = nlohmann::json::object();
  j["action"] = DeprovisionActionName(p.action);
  j["dueAt"] = FormatRfc3339Millis(p.due_ms);
  j["reason"] = p.reason;
  return j;
}

Result<std::optional<ScheduledPurge>> LoadPurge(Transaction& txn, std::string_view tenant, std::string_view user_id) {
  DB_ASSIGN_OR_RETURN(auto raw, txn.Get(keys::ScheduledPurge(tenant, user_id)));
  if (!raw) return std::optional<ScheduledPurge>();
  DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(*raw));
  ScheduledPurge p;
  auto action = ParseDeprovisionAction(json_fields::StringAt(doc, "action"));
  if (!action || *action == DeprovisionAction::kSuspend) {
    return Corrupt("the scheduled purge of user " + std::string(user_id) + " names no remove or delete");
  }
  p.action = *action;
  p.due_ms = json_fields::IntAt(doc, "due");
  p.reason = json_fields::StringAt(doc, "reason");
  p.run = json_fields::StringAt(doc, "run");
  return std::optional<ScheduledPurge>(std::move(p));
}

Result<ScheduledPurge> SchedulePurge(Transaction& txn, Env& env, std::string_view tenant, std::string_view user_id,
                                     DeprovisionAction action, int64_t grace_seconds, std::string reason) {
  ScheduledPurge p;
  p.action = action;
  p.due_ms = env.NowMillis() + grace_seconds * 1000;
  p.reason = std::move(reason);
  p.run = NewRun(env);
  effects::Outbox outbox(txn, env, std::string(tenant), kPurgeModule);
  nlohmann::json state = nlohmann::json::object();
  state["user"] = std::string(user_id);
  state["run"] = p.run;
  DB_RETURN_IF_ERROR(outbox.WakeAt(p.due_ms, kPurgeContinuation, std::move(state)).status());
  nlohmann::json record = nlohmann::json::object();
  record["action"] = DeprovisionActionName(p.action);
  record["due"] = p.due_ms;
  record["reason"] = p.reason;
  record["run"] = p.run;
  txn.Put(keys::ScheduledPurge(tenant, user_id), record.dump());
  return p;
}

void CancelPurge(Transaction& txn, std::string_view tenant, std::string_view user_id) {
  txn.Delete(keys::ScheduledPurge(tenant, user_id));
}

Result<std::optional<ArchivedUser>> LoadArchived(Transaction& txn, std::string_view tenant, std::string_view user_id) {
  DB_ASSIGN_OR_RETURN(auto raw, txn.Get(keys::ArchivedUser(tenant, user_id)));
  if (!raw) return std::optional<ArchivedUser>();
  DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(*raw));
  const auto* user = json_fields::Find(doc, "user");
  if (!user) return Corrupt("archived user " + std::string(user_id) + " has no record");
  auto read = UserFromJson(*user);
  if (!read.ok()) return Corrupt("archived user " + std::string(user_id) + " is corrupt: " + read.error().detail);
  ArchivedUser a;
  a.user = std::move(*read);
  DB_RETURN_IF_ERROR(StoredMetaFromJson(doc, &a.user.meta));
  a.user.id = std::string(user_id);
  a.at = json_fields::StringAt(doc, "at");
  if (const auto* s = json_fields::Find(doc, "source")) a.source = *s;
  a.action = ParseDeprovisionAction(json_fields::StringAt(doc, "action")).value_or(DeprovisionAction::kSuspend);
  return std::optional<ArchivedUser>(std::move(a));
}

Result<std::optional<ArchivedUser>> LoadArchivedNamed(Transaction& txn, std::string_view tenant,
                                                      std::string_view user_name) {
  DB_ASSIGN_OR_RETURN(auto id, txn.Get(keys::ArchivedUserNameIndex(tenant, user_name)));
  if (!id) return std::optional<ArchivedUser>();
  return LoadArchived(txn, tenant, *id);
}

Status PutArchived(Transaction& txn, std::string_view tenant, const ArchivedUser& a) {
  std::string text = ArchivedUserToJson(a).dump();
  DB_RETURN_IF_ERROR(CheckRecordSize("user", text.size()));
  txn.Put(keys::ArchivedUser(tenant, a.user.id), std::move(text));
  txn.Put(keys::ArchivedUserNameIndex(tenant, a.user.user_name), a.user.id);
  return Status::Ok();
}

Status DeleteArchived(Transaction& txn, std::string_view tenant, const User& user) {
  txn.Delete(keys::ArchivedUser(tenant, user.id));
  const std::string name_key = keys::ArchivedUserNameIndex(tenant, user.user_name);
  DB_ASSIGN_OR_RETURN(auto named, txn.Get(name_key));
  if (named && *named == user.id) txn.Delete(name_key);
  return Status::Ok();
}

}  // namespace dirbridge
