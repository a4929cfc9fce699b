// The admin API's view of a tenant's outbox (shared/effects/outbox.h), and the
// admin module's continuations. Under /admin/v1/tenants/{tenant}/effects:
//
//   GET  .../effects?phase=pending|parked&after=ID&limit=N   the entries, oldest first
//        {"effects":[...], "next": ID, "stored": n, "limit": kMaxStoredEffects}
//        (request headers shown by name, bodies by length; "stored" counts every
//        entry, pending and parked, against the tenant's limit)
//   POST .../effects/{id}/retry          a parked entry made pending again, due now,
//        attempts from zero: 200 with the entry; 404 no such entry; 409 not parked
//   DELETE .../effects/{id}              a parked entry removed, its slot freed: 204;
//        404 no such entry; 409 not parked
//
// Test-only, answered 404 unless the deployment sets DIRBRIDGE_TEST_EFFECTS=1 (the
// end-to-end tests do; a deployment must not: it lets the admin make dirbridge send
// requests anywhere):
//   POST .../effects/test   {"note", "url", "method"?, "headers"?, "body"?,
//                            "maxAttempts"?, "continuation"?, "chain"?, "wakeInMs"?}
//        stages, in one batch, the record t/{t}/testfx/{note} ({"stage":"emitted"})
//        and one effect (or, with wakeInMs, one timer) whose continuation (default
//        "test.record") records the outcome there; with "chain", that continuation
//        emits a second effect to the chain URL, noted "{note}-chained". 202 with the
//        outbox id and the wake time.
//   GET  .../effects/test/{note}         what was recorded (404 if nothing)
#pragma once

#include "core/env.h"
#include "core/http_message.h"
#include "effects/outbox.h"

namespace dirbridge::admin {

inline constexpr const char* kModuleName = "admin";

// Whether the test-only routes (and loopback http:// targets) are on:
// DIRBRIDGE_TEST_EFFECTS=1.
bool TestRoutesEnabled(Env& env);

// route = ["tenants", t, "effects", ...]; the tenant exists.
HttpResponse HandleEffects(const HttpRequest& request, KvStore& store, Env& env);

// The admin module's continuations: "test.record", the event feed's "feed.send"
// and "feed.sent" (event_feed_api.h), the purge's, and "federation.jwks" (an IdP's
// keys fetched when the admin trusted it, federation_api.h).
Status Resume(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env);

}  // namespace dirbridge::admin
