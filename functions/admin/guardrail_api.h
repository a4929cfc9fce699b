// The mass-change guardrail in the admin API (provision/mass_change_guard.h):
//
//   GET  .../guardrail                 {"enabled","percent","users","windowSeconds",
//                                       "threshold": for the tenant's size now}
//   PUT  .../guardrail  {"enabled"?, "percent"?, "users"?, "windowSeconds"?}
//        fields left out keep their value; 200 as GET; 400 naming the field
//   GET  .../pending?after=U&limit=N   {"pending": [{"user","userName","action",
//                                       "source","at","request"?,"threshold"}], "next"?}
//   POST .../pending/{user}/approve {"by"?}   applies it (as the admin), 200 the removal
//   POST .../pending/{user}/discard {"by"?}   forgets it, 200 the removal
//        404 when nothing is pending for the user
#pragma once

#include "core/env.h"
#include "core/http_message.h"
#include "tenancy/connection.h"

namespace dirbridge::admin {

// route = ["tenants", t, "guardrail"] or ["tenants", t, "pending", ...]; the tenant exists.
HttpResponse HandleGuardrail(const HttpRequest& request, KvStore& store, Env& env);

}  // namespace dirbridge::admin
