#include "canonical_events.h"

#include <nlohmann/json.hpp>

#include "core/json_input.h"
#include "core/timestamp.h"

namespace dirbridge::webhooks {
namespace {

using nlohmann::json;

// The engine's own bounds (provision/record_limits.h), checked here too so that a
// delivery the engine would refuse half-way is refused whole, before anything changes.
constexpr std::size_t kMaxIndexedBytes = 512;
constexpr std::size_t kMaxStringBytes = 4096;
constexpr std::size_t kMaxEventIdBytes = 128;

struct NamedType {
  CanonicalType type;
  const char* name;
};
constexpr NamedType kTypes[] = {
    {CanonicalType::kUserCreated, "user.created"},
    {CanonicalType::kUserUpdated, "user.updated"},
    {CanonicalType::kUserSuspended, "user.suspended"},
    {CanonicalType::kUserReactivated, "user.reactivated"},
    {CanonicalType::kUserDeleted, "user.deleted"},
    {CanonicalType::kGroupCreated, "group.created"},
    {CanonicalType::kGroupDeleted, "group.deleted"},
    {CanonicalType::kGroupMemberAdded, "group.member_added"},
    {CanonicalType::kGroupMemberRemoved, "group.member_removed"},
};

bool NeedsUser(CanonicalType t) {
  return t != CanonicalType::kGroupCreated && t != CanonicalType::kGroupDeleted && t != CanonicalType::kUnknown;
}
bool NeedsGroup(CanonicalType t) {
  return t == CanonicalType::kGroupCreated || t == CanonicalType::kGroupDeleted ||
         t == CanonicalType::kGroupMemberAdded || t == CanonicalType::kGroupMemberRemoved;
}

// An optional string member: absent or null is nullopt; anything else but a string
// (within `max` bytes) is an error.
Status OptionalString(const json& obj, const char* name, std::size_t max, const std::string& where,
                      std::optional<std::string>* out) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) return InvalidInput(where + "." + name + " must be a string");
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() > max) return InvalidInput(where + "." + name + " is longer than " + std::to_string(max) + " bytes");
  *out = s;
  return Status::Ok();
}

Status RequiredString(const json& obj, const char* name, std::size_t max, const std::string& where,
                      std::string* out) {
  std::optional<std::string> v;
  DB_RETURN_IF_ERROR(OptionalString(obj, name, max, where, &v));
  if (!v || v->empty()) return InvalidInput(where + "." + name + " is required");
  *out = std::move(*v);
  return Status::Ok();
}

Result<CanonicalEvent> ParseEvent(const json& e, const std::string& where) {
  if (!e.is_object()) return InvalidInput(where + " must be a JSON object");
  CanonicalEvent out;
  DB_RETURN_IF_ERROR(RequiredString(e, "id", kMaxEventIdBytes, where, &out.id));
  DB_RETURN_IF_ERROR(RequiredString(e, "type", 128, where, &out.type_name));
  for (const auto& t : kTypes) {
    if (out.type_name == t.name) out.type = t.type;
  }
  if (out.type == CanonicalType::kUnknown) return out;  // acknowledged, counted, ignored
  std::string at;
  DB_RETURN_IF_ERROR(RequiredString(e, "occurredAt", 64, where, &at));
  auto ms = ParseRfc3339Millis(at);
  if (!ms) return InvalidInput(where + ".occurredAt must be an RFC 3339 date-time, e.g. 2026-11-26T04:00:00Z");
  out.occurred_at_ms = *ms;
  if (NeedsUser(out.type)) {
    auto it = e.find("user");
    if (it == e.end() || !it->is_object()) return InvalidInput(where + ".user is required (an object)");
    const std::string w = where + ".user";
    EventUser u;
    DB_RETURN_IF_ERROR(RequiredString(*it, "userName", kMaxIndexedBytes, w, &u.user_name));
    DB_RETURN_IF_ERROR(OptionalString(*it, "externalId", kMaxIndexedBytes, w, &u.external_id));
    DB_RETURN_IF_ERROR(OptionalString(*it, "email", kMaxIndexedBytes, w, &u.email));
    DB_RETURN_IF_ERROR(OptionalString(*it, "displayName", kMaxStringBytes, w, &u.display_name));
    DB_RETURN_IF_ERROR(OptionalString(*it, "givenName", kMaxStringBytes, w, &u.given_name));
    DB_RETURN_IF_ERROR(OptionalString(*it, "familyName", kMaxStringBytes, w, &u.family_name));
    out.user = std::move(u);
  }
  if (NeedsGroup(out.type)) {
    auto it = e.find("group");
    if (it == e.end() || !it->is_object()) return InvalidInput(where + ".group is required (an object)");
    const std::string w = where + ".group";
    EventGroup g;
    DB_RETURN_IF_ERROR(RequiredString(*it, "displayName", kMaxIndexedBytes, w, &g.display_name));
    DB_RETURN_IF_ERROR(OptionalString(*it, "externalId", kMaxIndexedBytes, w, &g.external_id));
    out.group = std::move(g);
  }
  return out;
}

}  // namespace

const char* CanonicalTypeName(CanonicalType type) {
  for (const auto& t : kTypes) {
    if (t.type == type) return t.name;
  }
  return "unknown";
}

Result<std::vector<CanonicalEvent>> ParseDelivery(std::string_view body) {
  DB_ASSIGN_OR_RETURN(auto doc, ParseJson(body));
  if (!doc.is_object()) return InvalidInput("the body must be a JSON object: one event, or {\"events\": [...]}", "invalidSyntax");
  std::vector<CanonicalEvent> out;
  auto events = doc.find("events");
  if (events == doc.end()) {
    DB_ASSIGN_OR_RETURN(auto e, ParseEvent(doc, "event"));
    out.push_back(std::move(e));
    return out;
  }
  if (!events->is_array() || events->empty()) return InvalidInput("'events' must be a non-empty array");
  if (events->size() > kMaxEventsPerDelivery) {
    return InvalidInput("a delivery carries at most " + std::to_string(kMaxEventsPerDelivery) + " events, this one " +
                        std::to_string(events->size()), "tooMany");
  }
  for (std::size_t i = 0; i < events->size(); ++i) {
    DB_ASSIGN_OR_RETURN(auto e, ParseEvent((*events)[i], "events[" + std::to_string(i) + "]"));
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace dirbridge::webhooks
