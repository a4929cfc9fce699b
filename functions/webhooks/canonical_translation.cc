#include "canonical_translation.h"

#include <optional>
#include <string>
#include <string_view>

#include "core/ascii.h"
#include "crypto/sha256.h"
#include "provision/source_event_applier.h"

namespace dirbridge::webhooks {
namespace {

static_assert(kMaxEventsPerDelivery <= kMaxSourceEventsPerBatch, "a valid delivery fits one applier batch");

constexpr std::string_view kDigestPrefix = "sha256:";

// The source id of a subject named `name` (case-insensitive, bounded).
std::string SubjectId(std::string_view name) {
  std::string folded = ToLowerAscii(name);
  if (folded.size() <= kMaxSourceIdBytes && folded.rfind(kDigestPrefix, 0) != 0) return folded;
  return std::string(kDigestPrefix) + crypto::Sha256Hex(folded);
}

SourceSubject UserSubject(const EventUser& u) {
  SourceSubject s;
  s.source_id = SubjectId(u.user_name);
  s.login = u.user_name;
  s.email = u.email.value_or("");
  s.display_name = u.display_name.value_or("");
  s.external_id = u.external_id.value_or("");
  s.given_name = u.given_name.value_or("");
  s.family_name = u.family_name.value_or("");
  return s;
}

SourceSubject GroupSubject(const EventGroup& g) {
  SourceSubject s;
  s.source_id = SubjectId(g.display_name);
  s.display_name = g.display_name;
  s.external_id = g.external_id.value_or("");
  return s;
}

struct KindFor {
  CanonicalType type;
  SourceEventKind kind;
};
constexpr KindFor kKinds[] = {
    {CanonicalType::kUserCreated, SourceEventKind::kUserActivated},
    {CanonicalType::kUserUpdated, SourceEventKind::kUserProfileChanged},
    {CanonicalType::kUserSuspended, SourceEventKind::kUserSuspended},
    {CanonicalType::kUserReactivated, SourceEventKind::kUserActivated},
    {CanonicalType::kUserDeleted, SourceEventKind::kUserDeleted},
    {CanonicalType::kGroupCreated, SourceEventKind::kGroupCreated},
    {CanonicalType::kGroupDeleted, SourceEventKind::kGroupDeleted},
    {CanonicalType::kGroupMemberAdded, SourceEventKind::kMemberAdded},
    {CanonicalType::kGroupMemberRemoved, SourceEventKind::kMemberRemoved},
};

std::optional<SourceEventKind> KindOf(CanonicalType type) {
  for (const auto& k : kKinds) {
    if (k.type == type) return k.kind;
  }
  return std::nullopt;  // kUnknown
}

}  // namespace

SourceEventBatch TranslateCanonicalEvents(std::vector<CanonicalEvent> events) {
  SourceEventBatch out;
  for (auto& e : events) {
    const auto kind = KindOf(e.type);
    if (!kind) {
      out.untranslated.push_back(UntranslatedSourceEvent{std::move(e.id), e.occurred_at_ms, std::move(e.type_name),
                                                         false, "unknown event type"});
      continue;
    }
    SourceEvent s;
    s.uuid = std::move(e.id);
    s.published_ms = e.occurred_at_ms;
    s.kind = *kind;
    s.source_type = std::move(e.type_name);
    s.with_profile = e.type == CanonicalType::kUserCreated;
    if (e.user) s.user = UserSubject(*e.user);
    if (e.group) s.group = GroupSubject(*e.group);
    out.events.push_back(std::move(s));
  }
  return out;
}

}  // namespace dirbridge::webhooks
