// What a pushing source (an IdP's event hook, a push notification, a signed webhook)
// says happened, in one canonical shape that every push adapter translates into and
// the engine applies (provision/source_event_applier.h). It is the inbound
// counterpart of model/lifecycle_event.h (the events the engine writes to the
// tenant's log for the account service): a SourceEvent is a claim by a source about
// its own subjects, named by the source's ids; a LifecycleEvent is a change the
// engine made to dirbridge's records.
//
// Every SourceEvent is a last-writer-wins assertion about one aspect of one subject
// at the source's time `published_ms`:
//
//   kind                  aspect of the subject             asserted value
//   kUserStaged           user status                       exists, cannot sign in yet (Okta STAGED)
//   kUserActivated        user status                       active
//   kUserSuspended        user status                       suspended (Okta deactivate / suspend)
//   kUserDeleted          user status                       gone, for good (ids are never reused)
//   kUserProfileChanged   user profile                      the profile attributes given
//   kUserAssigned         user assignment to our app        assigned
//   kUserUnassigned       user assignment to our app        unassigned
//   kGroupCreated         group existence                   exists, named display_name
//   kGroupDeleted         group existence                   gone, for good
//   kMemberAdded          membership (user, group)          member
//   kMemberRemoved        membership (user, group)          not a member
//
// The applier keeps, per subject and aspect, the `published_ms` of the last claim it
// applied, so an older claim never undoes a newer one whatever the delivery order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dirbridge {

enum class SourceEventKind {
  kUserStaged,
  kUserActivated,
  kUserSuspended,
  kUserDeleted,
  kUserProfileChanged,
  kUserAssigned,
  kUserUnassigned,
  kGroupCreated,
  kGroupDeleted,
  kMemberAdded,
  kMemberRemoved,
};

// "user.staged", "user.activated", ... (stable; used in stats and tests).
const char* SourceEventKindName(SourceEventKind kind);
std::optional<SourceEventKind> SourceEventKindFromName(std::string_view name);

// Which aspect of its subject an event asserts (see the table above).
enum class SourceAspect { kUserStatus, kUserProfile, kUserAssignment, kGroupExistence, kMembership };
SourceAspect AspectOf(SourceEventKind kind);
bool IsUserEvent(SourceEventKind kind);   // names a user subject
bool IsGroupEvent(SourceEventKind kind);  // names a group subject (memberships name both)

// A user or group as the source names it. Besides the names used to find it, a
// user may carry profile attributes: a profile claim (and a status claim that says
// `with_profile`) sets each one given, and a user the applier creates gets them.
struct SourceSubject {
  std::string source_id;     // the source's stable name for it (Okta "00u...", "00g..."; a signed event's userName)
  std::string login;         // users: the sign-in name (Okta alternateId; a signed event's userName)
  std::string email;         // users: an email, when the source gives one
  std::string display_name;  // a human name, when given
  std::string external_id;   // an externalId the source states outright (empty: none)
  std::string given_name;    // users: name.givenName, when given
  std::string family_name;   // users: name.familyName, when given
};

struct SourceEvent {
  std::string uuid;          // the source's id of this event: deliveries are deduplicated by it
  int64_t published_ms = 0;  // when it happened at the source (ms since the epoch)
  SourceEventKind kind = SourceEventKind::kUserProfileChanged;
  SourceSubject user;       // for user and membership events
  SourceSubject group;      // for group and membership events
  std::string app_id;       // assignments: the source's id of the application assigned
  std::string source_type;  // the source's own name for it ("user.lifecycle.activate"), for stats
  // A status claim that also states the user's profile (a signed `user.created`):
  // applied as a profile claim of the same time as well.
  bool with_profile = false;
};

// A delivered event the adapter did not translate: a type it does not handle
// (acknowledged, counted, ignored) or one it could not read (no uuid, no subject).
struct UntranslatedSourceEvent {
  std::string uuid;          // empty when the event had none (then it cannot be deduplicated)
  int64_t published_ms = 0;  // 0 when unknown
  std::string source_type;   // bounded by the adapter
  bool malformed = false;    // true: could not be read; false: a type not handled
  std::string detail;
};

// What an adapter made of one delivery: the events to apply and the rest.
struct SourceEventBatch {
  std::vector<SourceEvent> events;
  std::vector<UntranslatedSourceEvent> untranslated;
};

// Bounds on what a source may name; the adapters refuse longer values as malformed.
inline constexpr std::size_t kMaxSourceIdBytes = 128;
inline constexpr std::size_t kMaxSourceEventUuidBytes = 128;

}  // namespace dirbridge
