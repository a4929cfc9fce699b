// Applying what Google said, once a fetch returns: every change goes through the
// engine's applier (provision/source_event_applier.h) as claims of this connection
// (model/source_event.h), so a Google user that SCIM or another source also describes
// is one user, and an older claim never undoes a newer one.
//
//   hasMember          with a scope group, a user is first checked against it
//                      (members.hasMember: direct or nested); then users.get
//   users.get 200      the user as it is now: active or suspended, with its profile
//                      (outside the connection's org units or its scope group: suspended)
//   users.get 404      deleted in Google: suspended here, never deleted (the vault stays
//                      recoverable; an undelete brings the user back)
//   groups.get 200     the group (created here if new), then the activity's membership
//   groups.get 404     a DELETE_GROUP: the group is deleted here
// Users are named by Google's permanent id (their externalId here); in memberships,
// which the Reports API names by email, by their primary email.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "effects/outbox.h"
#include "google_session.h"
#include "normalize/google_workspace.h"

namespace dirbridge::gworkspace {

inline constexpr const char* kThenUserFetched = "user.fetched";
inline constexpr const char* kThenGroupFetched = "group.fetched";
inline constexpr const char* kThenScopeChecked = "scope.checked";

// Fetches the user Google names by `key` (its id or email) and applies it: with a
// scope group, after asking whether the user is in it.
Status FetchUser(GoogleSession& s, const std::string& key);

// An activity's step as a call's data, and back.
nlohmann::json StepToJson(const google::ActivityStep& step, const std::string& uuid, int64_t published_ms);

Status HandleScopeChecked(GoogleSession& s, const nlohmann::json& data, const effects::Outcome& outcome);
Status HandleUserFetched(GoogleSession& s, const nlohmann::json& data, const effects::Outcome& outcome,
                         const std::string& effect_id);
Status HandleGroupFetched(GoogleSession& s, const nlohmann::json& data, const effects::Outcome& outcome,
                          const std::string& effect_id);

}  // namespace dirbridge::gworkspace
