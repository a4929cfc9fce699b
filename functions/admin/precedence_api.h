// The admin API of the tenant's attribute precedence (model/attribute_precedence.h):
//
//   GET    .../precedence   {"attributes": {attribute: [source, ...]}} ({} when none)
//   PUT    .../precedence   {"attributes": {...}, "by"?}: replaces the rules; 200 as GET.
//          400 (and nothing changed) as PrecedenceRulesFromJson says
//   DELETE .../precedence   {"by"?}: 204; 404 when there are none
//
// Each change is a precedence.set event. A user's owners and conflicts show on
// GET .../users/{id} (users_api.h).
#pragma once

#include "core/env.h"
#include "core/http_message.h"

namespace dirbridge {
class KvStore;
}  // namespace dirbridge

namespace dirbridge::admin {

// route = ["tenants", t, "precedence"]; the tenant exists.
HttpResponse HandlePrecedence(const HttpRequest& request, KvStore& store, Env& env);

}  // namespace dirbridge::admin
