// functions/scim: the SCIM 2.0 service provider, a tenant module (it runs with the
// storage of request.tenant). Mounted at /t/{tenant}/scim/v2; request.route holds
// the segments after it as the router decided (["Users", "42"]), and every request
// needs the bearer token of one of the tenant's connections. Errors are RFC 7644
// §3.12 SCIM errors.
#pragma once

#include "core/env.h"
#include "core/http_message.h"

namespace dirbridge {
class KvStore;
}  // namespace dirbridge

namespace dirbridge::scim_function {

HttpResponse Handle(const HttpRequest& request, KvStore& store, Env& env);

}  // namespace dirbridge::scim_function
