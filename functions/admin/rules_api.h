// Group automation rules in the admin API (provision/entitlement_rules.h). A rule maps
// a directory group, by displayName (any case), to password-manager entitlements; the
// members it gains and loses afterwards get entitlement.granted / entitlement.revoked
// events. Under /admin/v1/tenants/{tenant}/rules:
//
//   GET    .../rules?after=G&limit=N   {"rules": [rule...], "next"?: G}, in lowercased
//                                      name order, `limit` 1..200 (default 50)
//   PUT    .../rules/{group name}      {"entitlements": [{"type": "role"|"policy"|
//                                      "sharedFolder", "name"}...], "by"?}
//          201 a new rule / 200 replaced, answering the rule; 400 naming the problem,
//          nothing written (at most 50 entitlements, names 1..200 bytes, no control
//          characters, 500 rules a tenant)
//   GET    .../rules/{group name}      the rule; 404 none
//   DELETE .../rules/{group name}      {"by"?} in the body or none: 204; 404 none
//
// The group name is one path segment, percent-encoded ("Sales%20EMEA", "a%2Fb").
// A rule: {"group", "entitlements", "updated", "by", "corrupt"?}. Setting and deleting
// are audit events (rule.set, rule.deleted, with `by`).
#pragma once

#include "core/env.h"
#include "core/http_message.h"
#include "tenancy/connection.h"

namespace dirbridge::admin {

// route = ["tenants", t, "rules", ...]; the tenant exists.
HttpResponse HandleRules(const HttpRequest& request, KvStore& store, Env& env);

}  // namespace dirbridge::admin
