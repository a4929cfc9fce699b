// The admin API of a Google Workspace connection (README, "Google Workspace"):
//
//   PUT  /admin/v1/tenants/{t}/connections/{c}/google
//        {"serviceAccountKey": <the key file, object or text>, "adminEmail",
//         "customerId"?, "orgUnits"?: ["/Staff", ...]}
//        seals the key (secret google-service-account-key; only its client_email and
//        private_key_id are shown, never returned), stores the settings and schedules
//        the setup now: channels opened, a first full sync. Putting them again
//        replaces them (new channels replace the old ones). The key may be left out
//        when one is already set.
//   POST /admin/v1/tenants/{t}/connections/{c}/google/reconcile
//        starts a full sync now (202)
//   GET  /admin/v1/tenants/{t}/connections/{c}   adds "google": settings, channels
//        (stream, expiry), token state, counters, last errors, the reconcile's
//        progress and last report
// 404 for a connection that is not of kind google; 400 naming the field at fault.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/http_message.h"
#include "core/result.h"
#include "effects/outbox.h"
#include "tenancy/connection.h"

namespace dirbridge::admin {

HttpResponse PutGoogleSettingsHere(const HttpRequest& request, KvStore& store, Env& env, const Connection& c,
                                   const nlohmann::json& body);
HttpResponse StartGoogleReconcileHere(const HttpRequest& request, KvStore& store, Env& env, const Connection& c);
// The "google" member of a connection's view.
Result<nlohmann::json> GoogleView(KvStore& store, std::string_view tenant, const Connection& c);

}  // namespace dirbridge::admin
