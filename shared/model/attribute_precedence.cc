#include "model/attribute_precedence.h"

#include <algorithm>

#include "core/ascii.h"

namespace dirbridge {
namespace {

Status CheckName(std::string_view what, std::string_view name) {
  if (name.empty()) return InvalidInput(std::string(what) + " names must not be empty");
  if (name.size() > kMaxPrecedenceNameBytes) {
    return InvalidInput(std::string(what) + " names are at most " + std::to_string(kMaxPrecedenceNameBytes) + " bytes");
  }
  if (HasAsciiControl(name)) return InvalidInput(std::string(what) + " names must not hold control characters");
  return Status::Ok();
}

}  // namespace

const std::vector<std::string>* PrecedenceRules::OrderFor(std::string_view attribute) const {
  if (auto it = order.find(std::string(attribute)); it != order.end()) return &it->second;
  if (auto it = order.find(kEveryAttribute); it != order.end()) return &it->second;
  return nullptr;
}

std::size_t RankOf(const std::vector<std::string>& order, std::string_view kind, std::string_view connection_id) {
  for (std::size_t i = 0; i < order.size(); ++i) {
    if ((!connection_id.empty() && order[i] == connection_id) || (!kind.empty() && order[i] == kind)) return i;
  }
  return order.size();
}

nlohmann::json PrecedenceRulesToJson(const PrecedenceRules& rules) {
  nlohmann::json attributes = nlohmann::json::object();
  for (const auto& [name, sources] : rules.order) attributes[name] = sources;
  nlohmann::json j = nlohmann::json::object();
  j["attributes"] = std::move(attributes);
  return j;
}

Result<PrecedenceRules> PrecedenceRulesFromJson(const nlohmann::json& j) {
  if (!j.is_object() || j.size() != 1 || !j.contains("attributes") || !j["attributes"].is_object()) {
    return InvalidInput("the precedence rules must be {\"attributes\": {attribute: [source, ...]}}");
  }
  const auto& attributes = j["attributes"];
  if (attributes.size() > kMaxPrecedenceAttributes) {
    return InvalidInput("at most " + std::to_string(kMaxPrecedenceAttributes) + " attributes have a precedence");
  }
  PrecedenceRules rules;
  for (auto it = attributes.begin(); it != attributes.end(); ++it) {
    const std::string& name = it.key();
    DB_RETURN_IF_ERROR(CheckName("attribute", name));
    if (name == "id" || name == "meta" || name == "schemas" || name == "active") {
      return InvalidInput("'" + name + "' has no precedence: " +
                          (name == "active" ? std::string("the lifecycle (offboarding, deprovisioning policy) decides it")
                                            : std::string("it is the engine's")));
    }
    const auto& list = it.value();
    if (!list.is_array() || list.empty()) {
      return InvalidInput("the precedence of '" + name + "' must be a non-empty array of sources");
    }
    if (list.size() > kMaxPrecedenceSources) {
      return InvalidInput("the precedence of '" + name + "' names more than " + std::to_string(kMaxPrecedenceSources) +
                          " sources");
    }
    std::vector<std::string> sources;
    for (const auto& source : list) {
      if (!source.is_string()) {
        return InvalidInput("the precedence of '" + name + "' must name sources as strings (connection ids or kinds)");
      }
      const std::string& s = source.get_ref<const std::string&>();
      DB_RETURN_IF_ERROR(CheckName("source", s));
      if (std::find(sources.begin(), sources.end(), s) != sources.end()) {
        return InvalidInput("the precedence of '" + name + "' names a source twice");
      }
      sources.push_back(s);
    }
    rules.order[name] = std::move(sources);
  }
  return rules;
}

}  // namespace dirbridge
