// What a connection's deactivate and delete mean for the password-manager account
// (a per-connection setting; tenancy/connection.h stores it, ChangeSource carries it
// to the engine, provision/deprovisioning.h applies it).
//
//   suspend  the account is suspended and kept (the default, for both)
//   remove   suspended now; after the grace period it leaves the company
//            (user.removed: the person keeps their vault as a personal account)
//   delete   suspended now; after the grace period the account and its vault go
//            (user.deprovisioned)
//
// A source's delete never erases a user at once: the user leaves the source's view
// (SCIM GET answers 404, the userName is free) and is archived, suspended; the same
// userName provisioned again brings the archived account back. Only a remove or
// delete policy, after its grace period, erases the record. Nothing is ever erased by
// default. A reactivation (or a re-provisioning) within the grace period cancels it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace dirbridge {

enum class DeprovisionAction { kSuspend, kRemove, kDelete };

inline constexpr int64_t kDefaultGraceSeconds = 30 * 24 * 3600;
inline constexpr int64_t kMaxGraceSeconds = 365 * 24 * 3600;

struct DeprovisioningPolicy {
  DeprovisionAction on_deactivate = DeprovisionAction::kSuspend;
  DeprovisionAction on_delete = DeprovisionAction::kSuspend;
  int64_t grace_seconds = kDefaultGraceSeconds;  // 0 .. kMaxGraceSeconds

  bool operator==(const DeprovisioningPolicy&) const = default;
};

// "suspend", "remove", "delete".
const char* DeprovisionActionName(DeprovisionAction action);
std::optional<DeprovisionAction> ParseDeprovisionAction(std::string_view name);

// {"onDeactivate", "onDelete", "graceSeconds"}.
nlohmann::json DeprovisioningPolicyToJson(const DeprovisioningPolicy& policy);
// Reads the fields `j` names over `base` (a PUT may name only some). 400 with the
// field and what it takes for anything else: an unknown field, an unknown action, a
// grace period that is not an integer from 0 to kMaxGraceSeconds.
Result<DeprovisioningPolicy> DeprovisioningPolicyFromJson(const nlohmann::json& j, DeprovisioningPolicy base = {});

}  // namespace dirbridge
