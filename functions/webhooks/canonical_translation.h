// Signed canonical events (canonical_events.h) as the engine's pushed events
// (model/source_event.h), so that provision/source_event_applier.h applies them by
// the same rules as every other push source's: dedupe by event id, order by
// (occurredAt, id), last writer wins per aspect, one matching of users and groups.
//
//   canonical type         SourceEvent kind
//   user.created           kUserActivated, with its profile (creates the user when absent)
//   user.updated           kUserProfileChanged
//   user.suspended         kUserSuspended
//   user.reactivated       kUserActivated
//   user.deleted           kUserDeleted
//   group.created          kGroupCreated
//   group.deleted          kGroupDeleted
//   group.member_added     kMemberAdded
//   group.member_removed   kMemberRemoved
//   any other type         untranslated: acknowledged, counted, ignored
//
// uuid = the event's id; published = occurredAt. A user is named by its userName:
// the subject's source id is the lower-cased userName (the userName index's form, so
// "ADA@x" and "ada@x" are one subject) and its login the userName as sent, so a user
// that SCIM made with that userName is found; externalId, email, displayName,
// givenName and familyName are carried as given (an externalId only when given: the
// applier makes none up, SourceApplyOptions::permanent_source_ids is false for this
// source). A group is named by its displayName the same way, with its externalId as
// given. A name longer than kMaxSourceIdBytes (or one that looks like the
// replacement) is named by "sha256:" and its digest instead, so store keys stay
// bounded.
#pragma once

#include <vector>

#include "canonical_events.h"
#include "model/source_event.h"

namespace dirbridge::webhooks {

SourceEventBatch TranslateCanonicalEvents(std::vector<CanonicalEvent> events);

}  // namespace dirbridge::webhooks
