// Group automation: a rule maps one directory group, by displayName, to the
// password-manager entitlements its members get (roles, policies, shared folders, each
// by name). When a member is added to such a group the engine appends one
// entitlement.granted event per entitlement of the rule, in the batch of the membership
// change; when a member leaves it (removed, the user deleted) one entitlement.revoked
// each (provision/membership_staging.h). The account service acts on those events.
//
// Rules follow the name, case-insensitively (ASCII, as the displayName index): one key
// per lowercased name, t/{t}/rule/{name} (store/key_layout.h). A renamed group keeps
// its members and nothing is granted or revoked for them; its later membership changes
// follow the rule of its new name. Setting a rule does not back-fill: it applies to
// membership changes made after it is set, and deleting it revokes nothing.
//
// Bounded: at most kMaxEntitlementsPerRule entitlements a rule (so at most that many
// events per membership change), names 1 to kMaxEntitlementNameBytes bytes without
// control characters, at most kMaxRulesPerTenant rules a tenant (a counter,
// t/{t}/count/rules). A bad rule is a 400 naming the problem and nothing is written; a
// stored rule that does not parse is a `corrupt` error, never an abort.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/env.h"
#include "core/result.h"
#include "model/lifecycle_event.h"
#include "store/kv_store.h"
#include "store/transaction.h"

namespace dirbridge {

inline constexpr std::size_t kMaxEntitlementsPerRule = 50;
inline constexpr std::size_t kMaxEntitlementNameBytes = 200;
inline constexpr std::size_t kMaxRulesPerTenant = 500;
inline constexpr std::size_t kMaxRulesPerPage = 200;

enum class EntitlementType { kRole, kPolicy, kSharedFolder };
// "role", "policy", "sharedFolder".
const char* EntitlementTypeName(EntitlementType type);
std::optional<EntitlementType> EntitlementTypeFromName(std::string_view name);

struct Entitlement {
  EntitlementType type = EntitlementType::kRole;
  std::string name;
};

struct EntitlementRule {
  std::string group;  // the group displayName, as the admin last wrote it
  std::vector<Entitlement> entitlements;
  std::string updated;  // RFC 3339
  std::string by;       // who set it ("admin" when the admin gave no name)
  std::string corrupt;  // a listed rule whose record does not parse: why (else empty)
};

// {"group", "entitlements": [{"type", "name"}...], "updated", "by"} (+ "corrupt").
nlohmann::json RuleToJson(const EntitlementRule& rule);

// The group name of a rule (from the admin's URL): 1 to kMaxIndexedValueBytes bytes,
// no control characters. 400 otherwise.
Status CheckRuleGroupName(std::string_view group_name);
// The admin's `"entitlements"` array: 1 to kMaxEntitlementsPerRule objects
// {"type": "role"|"policy"|"sharedFolder", "name"}, no other members, no repeats.
// 400 naming the entry and the problem.
Result<std::vector<Entitlement>> EntitlementsFromJson(const nlohmann::json& entitlements);

// The rule for the group named `group_name` (any case), or nullopt. One get.
Result<std::optional<EntitlementRule>> LoadRule(Transaction& txn, std::string_view tenant, std::string_view group_name);
// The rules after the group name `after` (lowercased order), at most `limit`
// (<= kMaxRulesPerPage). A record that does not parse is listed with `corrupt` set, so
// the admin sees it and can delete it.
Result<std::vector<EntitlementRule>> ListRules(KvStore& store, std::string_view tenant, std::string_view after,
                                               std::size_t limit);

// The admin's commands, each one atomic batch with its audit event (rule.set,
// rule.deleted: source `source`, data {"displayName", "by", ...}).
struct RuleSetOutcome {
  EntitlementRule rule;
  bool created = false;
};
// `body` is {"entitlements": [...], "by"?}: anything else is a 400. 400 too when the
// tenant has kMaxRulesPerTenant rules and this one is new.
Result<RuleSetOutcome> SetRule(KvStore& store, Env& env, std::string_view tenant, const ChangeSource& source,
                               std::string_view group_name, const nlohmann::json& body);
// 404 when the group name has no rule. `by` as for SetRule (checked: 400).
Status DeleteRule(KvStore& store, Env& env, std::string_view tenant, const ChangeSource& source,
                  std::string_view group_name, const std::string& by);

// [{"type", "name"}, ...]: how events and the admin API show a rule's entitlements.
nlohmann::json EntitlementsToJson(const std::vector<Entitlement>& entitlements);

}  // namespace dirbridge
