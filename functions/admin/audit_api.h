// The audit log (provision/audit_query.h) in the admin API:
//
//   GET .../audit?user=&group=&actor=&type=&since=&until=&after=&limit=&format=jsonl
//       user: an id or userName; group: an id; actor: a connection id, a source kind or
//       the admin's "by"; type: an event type; since/until: RFC 3339 times; after: a
//       sequence; limit 1..1000 (default 100).
//       JSON: {"entries": [event...], "scanned": n, "next"?: sequence}
//       format=jsonl: one event per line (application/x-ndjson), the cursor in the
//       header X-Dirbridge-Next when the query is not complete.
// At most kMaxAuditScanned events are read per call, whatever matches; follow `next`.
#pragma once

#include "core/http_message.h"
#include "provision/audit_query.h"

namespace dirbridge::admin {

// route = ["tenants", t, "audit"]; the tenant exists.
HttpResponse ReadAuditHere(const HttpRequest& request, KvStore& store);

}  // namespace dirbridge::admin
