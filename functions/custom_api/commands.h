// The custom API's commands, applied through the engine (provision/directory.h) with the
// custom connection as their ChangeSource (channel api). Each item is validated in full
// before its first command, and each command is one engine batch with its event: an item
// that fails changes nothing, and a retried identical batch changes nothing twice (the
// engine writes nothing for an edit that changes nothing).
//
//   batch_commands.cc    batchadd, batchchangegrp
//   account_commands.cc  deluser, disableuser / enableuser, reinviteuser
//   getuserdata.cc       getuserdata (getuserdata.h)
#pragma once

#include <string>

#include "answer.h"
#include "core/result.h"
#include "lastpass_commands.h"
#include "provision/directory.h"

namespace dirbridge::custom_api {

// Creates or updates each user (batchadd_fields.h) and adds it to the groups it names,
// creating missing ones. Adds "ignored_attributes" to the answer when attributes were
// not kept.
Status RunBatchAdd(Directory& directory, const ParsedItems<BatchAddItem>& items, Answer& answer);
// Adds each user to the groups in `add` (created when missing) and removes it from those
// in `del` (a group that does not exist, or a non-member, is no change).
Status RunBatchChangeGroups(Directory& directory, const ParsedItems<GroupChangeItem>& items, Answer& answer);

// The memberships deleteaction 1 may end for one user; a user in more groups is an item
// error (nothing applied): use deleteaction 2.
inline constexpr std::size_t kMaxMembershipsEndedPerUser = 1000;

// deleteaction, for each user:
//   0 deactivate          active = false; data and memberships kept
//   1 remove from company active = false and every group membership ended
//   2 delete              the user record, its index keys and memberships removed
//                         (DeleteUser: user.deprovisioned)
//   3 uninvite            deletes the user only when it is not active (dirbridge has no
//                         invitation state: a user not yet active is one that was
//                         disabled); an active user is an item error
Status RunDeleteUsers(Directory& directory, const ParsedItems<DeleteItem>& items, Answer& answer);
// disableuser / enableuser: each named user becomes inactive / active. The answer lists
// "disabled_users" / "enabled_users" (changed) and "unchanged_users" (already so).
Status RunSetActive(Directory& directory, const ParsedItems<std::string>& usernames, bool active, Answer& answer);
// reinviteuser: a user.reinvited event per user, for the account service to send the
// invitation again; the user record is not changed.
Status RunReinvite(Directory& directory, const ParsedItems<std::string>& usernames, Answer& answer);

}  // namespace dirbridge::custom_api
