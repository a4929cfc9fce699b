// The admin API of an entra connection's Graph path (README, "Graph change
// notifications"):
//
//   PUT  /admin/v1/tenants/{t}/connections/{c}/graph
//        {"tenantId": Entra tenant id (GUID) or domain, "clientId": the app
//         registration's id (GUID), "clientSecret": its secret}
//        seals the secret (graph-client-secret; never returned, only its fingerprint
//        shown), stores the settings and schedules the setup now: subscriptions on
//        users and groups, a first delta round of each (the full sync). Putting them
//        again replaces them; the secret may be left out when one is already set.
//   POST /admin/v1/tenants/{t}/connections/{c}/graph/catchup
//        starts a delta catch-up of users and groups now (202)
//   GET  /admin/v1/tenants/{t}/connections/{c}   adds "graph": settings, subscriptions,
//        token state, counters, last errors, each delta round's last report
// 404 for a connection that is not of kind entra; 400 naming the field at fault.
#pragma once

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/http_message.h"
#include "core/result.h"
#include "tenancy/connection.h"

namespace dirbridge::admin {

HttpResponse PutGraphSettingsHere(const HttpRequest& request, KvStore& store, Env& env, const Connection& c,
                                  const nlohmann::json& body);
HttpResponse StartGraphCatchUpHere(const HttpRequest& request, KvStore& store, Env& env, const Connection& c);
// The "graph" member of an entra connection's view (absent when it has no Graph settings).
Result<std::optional<nlohmann::json>> GraphView(KvStore& store, std::string_view tenant, const Connection& c);

}  // namespace dirbridge::admin
