#include "model/deprovisioning_policy.h"

#include <string>

namespace dirbridge {

const char* DeprovisionActionName(DeprovisionAction action) {
  switch (action) {
    case DeprovisionAction::kSuspend:
      return "suspend";
    case DeprovisionAction::kRemove:
      return "remove";
    case DeprovisionAction::kDelete:
      return "delete";
  }
  return "suspend";
}

std::optional<DeprovisionAction> ParseDeprovisionAction(std::string_view name) {
  for (auto a : {DeprovisionAction::kSuspend, DeprovisionAction::kRemove, DeprovisionAction::kDelete}) {
    if (name == DeprovisionActionName(a)) return a;
  }
  return std::nullopt;
}

nlohmann::json DeprovisioningPolicyToJson(const DeprovisioningPolicy& p) {
  nlohmann::json j = nlohmann::json::object();
  j["onDeactivate"] = DeprovisionActionName(p.on_deactivate);
  j["onDelete"] = DeprovisionActionName(p.on_delete);
  j["graceSeconds"] = p.grace_seconds;
  return j;
}

Result<DeprovisioningPolicy> DeprovisioningPolicyFromJson(const nlohmann::json& j, DeprovisioningPolicy p) {
  if (!j.is_object()) return InvalidInput("the deprovisioning policy must be a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const auto& v = it.value();
    if (k == "onDeactivate" || k == "onDelete") {
      std::optional<DeprovisionAction> action;
      if (v.is_string()) action = ParseDeprovisionAction(v.get_ref<const std::string&>());
      if (!action) return InvalidInput("'" + k + "' must be \"suspend\", \"remove\" or \"delete\"");
      (k == "onDeactivate" ? p.on_deactivate : p.on_delete) = *action;
    } else if (k == "graceSeconds") {
      const bool in_range = v.is_number_integer() && !(v.is_number_unsigned() && v.get<uint64_t>() > kMaxGraceSeconds) &&
                            v.get<int64_t>() >= 0 && v.get<int64_t>() <= kMaxGraceSeconds;
      if (!in_range) {
        return InvalidInput("'graceSeconds' must be an integer from 0 to " + std::to_string(kMaxGraceSeconds) +
                            " (365 days)");
      }
      p.grace_seconds = v.get<int64_t>();
    } else {
      return InvalidInput("the deprovisioning policy takes only 'onDeactivate', 'onDelete' and 'graceSeconds'");
    }
  }
  return p;
}

}  // namespace dirbridge
