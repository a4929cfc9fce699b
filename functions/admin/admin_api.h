// functions/admin: the operator's admin API, a tenant module (it runs with the
// storage of request.tenant). Mounted at /admin/v1; request.route holds the
// segments after it, as the router decided:
//
//   POST /admin/v1/tenants                       ["tenants"]                create request.tenant
//   GET  /admin/v1/tenants/{tenant}              ["tenants", t]             read it
//   POST /admin/v1/tenants/{tenant}/connections  ["tenants", t, "connections"]  issue an IdP connection + token
//                                                (kind custom: also its custom API provhash, once)
//   GET  /admin/v1/tenants/{tenant}/connections/{c}/hook  ["tenants", t, "connections", c, "hook"]
//                                                an event hook connection's counters (outcomes,
//                                                unknown event types, lastPublished)
//   GET  /admin/v1/tenants/{tenant}/events       ["tenants", t, "events"]   read the event log (?after=N&limit=M)
//   GET  .../connections/{c}                     a connection: kind, secrets (names + fingerprints),
//                                                delivery counters of a signed_webhook connection
//   GET  .../connections/{c}/secrets             its sealed secrets: names and fingerprints only
//   GET | PUT | DELETE .../connections/{c}/secrets/{name}
//                                                PUT {"value": "..."} seals and stores (201 new, 200
//                                                replaced); PUT {"generate": true} makes a whsec_
//                                                signing secret and shows it once; never a stored value
//   POST .../connections/{c}/provhash            a custom connection's new provisioning hash for the
//                                                custom API (shown once; the old one stops working)
//   GET | PUT .../connections/{c}/deprovisioning what the connection's deactivate and delete
//                                                mean (deprovisioning_api.h)
//   GET .../tenants/{tenant}/groups[/{id}[/members]]  the groups and their members (groups_api.h)
//   GET | PUT | DELETE .../tenants/{tenant}/precedence  which source owns which attribute
//                                                (precedence_api.h)
//   .../tenants/{tenant}/effects[/...]           the outbox: list, retry a parked effect (effects_api.h)
//   GET | PUT | DELETE .../tenants/{tenant}/events/delivery, POST .../events/delivery/secret
//                                                the event feed to the account service (event_feed_api.h)
//
// Every request needs the admin token or the console's session (tenancy/admin_auth.h;
// checked by the router, and again here).
// Errors are the API error of core/api_error.h.
#pragma once

#include "core/env.h"
#include "core/http_message.h"

namespace dirbridge {
class KvStore;
}  // namespace dirbridge

namespace dirbridge::admin {

HttpResponse Handle(const HttpRequest& request, KvStore& store, Env& env);

}  // namespace dirbridge::admin
