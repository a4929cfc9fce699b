// functions/scim: the SCIM 2.0 service provider and the operator's admin API, as
// one module with two entry points.
//
//   Route  (stateless, runs at the edge): authenticates nothing that needs storage,
//          answers what it can (404, health, admin 401) and otherwise names the
//          tenant whose storage must handle the request. On Workers that tenant is a
//          Durable Object.
//   Handle (runs with the tenant's storage): does the work.
//
// URLs:
//   POST /admin/v1/tenants                          create a tenant (admin token)
//   GET  /admin/v1/tenants/{tenant}                 read it
//   POST /admin/v1/tenants/{tenant}/connections     issue an IdP connection + token
//   GET  /admin/v1/tenants/{tenant}/events?after=N  read the event log
//   /t/{tenant}/scim/v2/...                         SCIM, bearer token of a connection
#pragma once

#include "function_entry.h"

namespace dirbridge::scim_function {

RouteDecision Route(const HttpRequest& request, Env& env);
HttpResponse Handle(const HttpRequest& request, KvStore& store, Env& env);

}  // namespace dirbridge::scim_function
