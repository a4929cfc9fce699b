// functions/webhooks: events pushed to dirbridge by identity providers, a tenant
// module (it runs with the storage of request.tenant). Mounted at /t/{tenant}/hooks;
// request.route holds the segments after it, as the router decided:
//
//   GET  /t/{tenant}/hooks/okta/{connection}   ["okta", c]  Okta's one-time verification
//   POST /t/{tenant}/hooks/okta/{connection}   ["okta", c]  an Okta Event Hook delivery
//
// One file per source (okta_hook.cc). The router has checked the hook secret's MAC,
// tenant and connection; each handler checks it against the stored hash. Errors are
// the API error of core/api_error.h.
#pragma once

#include "core/env.h"
#include "core/http_message.h"

namespace dirbridge {
class KvStore;
}  // namespace dirbridge

namespace dirbridge::webhooks {

HttpResponse Handle(const HttpRequest& request, KvStore& store, Env& env);

// Okta Event Hooks (okta_hook.cc).
HttpResponse HandleOktaHook(const HttpRequest& request, KvStore& store, Env& env);

}  // namespace dirbridge::webhooks
