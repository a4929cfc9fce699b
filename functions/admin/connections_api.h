// The admin API's management of connections (tenancy/connection.h):
//
//   GET    .../connections?after=C&limit=N   {"connections": [...], "next"?}: each
//          {"id","kind","created","tokenRotated"?,"previousTokenValidUntil"?,"revoked"?,
//           "activity": {"lastChange","lastEvent","lastRequest"?} or {}} (limit 1..200, default 100)
//   POST   .../connections/{c}/token  {"graceSeconds"?}   a new bearer token, shown once;
//          the old one stays valid `graceSeconds` (default 3600, 0..604800)
//          200 {"id","token","previousTokenValidUntil"?}
//   DELETE .../connections/{c}        revokes it (204): its token, grace token and hook
//          secret stop at once, its sealed secrets are deleted; it stays listed
//
// "activity": each connection's last change (provision/connection_activity.h).
#pragma once

#include "core/env.h"
#include "core/http_message.h"
#include "tenancy/connection.h"

namespace dirbridge::admin {

// GET .../connections (route size 3).
HttpResponse ListConnectionsHere(const HttpRequest& request, KvStore& store);
// POST .../connections/{c}/token.
HttpResponse RotateTokenHere(const HttpRequest& request, KvStore& store, Env& env, const std::string& connection_id);
// DELETE .../connections/{c}.
HttpResponse RevokeConnectionHere(const HttpRequest& request, KvStore& store, Env& env,
                                  const std::string& connection_id);

}  // namespace dirbridge::admin
