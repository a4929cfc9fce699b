// getuserdata: the directory as LastPass reports it, users keyed by id and groups by name:
//
//   {"status": "OK", "errors": [],
//    "Users":  {"<user id>": {"username", "fullname", "disabled": bool, "created",
//                             "groups": ["<group name>", ...]}},
//    "Groups": {"<group name>": ["<username>", ...]},
//    "next":   "<cursor>"}            only when more users may follow
//
//   {}             every user, in creation order, at most kMaxUsersPerCall per call; when
//                  "next" is present, send {"after": "<next>"} for the following users
//                  (a dirbridge addition: LastPass answers everything at once, unbounded)
//   {username}     that user alone (FAIL with an error when there is none)
//   {disabled: 1}  the users that are not active among the next kMaxUsersPerCall users
//                  (so a page may hold fewer, and still have "next")
//   {admin: 1}     no users: dirbridge's model has no admin flag (the account service
//                  decides who administers), so the answer is always empty
//
// "Groups" lists the groups of the users in this answer, each with the usernames of
// those users (not of every member); a user's "groups" lists at most
// kMaxGroupsListedPerUser groups.
#pragma once

#include <cstddef>

#include "answer.h"
#include "lastpass_commands.h"
#include "provision/directory.h"

namespace dirbridge::custom_api {

inline constexpr std::size_t kMaxUsersPerCall = 1000;
inline constexpr std::size_t kMaxGroupsListedPerUser = 100;

Status RunGetUserData(Directory& directory, const UserDataQuery& query, Answer& answer);

}  // namespace dirbridge::custom_api
