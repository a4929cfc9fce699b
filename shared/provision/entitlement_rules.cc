#include "provision/entitlement_rules.h"

#include <set>
#include <utility>

#include "core/ascii.h"
#include "core/http_message.h"
#include "core/json_input.h"
#include "core/timestamp.h"
#include "core/utf8.h"
#include "provision/event_log.h"
#include "provision/offboarding_hold.h"
#include "provision/record_limits.h"
#include "store/counter.h"
#include "store/key_layout.h"

namespace dirbridge {
namespace {

using nlohmann::json;

std::string Entry(std::size_t i) { return "entitlements[" + std::to_string(i) + "]"; }

Status CheckEntitlementName(std::size_t i, const std::string& name) {
  if (name.empty()) return InvalidInput(Entry(i) + ".name is empty");
  if (name.size() > kMaxEntitlementNameBytes) {
    return InvalidInput(Entry(i) + ".name is " + std::to_string(name.size()) + " bytes; the limit is " +
                        std::to_string(kMaxEntitlementNameBytes));
  }
  if (HasAsciiControl(name)) return InvalidInput(Entry(i) + ".name holds a control character");
  return Status::Ok();
}

Result<Entitlement> EntitlementFromJson(std::size_t i, const json& j) {
  if (!j.is_object()) return InvalidInput(Entry(i) + " must be an object {\"type\", \"name\"}");
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key() != "type" && it.key() != "name") {
      return InvalidInput(Entry(i) + " has a member it does not take: it takes 'type' and 'name'");
    }
  }
  auto type = j.find("type");
  if (type == j.end() || !type->is_string()) {
    return InvalidInput(Entry(i) + ".type must be \"role\", \"policy\" or \"sharedFolder\"");
  }
  auto parsed = EntitlementTypeFromName(type->get<std::string>());
  if (!parsed) return InvalidInput(Entry(i) + ".type must be \"role\", \"policy\" or \"sharedFolder\"");
  auto name = j.find("name");
  if (name == j.end() || !name->is_string()) return InvalidInput(Entry(i) + ".name must be a string");
  Entitlement e{*parsed, name->get<std::string>()};
  DB_RETURN_IF_ERROR(CheckEntitlementName(i, e.name));
  return e;
}

// A stored record: the admin's checks again, so a record that passes is one the API
// could have written; anything else is corrupt (a 500 that blames the store).
Result<EntitlementRule> RuleFromRecord(std::string_view text, std::string_view fallback_group) {
  auto doc = ParseRecordJson(text);
  if (!doc.ok()) return Corrupt("the rule of group '" + std::string(fallback_group) + "': " + doc.error().detail);
  auto broken = [&](const std::string& why) {
    return Corrupt("the stored rule of group '" + std::string(fallback_group) + "' is corrupt: " + why);
  };
  if (!doc->is_object()) return broken("not an object");
  EntitlementRule rule;
  auto group = doc->find("group");
  if (group == doc->end() || !group->is_string()) return broken("no group name");
  rule.group = group->get<std::string>();
  auto list = doc->find("entitlements");
  if (list == doc->end()) return broken("no entitlements");
  auto entitlements = EntitlementsFromJson(*list);
  if (!entitlements.ok()) return broken(entitlements.error().detail);
  rule.entitlements = std::move(*entitlements);
  if (auto u = doc->find("updated"); u != doc->end() && u->is_string()) rule.updated = u->get<std::string>();
  if (auto b = doc->find("by"); b != doc->end() && b->is_string()) rule.by = b->get<std::string>();
  return rule;
}

std::string RecordOf(const EntitlementRule& rule) {
  return json{{"group", rule.group},
              {"entitlements", EntitlementsToJson(rule.entitlements)},
              {"updated", rule.updated},
              {"by", rule.by}}
      .dump();
}

LifecycleEvent RuleEvent(EventType type, const ChangeSource& source, Env& env, std::string_view group_name,
                         const std::string& by) {
  auto event = NewEvent(type, source, env);
  event.data["displayName"] = std::string(group_name);
  event.data["by"] = by;
  return event;
}

}  // namespace

json EntitlementsToJson(const std::vector<Entitlement>& entitlements) {
  json out = json::array();
  for (const auto& e : entitlements) out.push_back({{"type", EntitlementTypeName(e.type)}, {"name", e.name}});
  return out;
}

const char* EntitlementTypeName(EntitlementType type) {
  switch (type) {
    case EntitlementType::kRole:
      return "role";
    case EntitlementType::kPolicy:
      return "policy";
    case EntitlementType::kSharedFolder:
      return "sharedFolder";
  }
  return "unknown";
}

std::optional<EntitlementType> EntitlementTypeFromName(std::string_view name) {
  for (auto t : {EntitlementType::kRole, EntitlementType::kPolicy, EntitlementType::kSharedFolder}) {
    if (name == EntitlementTypeName(t)) return t;
  }
  return std::nullopt;
}

json RuleToJson(const EntitlementRule& rule) {
  json j = {{"group", rule.group}, {"entitlements", EntitlementsToJson(rule.entitlements)}};
  if (!rule.updated.empty()) j["updated"] = rule.updated;
  if (!rule.by.empty()) j["by"] = rule.by;
  if (!rule.corrupt.empty()) j["corrupt"] = rule.corrupt;
  return j;
}

Status CheckRuleGroupName(std::string_view name) {
  if (name.empty()) return InvalidInput("the group name is empty");
  if (name.size() > kMaxIndexedValueBytes) {
    return InvalidInput("the group name is " + std::to_string(name.size()) + " bytes; the limit is " +
                        std::to_string(kMaxIndexedValueBytes) + " (as a group's displayName)");
  }
  if (!IsValidUtf8(name)) return InvalidInput("the group name is not valid UTF-8");
  if (HasAsciiControl(name)) return InvalidInput("the group name holds a control character");
  return Status::Ok();
}

Result<std::vector<Entitlement>> EntitlementsFromJson(const json& list) {
  if (!list.is_array()) return InvalidInput("'entitlements' must be an array of {\"type\", \"name\"}");
  if (list.empty()) {
    return InvalidInput("'entitlements' is empty; a rule grants 1 to " + std::to_string(kMaxEntitlementsPerRule) +
                        " entitlements (delete the rule to stop granting)");
  }
  if (list.size() > kMaxEntitlementsPerRule) {
    return InvalidInput("'entitlements' has " + std::to_string(list.size()) + " entries; the limit is " +
                            std::to_string(kMaxEntitlementsPerRule) + " per rule",
                        "tooMany");
  }
  std::vector<Entitlement> out;
  std::set<std::pair<EntitlementType, std::string>> seen;
  for (std::size_t i = 0; i < list.size(); ++i) {
    DB_ASSIGN_OR_RETURN(auto e, EntitlementFromJson(i, list[i]));
    if (!seen.emplace(e.type, e.name).second) {
      return InvalidInput(Entry(i) + " repeats " + std::string(EntitlementTypeName(e.type)) + " '" + e.name + "'");
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::optional<EntitlementRule>> LoadRule(Transaction& txn, std::string_view tenant,
                                                std::string_view group_name) {
  DB_ASSIGN_OR_RETURN(auto raw, txn.Get(keys::EntitlementRule(tenant, group_name)));
  if (!raw) return std::optional<EntitlementRule>();
  DB_ASSIGN_OR_RETURN(auto rule, RuleFromRecord(*raw, group_name));
  return std::optional<EntitlementRule>(std::move(rule));
}

Result<std::vector<EntitlementRule>> ListRules(KvStore& store, std::string_view tenant, std::string_view after,
                                               std::size_t limit) {
  if (limit > kMaxRulesPerPage) limit = kMaxRulesPerPage;
  const std::string start_after = after.empty() ? std::string() : keys::EntitlementRule(tenant, after);
  DB_ASSIGN_OR_RETURN(auto entries, store.List(keys::EntitlementRulePrefix(tenant), start_after, limit));
  std::vector<EntitlementRule> out;
  out.reserve(entries.size());
  for (const auto& e : entries) {
    const std::string_view escaped = keys::LastSegment(e.key);
    auto decoded = PercentDecode(escaped, false);
    const std::string key_name = decoded ? std::move(*decoded) : std::string(escaped);
    auto rule = RuleFromRecord(e.value, key_name);
    if (rule.ok()) {
      out.push_back(std::move(*rule));
    } else {
      EntitlementRule listed;
      listed.group = key_name;
      listed.corrupt = rule.error().detail;
      out.push_back(std::move(listed));
    }
  }
  return out;
}

Result<RuleSetOutcome> SetRule(KvStore& store, Env& env, std::string_view tenant, const ChangeSource& source,
                               std::string_view group_name, const json& body) {
  DB_RETURN_IF_ERROR(CheckRuleGroupName(group_name));
  if (!body.is_object()) return InvalidInput("the body must be a JSON object {\"entitlements\": [...]}");
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (it.key() != "entitlements" && it.key() != "by") {
      return InvalidInput("the body has a member this call does not take: it takes 'entitlements' and 'by'");
    }
  }
  auto list = body.find("entitlements");
  if (list == body.end()) return InvalidInput("the body has no 'entitlements'");
  DB_ASSIGN_OR_RETURN(auto entitlements, EntitlementsFromJson(*list));
  std::string by;
  if (auto b = body.find("by"); b != body.end()) {
    if (!b->is_string()) return InvalidInput("'by' must be a string");
    by = b->get<std::string>();
    DB_RETURN_IF_ERROR(CheckOffboardText("by", by));
  }

  Transaction txn(store);
  const std::string key = keys::EntitlementRule(tenant, group_name);
  DB_ASSIGN_OR_RETURN(auto existing, txn.Get(key));
  RuleSetOutcome outcome;
  outcome.created = !existing.has_value();
  if (outcome.created) {
    DB_ASSIGN_OR_RETURN(auto count, ReadCounter(txn, keys::EntitlementRuleCount(tenant)));
    if (count >= kMaxRulesPerTenant) {
      return InvalidInput("the tenant has " + std::to_string(count) + " rules; the limit is " +
                              std::to_string(kMaxRulesPerTenant) + " (delete one first)",
                          "tooMany");
    }
    DB_RETURN_IF_ERROR(AddToCounter(txn, keys::EntitlementRuleCount(tenant), 1).status());
  }
  outcome.rule.group = std::string(group_name);
  outcome.rule.entitlements = std::move(entitlements);
  outcome.rule.updated = FormatRfc3339Millis(env.NowMillis());
  outcome.rule.by = by.empty() ? std::string("admin") : by;
  txn.Put(key, RecordOf(outcome.rule));
  auto event = RuleEvent(EventType::kRuleSet, source, env, group_name, outcome.rule.by);
  event.data["entitlements"] = EntitlementsToJson(outcome.rule.entitlements);
  event.data["created"] = outcome.created;
  DB_RETURN_IF_ERROR(EventLog(txn, env, tenant).Append(event));
  DB_RETURN_IF_ERROR(txn.Commit());
  return outcome;
}

Status DeleteRule(KvStore& store, Env& env, std::string_view tenant, const ChangeSource& source,
                  std::string_view group_name, const std::string& by) {
  DB_RETURN_IF_ERROR(CheckRuleGroupName(group_name));
  DB_RETURN_IF_ERROR(CheckOffboardText("by", by));
  Transaction txn(store);
  const std::string key = keys::EntitlementRule(tenant, group_name);
  DB_ASSIGN_OR_RETURN(auto existing, txn.Get(key));
  if (!existing) return NotFound("no rule for group '" + std::string(group_name) + "'");
  // A corrupt record can be deleted too: that is how the admin clears it.
  txn.Delete(key);
  DB_RETURN_IF_ERROR(AddToCounter(txn, keys::EntitlementRuleCount(tenant), -1).status());
  auto stored = RuleFromRecord(*existing, group_name);
  auto event = RuleEvent(EventType::kRuleDeleted, source, env, stored.ok() ? stored->group : std::string(group_name),
                         by.empty() ? std::string("admin") : by);
  if (stored.ok()) event.data["entitlements"] = EntitlementsToJson(stored->entitlements);
  DB_RETURN_IF_ERROR(EventLog(txn, env, tenant).Append(event));
  return txn.Commit();
}

}  // namespace dirbridge
