// The admin's side of attribute precedence (model/attribute_precedence.h): reading and
// setting the tenant's rules, each change an audit event (precedence.set, with `by`
// and the rules; null when cleared), and a user's owners and conflicts.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/result.h"
#include "model/attribute_precedence.h"
#include "store/kv_store.h"

namespace dirbridge {

Result<PrecedenceRules> ReadPrecedence(KvStore& store, std::string_view tenant);
// Replaces the rules (400 as PrecedenceRulesFromJson, or for a bad `by`). They govern
// changes from then on; nothing already stored is re-ranked.
Result<PrecedenceRules> SetPrecedence(KvStore& store, Env& env, std::string_view tenant, const nlohmann::json& rules,
                                      const std::string& by);
// Removes them (the last writer wins again). 404 when there are none.
Status ClearPrecedence(KvStore& store, Env& env, std::string_view tenant, const std::string& by);
// {"owners": {...}, "conflicts": {...}} of a user (empty objects when none).
Result<nlohmann::json> ReadAttributeOwners(KvStore& store, std::string_view tenant, std::string_view user_id);

}  // namespace dirbridge
