#include "provision/attribute_ownership.h"

#include <set>

#include "core/json_input.h"
#include "core/timestamp.h"
#include "crypto/sha256.h"
#include "model/json_fields.h"
#include "provision/attribute_changes.h"
#include "store/key_layout.h"

namespace dirbridge {
namespace {

bool Ranked(const std::string& attribute) {
  return attribute != "id" && attribute != "meta" && attribute != "schemas" && attribute != "active";
}

bool Small(const nlohmann::json& v) { return v.dump().size() <= kMaxAuditedValueBytes; }

// A source as an owner: {"kind", "connection"?}.
nlohmann::json OwnerOf(const ChangeSource& s) {
  nlohmann::json j = nlohmann::json::object();
  j["kind"] = s.kind;
  if (!s.connection_id.empty()) j["connection"] = s.connection_id;
  return j;
}

bool SameSource(const nlohmann::json& owner, const ChangeSource& s) {
  return json_fields::StringAt(owner, "kind") == s.kind && json_fields::StringAt(owner, "connection") == s.connection_id;
}

}  // namespace

Result<PrecedenceRules> LoadPrecedence(Transaction& txn, std::string_view tenant) {
  DB_ASSIGN_OR_RETURN(auto raw, txn.GetCached(keys::PrecedenceRules(tenant)));
  if (!raw) return PrecedenceRules{};
  DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(*raw));
  auto rules = PrecedenceRulesFromJson(doc);
  if (!rules.ok()) return Corrupt("the stored precedence rules do not read: " + rules.error().detail);
  return rules;
}

void PutPrecedence(Transaction& txn, std::string_view tenant, const PrecedenceRules& rules) {
  txn.Put(keys::PrecedenceRules(tenant), PrecedenceRulesToJson(rules).dump());
}

void DeletePrecedence(Transaction& txn, std::string_view tenant) { txn.Delete(keys::PrecedenceRules(tenant)); }

Result<nlohmann::json> LoadOwnership(Transaction& txn, std::string_view tenant, std::string_view user_id) {
  DB_ASSIGN_OR_RETURN(auto raw, txn.Get(keys::AttributeOwnership(tenant, user_id)));
  if (!raw) return nlohmann::json::object();
  DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(*raw));
  if (!doc.is_object()) return Corrupt("the attribute owners of user " + std::string(user_id) + " are not an object");
  return doc;
}

void DeleteOwnership(Transaction& txn, std::string_view tenant, std::string_view user_id) {
  txn.Delete(keys::AttributeOwnership(tenant, user_id));
}

Result<PrecedenceOutcome> ApplyPrecedence(Transaction& txn, Env& env, std::string_view tenant,
                                       const PrecedenceRules& rules, std::string_view user_id,
                                       const nlohmann::json& before, nlohmann::json& after,
                                       const ChangeSource& source) {
  PrecedenceOutcome outcome;
  if (rules.empty() || source.via == ChangeChannel::kAdmin) return outcome;
  // The attributes that differ, whichever side has them.
  std::set<std::string> changed;
  for (auto it = after.begin(); it != after.end(); ++it) {
    auto b = before.find(it.key());
    if (Ranked(it.key()) && (b == before.end() || *b != it.value())) changed.insert(it.key());
  }
  for (auto it = before.begin(); it != before.end(); ++it) {
    if (Ranked(it.key()) && !after.contains(it.key())) changed.insert(it.key());
  }
  if (changed.empty()) return outcome;

  DB_ASSIGN_OR_RETURN(auto record, LoadOwnership(txn, tenant, user_id));
  const nlohmann::json original = record;
  if (!record.contains("owners") || !record["owners"].is_object()) record["owners"] = nlohmann::json::object();
  if (!record.contains("conflicts") || !record["conflicts"].is_object()) record["conflicts"] = nlohmann::json::object();
  auto& owners = record["owners"];
  auto& conflicts = record["conflicts"];
  const std::string now = FormatRfc3339Millis(env.NowMillis());

  for (const auto& attribute : changed) {
    const auto* order = rules.OrderFor(attribute);
    auto owner = owners.find(attribute);
    const bool owned_by_other = owner != owners.end() && !SameSource(*owner, source);
    if (order && owned_by_other) {
      const std::size_t mine = RankOf(*order, source.kind, source.connection_id);
      const std::size_t theirs =
          RankOf(*order, json_fields::StringAt(*owner, "kind"), json_fields::StringAt(*owner, "connection"));
      if (theirs < mine) {  // the owner outranks this source: keep its value, record the conflict
        const bool had = before.contains(attribute);
        nlohmann::json offered = after.contains(attribute) ? after[attribute] : nlohmann::json();
        if (had) {
          after[attribute] = before[attribute];
        } else {
          after.erase(attribute);
        }
        outcome.kept = true;
        const std::string digest = crypto::Sha256Hex(offered.dump());
        auto& last = conflicts[attribute];
        const bool repeat = last.is_object() && json_fields::StringAt(last, "offered") == digest &&
                            SameSource(last.value("source", nlohmann::json::object()), source);
        if (repeat) {
          last["count"] = json_fields::UintAt(last, "count") + 1;
          last["at"] = now;
          continue;
        }
        last = nlohmann::json::object();
        last["source"] = ChangeSourceToJson(source);
        last["offered"] = digest;
        last["at"] = now;
        last["count"] = 1;
        nlohmann::json c = nlohmann::json::object();
        c["attribute"] = attribute;
        c["ownedBy"] = *owner;
        if (!offered.is_null() && Small(offered)) c["offered"] = offered;
        if (had && Small(before[attribute])) c["kept"] = before[attribute];
        outcome.conflicts.push_back(std::move(c));
        continue;
      }
    }
    // Taken: this source owns the attribute now (a value removed still has an owner,
    // so a weaker source cannot put one back).
    owners[attribute] = OwnerOf(source);
  }
  if (record != original) txn.Put(keys::AttributeOwnership(tenant, user_id), record.dump());
  return outcome;
}

}  // namespace dirbridge
