// dirbridge's own lifecycle events, the body of a Standard Webhooks delivery
// (README "Signed webhooks" has the schema with examples). A body is one event
// object, or {"events": [...]} with 1 to kMaxEventsPerDelivery of them.
//
//   {"id": "evt_1", "type": "user.created", "occurredAt": "2026-11-26T04:00:00Z",
//    "user": {"userName": "ada@example.com", "externalId": "...", "email": "...",
//             "displayName": "...", "givenName": "...", "familyName": "..."},
//    "group": {"displayName": "Engineering", "externalId": "..."}}
//
// ParseDelivery checks every event before anything is applied: a body with one
// malformed event is refused whole (400), naming the event and what is wrong. An
// event of a type we do not know only needs an id; it is kept, as kUnknown, to be
// acknowledged, counted and ignored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace dirbridge::webhooks {

inline constexpr std::size_t kMaxEventsPerDelivery = 100;

enum class CanonicalType {
  kUserCreated,
  kUserUpdated,
  kUserSuspended,
  kUserReactivated,
  kUserDeleted,
  kGroupCreated,
  kGroupDeleted,
  kGroupMemberAdded,
  kGroupMemberRemoved,
  kUnknown,
};
const char* CanonicalTypeName(CanonicalType type);

struct EventUser {
  std::string user_name;
  std::optional<std::string> external_id, email, display_name, given_name, family_name;
};

struct EventGroup {
  std::string display_name;
  std::optional<std::string> external_id;
};

struct CanonicalEvent {
  std::string id;
  CanonicalType type = CanonicalType::kUnknown;
  std::string type_name;  // as sent
  int64_t occurred_at_ms = 0;
  std::optional<EventUser> user;
  std::optional<EventGroup> group;
};

Result<std::vector<CanonicalEvent>> ParseDelivery(std::string_view body);

}  // namespace dirbridge::webhooks
