// A tenant's precedence rules: when several connections describe one person (matched
// by userName, verified email or externalId, so they end as one user), which source
// owns which attribute. For each attribute, an ordered list of sources, first the
// strongest; "*" is the order for every attribute without its own. A source is named
// by its connection id or by its kind ("entra", "google", ...: every connection of
// that kind); a source the list does not name ranks below all it names.
//
// The engine (provision/attribute_ownership.h) records which source last set each
// attribute of a user. A change from a source that ranks below that owner does not
// overwrite the attribute: the value is kept and the conflict recorded. Attributes
// are the top-level members of the user's SCIM shape (model/user.h UserToJson:
// "displayName", "title", "emails", "name", the enterprise extension's URN, ...);
// "active" is the lifecycle's (offboarding hold, deprovisioning policy) and has no
// owner here. With no rules, the last writer wins, as before.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "model/lifecycle_event.h"

namespace dirbridge {

inline constexpr std::size_t kMaxPrecedenceAttributes = 50;
inline constexpr std::size_t kMaxPrecedenceSources = 10;
inline constexpr std::size_t kMaxPrecedenceNameBytes = 200;
inline constexpr const char* kEveryAttribute = "*";

struct PrecedenceRules {
  std::map<std::string, std::vector<std::string>> order;  // attribute -> sources, strongest first
  bool empty() const { return order.empty(); }
  // The order that governs `attribute` (its own, else "*"), or nullptr.
  const std::vector<std::string>* OrderFor(std::string_view attribute) const;
};

// The rank of `source` in `order`: its position (0 strongest), matching its
// connection id or its kind, and order.size() when it is not named.
std::size_t RankOf(const std::vector<std::string>& order, std::string_view kind, std::string_view connection_id);

// {"attributes": {name: [source, ...]}}.
nlohmann::json PrecedenceRulesToJson(const PrecedenceRules& rules);
// 400 with what is wrong: not that shape, more than kMaxPrecedenceAttributes
// attributes or kMaxPrecedenceSources sources, an empty list, a source named twice,
// an attribute the engine does not rank ("id", "meta", "schemas", "active"), a name
// that is empty, too long or holds a control character.
Result<PrecedenceRules> PrecedenceRulesFromJson(const nlohmann::json& j);

}  // namespace dirbridge
