#include "provision/attribute_changes.h"

#include <set>
#include <string>

namespace dirbridge {
namespace {

bool Small(const nlohmann::json& v) { return v.dump().size() <= kMaxAuditedValueBytes; }

}  // namespace

nlohmann::json AttributeChanges(const nlohmann::json& before, const nlohmann::json& after) {
  std::set<std::string> names;
  for (auto it = before.begin(); it != before.end(); ++it) names.insert(it.key());
  for (auto it = after.begin(); it != after.end(); ++it) names.insert(it.key());
  names.erase("meta");
  names.erase("id");
  nlohmann::json changed = nlohmann::json::array();
  nlohmann::json changes = nlohmann::json::object();
  for (const auto& name : names) {
    auto b = before.find(name);
    auto a = after.find(name);
    const bool had = b != before.end(), has = a != after.end();
    if (had && has && *b == *a) continue;
    changed.push_back(name);
    nlohmann::json change = nlohmann::json::object();
    if ((!had || Small(*b)) && (!has || Small(*a))) {
      if (had) change["from"] = *b;
      if (has) change["to"] = *a;
    }
    changes[name] = std::move(change);
  }
  return {{"changed", std::move(changed)}, {"changes", std::move(changes)}};
}

}  // namespace dirbridge
