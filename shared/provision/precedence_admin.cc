#include "provision/precedence_admin.h"

#include "provision/attribute_ownership.h"
#include "provision/event_log.h"
#include "provision/offboarding_hold.h"
#include "store/transaction.h"

namespace dirbridge {
namespace {

Status LogChange(Transaction& txn, Env& env, std::string_view tenant, nlohmann::json rules, const std::string& by) {
  auto event = NewEvent(EventType::kPrecedenceSet, AdminChangeSource(), env);
  event.data["by"] = by.empty() ? std::string("admin") : by;
  event.data["rules"] = std::move(rules);
  return EventLog(txn, env, tenant).Append(event);
}

}  // namespace

Result<PrecedenceRules> ReadPrecedence(KvStore& store, std::string_view tenant) {
  Transaction txn(store);
  return LoadPrecedence(txn, tenant);
}

Result<PrecedenceRules> SetPrecedence(KvStore& store, Env& env, std::string_view tenant, const nlohmann::json& rules,
                                      const std::string& by) {
  DB_RETURN_IF_ERROR(CheckOffboardText("by", by));
  DB_ASSIGN_OR_RETURN(auto parsed, PrecedenceRulesFromJson(rules));
  Transaction txn(store);
  PutPrecedence(txn, tenant, parsed);
  DB_RETURN_IF_ERROR(LogChange(txn, env, tenant, PrecedenceRulesToJson(parsed), by));
  DB_RETURN_IF_ERROR(txn.Commit());
  return parsed;
}

Status ClearPrecedence(KvStore& store, Env& env, std::string_view tenant, const std::string& by) {
  DB_RETURN_IF_ERROR(CheckOffboardText("by", by));
  Transaction txn(store);
  DB_ASSIGN_OR_RETURN(auto current, LoadPrecedence(txn, tenant));
  if (current.empty()) return NotFound("the tenant has no precedence rules");
  DeletePrecedence(txn, tenant);
  DB_RETURN_IF_ERROR(LogChange(txn, env, tenant, nullptr, by));
  return txn.Commit();
}

Result<nlohmann::json> ReadAttributeOwners(KvStore& store, std::string_view tenant, std::string_view user_id) {
  Transaction txn(store);
  DB_ASSIGN_OR_RETURN(auto record, LoadOwnership(txn, tenant, user_id));
  nlohmann::json out = nlohmann::json::object();
  out["owners"] = record.contains("owners") ? record["owners"] : nlohmann::json::object();
  out["conflicts"] = record.contains("conflicts") ? record["conflicts"] : nlohmann::json::object();
  return out;
}

}  // namespace dirbridge
