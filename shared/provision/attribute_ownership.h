// The tenant's precedence rules at work (model/attribute_precedence.h): who owns each
// attribute of a user, and the conflicts a weaker source ran into. Internal to the
// engine: CreateUser and UpdateUser call ApplyPrecedence in their batch.
//
//   t/{t}/precedence      the rules ({"attributes": {...}}; absent: none)
//   t/{t}/owner/{user}    {"owners": {attribute: {"kind", "connection"?}},
//                          "conflicts": {attribute: {"source": {kind, connection?, via},
//                                        "offered": digest, "at", "count"}}}
//
// A conflict is logged (user.attribute_conflict) the first time a source offers a
// value the owner's rank keeps out; the same source offering the same value again
// (an IdP's every sync) is only counted on the record, so the log is not flooded.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/result.h"
#include "model/attribute_precedence.h"
#include "model/lifecycle_event.h"
#include "store/kv_store.h"
#include "store/transaction.h"

namespace dirbridge {

// The rules, read through the batch's cache (one read per batch); empty when none.
Result<PrecedenceRules> LoadPrecedence(Transaction& txn, std::string_view tenant);
void PutPrecedence(Transaction& txn, std::string_view tenant, const PrecedenceRules& rules);
void DeletePrecedence(Transaction& txn, std::string_view tenant);

// The user's ownership record as stored, or an empty object.
Result<nlohmann::json> LoadOwnership(Transaction& txn, std::string_view tenant, std::string_view user_id);
void DeleteOwnership(Transaction& txn, std::string_view tenant, std::string_view user_id);

// Applies `rules` to a change of a user's SCIM shape from `before` (an empty object
// for a new user) to `after` by `source`: each top-level attribute that differs and
// whose owner ranks above `source` gets its value from `before` back in `after`; the
// others become `source`'s. Stages the ownership record when it changes. Nothing to
// do with no rules or for the admin.
struct PrecedenceOutcome {
  bool kept = false;  // some attribute of `after` got its value from `before` back
  // The conflicts to log (the new ones: [{"attribute", "ownedBy", "offered"?,
  // "kept"?}], small values only); empty when none.
  nlohmann::json conflicts = nlohmann::json::array();
};
Result<PrecedenceOutcome> ApplyPrecedence(Transaction& txn, Env& env, std::string_view tenant,
                                       const PrecedenceRules& rules, std::string_view user_id,
                                       const nlohmann::json& before, nlohmann::json& after,
                                       const ChangeSource& source);

}  // namespace dirbridge
