#include "normalize/okta_events.h"

#include <optional>
#include <string>
#include <string_view>

#include "core/timestamp.h"
#include "model/json_fields.h"

namespace dirbridge::okta {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxEventTypeBytes = 128;
constexpr std::size_t kMaxNameBytes = 512;

struct Mapping {
  const char* okta_type;
  SourceEventKind kind;
};
constexpr Mapping kMappings[] = {
    {"user.lifecycle.create", SourceEventKind::kUserStaged},
    {"user.lifecycle.activate", SourceEventKind::kUserActivated},
    {"user.lifecycle.reactivate", SourceEventKind::kUserActivated},
    {"user.lifecycle.unsuspend", SourceEventKind::kUserActivated},
    {"user.lifecycle.deactivate", SourceEventKind::kUserSuspended},
    {"user.lifecycle.suspend", SourceEventKind::kUserSuspended},
    {"user.lifecycle.delete.initiated", SourceEventKind::kUserDeleted},
    {"user.account.update_profile", SourceEventKind::kUserProfileChanged},
    {"group.user_membership.add", SourceEventKind::kMemberAdded},
    {"group.user_membership.remove", SourceEventKind::kMemberRemoved},
    {"group.lifecycle.create", SourceEventKind::kGroupCreated},
    {"group.lifecycle.delete", SourceEventKind::kGroupDeleted},
    {"application.user_membership.add", SourceEventKind::kUserAssigned},
    {"application.user_membership.remove", SourceEventKind::kUserUnassigned},
};

std::optional<SourceEventKind> KindOf(std::string_view okta_type) {
  for (const auto& m : kMappings) {
    if (okta_type == m.okta_type) return m.kind;
  }
  return std::nullopt;
}

// The first target of `type` as a subject; nullopt when there is none or its id is
// missing or too long.
std::optional<SourceSubject> TargetOf(const json& event, std::string_view type) {
  auto targets = event.find("target");
  if (targets == event.end() || !targets->is_array()) return std::nullopt;
  for (const auto& t : *targets) {
    if (json_fields::StringAt(t, "type") != type) continue;
    SourceSubject s;
    s.source_id = json_fields::StringAt(t, "id");
    if (s.source_id.empty() || s.source_id.size() > kMaxSourceIdBytes) return std::nullopt;
    s.login = json_fields::StringAt(t, "alternateId");
    s.display_name = json_fields::StringAt(t, "displayName");
    if (s.login.size() > kMaxNameBytes) s.login.clear();
    if (s.display_name.size() > kMaxNameBytes) s.display_name.clear();
    // Okta writes "unknown" where a target has no alternateId (groups).
    if (s.login == "unknown") s.login.clear();
    if (type == "User" && s.login.find('@') != std::string::npos) s.email = s.login;
    return s;
  }
  return std::nullopt;
}

}  // namespace

const std::vector<const char*>& HandledEventTypes() {
  static const std::vector<const char*>* names = [] {
    auto* v = new std::vector<const char*>;
    for (const auto& m : kMappings) v->push_back(m.okta_type);
    return v;
  }();
  return *names;
}

void TranslateEvent(const json& event, Translation* out) {
  UntranslatedSourceEvent skipped;
  if (!event.is_object()) {
    skipped.malformed = true;
    skipped.detail = "an event is not a JSON object";
    out->untranslated.push_back(std::move(skipped));
    return;
  }
  skipped.source_type = json_fields::StringAt(event, "eventType").substr(0, kMaxEventTypeBytes);
  const std::string uuid = json_fields::StringAt(event, "uuid");
  if (!uuid.empty() && uuid.size() <= kMaxSourceEventUuidBytes) skipped.uuid = uuid;
  const auto published = ParseRfc3339Millis(json_fields::StringAt(event, "published"));
  if (published) skipped.published_ms = *published;

  auto malformed = [&](std::string detail) {
    skipped.malformed = true;
    skipped.detail = std::move(detail);
    out->untranslated.push_back(std::move(skipped));
  };
  if (skipped.uuid.empty()) return malformed("the event has no uuid (or one over 128 bytes)");
  if (!published) return malformed("the event has no valid 'published' time");
  const auto kind = KindOf(skipped.source_type);
  if (!kind) {
    skipped.detail = "event type not handled";
    out->untranslated.push_back(std::move(skipped));
    return;
  }
  if (auto o = event.find("outcome"); o != event.end() && o->is_object()) {
    const std::string result = json_fields::StringAt(*o, "result");
    if (!result.empty() && result != "SUCCESS") {
      skipped.detail = "outcome " + result.substr(0, 32) + ": nothing happened at the source";
      out->untranslated.push_back(std::move(skipped));
      return;
    }
  }
  SourceEvent e;
  e.uuid = skipped.uuid;
  e.published_ms = *published;
  e.kind = *kind;
  e.source_type = skipped.source_type;
  if (IsUserEvent(*kind)) {
    auto user = TargetOf(event, "User");
    if (!user) return malformed("the event names no User target");
    e.user = std::move(*user);
  }
  if (IsGroupEvent(*kind)) {
    auto group = TargetOf(event, "UserGroup");
    if (!group) return malformed("the event names no UserGroup target");
    e.group = std::move(*group);
  }
  if (*kind == SourceEventKind::kUserAssigned || *kind == SourceEventKind::kUserUnassigned) {
    auto app = TargetOf(event, "AppInstance");
    if (!app) return malformed("the event names no AppInstance target");
    e.app_id = std::move(app->source_id);
  }
  out->events.push_back(std::move(e));
}

Result<Translation> TranslateHookDelivery(const json& body, std::size_t max_events) {
  if (!body.is_object()) return InvalidInput("the body must be a JSON object", "invalidSyntax");
  auto data = body.find("data");
  if (data == body.end() || !data->is_object()) return InvalidInput("the body has no 'data' object", "invalidSyntax");
  auto events = data->find("events");
  if (events == data->end() || !events->is_array()) {
    return InvalidInput("the body has no 'data.events' array", "invalidSyntax");
  }
  if (events->size() > max_events) {
    return PayloadTooLarge("a delivery carries at most " + std::to_string(max_events) + " events; this one has " +
                           std::to_string(events->size()));
  }
  Translation out;
  for (const auto& e : *events) TranslateEvent(e, &out);
  return out;
}

}  // namespace dirbridge::okta
