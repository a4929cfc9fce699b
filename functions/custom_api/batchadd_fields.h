// How a batchadd item maps onto the canonical user (model/user.h), for a user created
// here or one that exists already (made by SCIM, a hook, or an earlier batchadd: the
// same person by userName, case-insensitively):
//
//   username       userName (set on creation only; the lookup found the user by it),
//                  and the primary work email on creation when it holds an '@'
//   fullname       name.formatted and displayName (left alone when absent)
//   attribs        mapped where the meaning is plain (names case-insensitive):
//                    department, division, organization / company, costcenter,
//                    employeenumber / employeeid -> the enterprise extension
//                    title / jobtitle -> title
//                    objectguid -> externalId, only when the user has none
//                  every other attribute is not kept and is named in the answer's
//                  "ignored_attributes" (there is no free-form attribute in the model)
//
// Applying the same item twice changes nothing the second time, so the engine writes
// nothing and logs no event (a retried batch is idempotent).
#pragma once

#include <set>
#include <string>

#include "core/result.h"
#include "lastpass_commands.h"
#include "model/user.h"

namespace dirbridge::custom_api {

// Applies `item` to `user` (empty userName: a user being created). The names of the
// attributes that were not kept are added to `ignored`.
void ApplyBatchAddItem(const BatchAddItem& item, User& user, std::set<std::string>* ignored);

}  // namespace dirbridge::custom_api
