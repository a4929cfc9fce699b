// The events the account service consumes, in the tenant's ordered, durable log.
// Each change the provisioning engine applies appends exactly one event, in the
// same atomic batch as the change itself, so the log can be replayed to rebuild
// the directory and never disagrees with it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "model/deprovisioning_policy.h"

namespace dirbridge {

enum class EventType {
  kUserProvisioned,
  kUserUpdated,
  kUserSuspended,
  kUserReactivated,
  kUserDeprovisioned,
  // Asks the account service to send the user's invitation again (the custom API's
  // reinviteuser); the user record itself does not change.
  kUserReinvited,
  kGroupCreated,
  kGroupUpdated,
  kGroupDeleted,
  kGroupMemberAdded,
  kGroupMemberRemoved,
  // The admin's one-click offboarding (provision/directory.h OffboardUser): the user is
  // suspended and held; the account service locks the vault and ends every session.
  kUserOffboarded,
  // A source tried to reactivate an offboarded user; the user stays suspended until an
  // admin restores them. Logged once per hold, so a source that repeats itself every
  // sync does not flood the log (the hold record counts the repeats).
  kUserReactivationHeld,
  // The mass-change guardrail held a source's suspension or deletion for the admin
  // (provision/mass_change_guard.h); the admin approved (applied) or discarded one.
  kChangeHeld,
  kChangeApproved,
  kChangeDiscarded,
  // Group automation (provision/entitlement_rules.h): a member added to (removed from)
  // a group whose displayName has a rule gets (loses) the rule's entitlements: one
  // event per membership change, listing them, in the batch of the change.
  kEntitlementGranted,
  kEntitlementRevoked,
  // The admin set (created or replaced) or deleted a group automation rule.
  kRuleSet,
  kRuleDeleted,
  // A source deleted the user (model/deprovisioning_policy.h): the account is
  // suspended and kept, archived out of the source's view; data.purgeAt says when a
  // remove or delete policy ends it. The same userName provisioned again brings it back
  // (user.provisioned with data.revived).
  kUserArchived,
  // A remove policy's grace period ended: the account leaves the company and the
  // person keeps their vault (a delete policy ends in user.deprovisioned).
  kUserRemoved,
  // A source offered values for attributes another source owns and outranks it on
  // (model/attribute_precedence.h): the values were kept; data.conflicts lists each
  // attribute, its owner, and the offered and kept values when small. Logged once per
  // (attribute, source, value): a source repeating itself is only counted.
  kUserAttributeConflict,
  // The admin set or cleared the tenant's precedence rules (data.rules, data.by).
  kPrecedenceSet,
  // Federated login (key_fragments/): a user's K2 was made at their first federated
  // login, released to a client that showed a valid ID token (data: issuer, jti,
  // generation, address), rotated or destroyed by the admin. No event ever holds K2.
  kKeyFragmentEnrolled,
  kKeyFragmentReleased,
  kKeyFragmentRotated,
  kKeyFragmentDestroyed,
};

// "user.provisioned", "group.member_added", ...
const char* EventTypeName(EventType type);
std::optional<EventType> EventTypeFromName(std::string_view name);

// How a change reached the engine: the adapter that turned its input into a command.
enum class ChangeChannel {
  kScim,       // a SCIM request from an IdP
  kHook,       // an IdP event hook (Okta Event Hooks, ...)
  kPush,       // a push notification (Google Workspace, Microsoft Graph)
  kReconcile,  // a full sync that repairs drift
  kApi,        // the custom provisioning API
  kConnector,  // the on-premise Active Directory connector
  kAdmin,      // an operator through the admin API (offboarding, ...)
  kFederation, // a federated login (an ID token shown for K2, key_fragments/)
};
// "scim", "hook", "push", "reconcile", "api", "connector", "admin", "federation".
const char* ChangeChannelName(ChangeChannel channel);

// Who made a change (the connection, or the admin) and how. Recorded on every event,
// so audit and cross-source rules need nothing from the adapters.
struct ChangeSource {
  ChangeSource() = default;
  ChangeSource(std::string kind_, std::string connection_id_, ChangeChannel via_ = ChangeChannel::kScim,
               DeprovisioningPolicy deprovisioning_ = {})
      : kind(std::move(kind_)), connection_id(std::move(connection_id_)), via(via_), deprovisioning(deprovisioning_) {}

  std::string kind;           // the connection's kind ("entra", "okta", ...), or "admin"
  std::string connection_id;  // empty for the admin
  ChangeChannel via = ChangeChannel::kScim;
  // What the connection's deactivate and delete mean (the admin's: the default). Not
  // recorded on events: the engine applies it (provision/deprovisioning.h).
  DeprovisioningPolicy deprovisioning;
};
// {"kind", "via", "connection"?} as events and records show a source (no policy).
nlohmann::json ChangeSourceToJson(const ChangeSource& source);
// The operator, through the admin API (kind "admin", no connection, the default policy).
ChangeSource AdminChangeSource();

struct LifecycleEvent {
  uint64_t sequence = 0;  // 1, 2, 3, ... per tenant, no gaps
  EventType type = EventType::kUserUpdated;
  std::string at;         // RFC 3339
  ChangeSource source;
  std::string user_id;    // the user concerned, if any
  std::string group_id;   // the group concerned, if any
  std::string request_id; // the request (or outbox entry) that made the change, if known
  nlohmann::json data = nlohmann::json::object();  // e.g. userName, changed attributes
};

nlohmann::json EventToJson(const LifecycleEvent& event);

}  // namespace dirbridge
