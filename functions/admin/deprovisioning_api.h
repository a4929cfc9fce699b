// The admin API of a connection's deprovisioning policy (model/deprovisioning_policy.h)
// and the continuation that runs the purges it schedules (provision/deprovisioning.h):
//
//   GET .../connections/{c}/deprovisioning   {"id", "deprovisioning": {"onDeactivate",
//        "onDelete", "graceSeconds"}}
//   PUT .../connections/{c}/deprovisioning   the fields to change, e.g.
//        {"onDelete": "delete", "graceSeconds": 2592000}; answers as GET. It applies to
//        the connection's changes from then on (a purge already scheduled keeps its
//        action and due time). 400 for anything else than the three fields and their
//        values; 404 for no such (or a revoked) connection.
//
// The purge timer (module admin, continuation "deprovision.purge", state {user, run})
// erases the user when its run is still the scheduled one (Directory::PurgeUser), as
// the source "policy".
#pragma once

#include "core/env.h"
#include "core/http_message.h"
#include "effects/outbox.h"

namespace dirbridge::admin {

// .../connections/{c}/deprovisioning (route size 5).
HttpResponse DeprovisioningHere(const HttpRequest& request, KvStore& store, const std::string& connection_id);

// The continuation "deprovision.purge".
Status ResumePurge(const effects::ContinuationCall& call, Transaction& txn, Env& env);

}  // namespace dirbridge::admin
