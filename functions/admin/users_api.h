// The admin API's view of the tenant's users, and one-click offboarding. Under
// /admin/v1/tenants/{tenant}/users:
//
//   GET  .../users?userName=U&after=C&limit=N   {"users": [summary...], "next"?: C}
//        (userName: the one user with that name, or none; otherwise in creation
//        order, `limit` 1..200, default 50)
//   GET  .../users?q=TEXT&after=C&limit=N       the users whose userName, primary email or
//        displayName holds TEXT (ASCII case folded; at most kMaxUserSearchBytes), in
//        creation order: {"users", "scanned", "next"?}. At most kMaxUsersScannedPerSearch
//        users are read per call whatever matches; "next" says where to go on
//   GET  .../users/{id}                         a summary, with "attributeOwners" (which
//        source set each attribute), "attributeConflicts" (model/attribute_precedence.h)
//        and "groups": [{"id","displayName"}], its first kMaxUserGroupsShown groups
//        ("moreGroups": true when it has more)
//   POST .../users/{id}/offboard  {"by"?, "reason"?}
//        suspends the user at once whatever source provisioned them, holds them (no
//        source can reactivate them: provision/offboarding_hold.h) and logs
//        user.offboarded with `by` (default "admin"), `reason` and the request id:
//        200 {"user", "offboarded": hold, "already": bool} (again on a held user:
//        nothing changes, "already": true)
//   POST .../users/{id}/restore   {"by"?}
//        lifts the hold and reactivates: 200 {"user"}; 409 when not offboarded
//
// A summary: {"id","userName","email"?,"displayName"?,"active","version",
// "offboarded"?: hold, "scheduledPurge"?: {"action","dueAt","reason"}}. A user its
// source deleted is not listed, but GET .../users/{id} still answers it, with
// "archived": {"at","source","policy"} (model/deprovisioning_policy.h). 404 for an
// unknown user.
#pragma once

#include "core/env.h"
#include "core/http_message.h"
#include "tenancy/connection.h"

namespace dirbridge::admin {

inline constexpr std::size_t kMaxUsersPerPage = 200;
inline constexpr std::size_t kMaxUsersScannedPerSearch = 1000;
inline constexpr std::size_t kMaxUserSearchBytes = 256;
inline constexpr std::size_t kMaxUserGroupsShown = 100;

// route = ["tenants", t, "users", ...]; the tenant exists.
HttpResponse HandleUsers(const HttpRequest& request, KvStore& store, Env& env);

}  // namespace dirbridge::admin
