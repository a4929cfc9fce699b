// Okta's event objects (the System Log event shape, which Event Hooks deliver in
// data.events[] and the System Log API returns as a list) translated into the
// canonical SourceEvent (model/source_event.h). Shared by the Event Hook endpoint
// (functions/webhooks) and, later, the System Log catch-up poll, which reads the
// same objects.
//
//   Okta eventType                          SourceEvent kind      subject (target[].type)
//   user.lifecycle.create                   kUserStaged           User
//   user.lifecycle.activate                 kUserActivated        User
//   user.lifecycle.reactivate               kUserActivated        User
//   user.lifecycle.unsuspend                kUserActivated        User
//   user.lifecycle.deactivate               kUserSuspended        User
//   user.lifecycle.suspend                  kUserSuspended        User
//   user.lifecycle.delete.initiated         kUserDeleted          User
//   user.account.update_profile             kUserProfileChanged   User
//   group.user_membership.add / remove      kMemberAdded / kMemberRemoved   User + UserGroup
//   group.lifecycle.create / delete         kGroupCreated / kGroupDeleted   UserGroup
//   application.user_membership.add / remove  kUserAssigned / kUserUnassigned  User + AppInstance
//
// A user's login is its target's alternateId; its email is the same when it has
// an '@' (Okta's default login is the email). An event whose outcome.result is not
// SUCCESS changed nothing at Okta: it is untranslated (ignored). Any other eventType
// is untranslated (ignored, counted). An event without a uuid, a valid published
// time or the targets its type needs is untranslated (malformed, counted).
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "model/source_event.h"

namespace dirbridge::okta {

using Translation = SourceEventBatch;

// The event type names translated, for documentation and tests.
const std::vector<const char*>& HandledEventTypes();

// Translates one event object.
void TranslateEvent(const nlohmann::json& event, Translation* out);

// An Event Hook delivery body: {"data": {"events": [...]}, ...}. 400 when the body is
// not that shape; 413 when it carries more than `max_events` events.
Result<Translation> TranslateHookDelivery(const nlohmann::json& body, std::size_t max_events);

}  // namespace dirbridge::okta
