#include "model/lifecycle_event.h"

namespace dirbridge {

namespace {
struct NamedType {
  EventType type;
  const char* name;
};
constexpr NamedType kNames[] = {
    {EventType::kUserProvisioned, "user.provisioned"},
    {EventType::kUserUpdated, "user.updated"},
    {EventType::kUserSuspended, "user.suspended"},
    {EventType::kUserReactivated, "user.reactivated"},
    {EventType::kUserDeprovisioned, "user.deprovisioned"},
    {EventType::kUserReinvited, "user.reinvited"},
    {EventType::kGroupCreated, "group.created"},
    {EventType::kGroupUpdated, "group.updated"},
    {EventType::kGroupDeleted, "group.deleted"},
    {EventType::kGroupMemberAdded, "group.member_added"},
    {EventType::kGroupMemberRemoved, "group.member_removed"},
    {EventType::kUserOffboarded, "user.offboarded"},
    {EventType::kUserReactivationHeld, "user.reactivation_held"},
    {EventType::kChangeHeld, "change.held"},
    {EventType::kChangeApproved, "change.approved"},
    {EventType::kChangeDiscarded, "change.discarded"},
    {EventType::kEntitlementGranted, "entitlement.granted"},
    {EventType::kEntitlementRevoked, "entitlement.revoked"},
    {EventType::kRuleSet, "rule.set"},
    {EventType::kRuleDeleted, "rule.deleted"},
    {EventType::kUserArchived, "user.archived"},
    {EventType::kUserRemoved, "user.removed"},
    {EventType::kUserAttributeConflict, "user.attribute_conflict"},
    {EventType::kPrecedenceSet, "precedence.set"},
    {EventType::kKeyFragmentEnrolled, "federation.k2_enrolled"},
    {EventType::kKeyFragmentReleased, "federation.k2_released"},
    {EventType::kKeyFragmentRotated, "federation.k2_rotated"},
    {EventType::kKeyFragmentDestroyed, "federation.k2_destroyed"},
};
}  // namespace

const char* EventTypeName(EventType type) {
  for (const auto& n : kNames) {
    if (n.type == type) return n.name;
  }
  return "unknown";
}

std::optional<EventType> EventTypeFromName(std::string_view name) {
  for (const auto& n : kNames) {
    if (name == n.name) return n.type;
  }
  return std::nullopt;
}

const char* ChangeChannelName(ChangeChannel channel) {
  switch (channel) {
    case ChangeChannel::kScim: return "scim";
    case ChangeChannel::kHook: return "hook";
    case ChangeChannel::kPush: return "push";
    case ChangeChannel::kReconcile: return "reconcile";
    case ChangeChannel::kApi: return "api";
    case ChangeChannel::kConnector: return "connector";
    case ChangeChannel::kAdmin: return "admin";
    case ChangeChannel::kFederation: return "federation";
  }
  return "unknown";
}

nlohmann::json ChangeSourceToJson(const ChangeSource& s) {
  nlohmann::json j = nlohmann::json::object();
  j["kind"] = s.kind;
  j["via"] = ChangeChannelName(s.via);
  if (!s.connection_id.empty()) j["connection"] = s.connection_id;
  return j;
}

ChangeSource AdminChangeSource() { return ChangeSource{"admin", "", ChangeChannel::kAdmin}; }

nlohmann::json EventToJson(const LifecycleEvent& e) {
  nlohmann::json j = {{"sequence", e.sequence},
                      {"type", EventTypeName(e.type)},
                      {"at", e.at},
                      {"source", ChangeSourceToJson(e.source)}};
  if (!e.user_id.empty()) j["user"] = e.user_id;
  if (!e.group_id.empty()) j["group"] = e.group_id;
  if (!e.request_id.empty()) j["request"] = e.request_id;
  if (!e.data.empty()) j["data"] = e.data;
  return j;
}

}  // namespace dirbridge
