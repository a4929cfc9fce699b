// The admin API's view of the tenant's groups (read only: groups change through their
// sources). Under /admin/v1/tenants/{tenant}/groups:
//
//   GET .../groups?displayName=N&after=C&limit=N   {"groups": [summary...], "next"?: C}
//       (displayName: the groups with that name, any case, at most `limit`; otherwise
//       in creation order; `limit` 1..200, default 50)
//   GET .../groups/{id}                            a summary
//   GET .../groups/{id}/members?after=C&limit=N    {"members": [{"id","display"?}], "next"?}
//       (in user id order; `limit` 1..1000, default 200)
//
// A summary: {"id","displayName","externalId"?,"version","created","lastModified"}. 404 for an
// unknown group.
#pragma once

#include <cstddef>

#include "core/env.h"
#include "core/http_message.h"

namespace dirbridge {
class KvStore;
}  // namespace dirbridge

namespace dirbridge::admin {

inline constexpr std::size_t kMaxGroupsPerPage = 200;
inline constexpr std::size_t kMaxMembersPerPage = 1000;

// route = ["tenants", t, "groups", ...]; the tenant exists.
HttpResponse HandleGroups(const HttpRequest& request, KvStore& store, Env& env);

}  // namespace dirbridge::admin
