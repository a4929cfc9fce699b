// Applying what Graph said: every change goes through the engine's applier
// (provision/source_event_applier.h) as claims of the entra connection, so the person
// that Entra's SCIM provisioning also sends is one user (matched by the link, then
// externalId = the object id when the admin maps objectId to externalId, then
// userName = userPrincipalName, then email = mail; the link remembers the object id).
//
//   users/{id} 200     the user as it is now: active, or suspended when accountEnabled
//                      is false, with its profile (via push)
//   users/{id} 404     deleted in Entra: suspended here (the deprovisioning policy:
//                      never deleted, the vault stays recoverable)
//   delta catch-up     users/delta and groups/delta from the stored deltaLink, one page
//                      per continuation (via reconcile): users as above (@removed:
//                      suspended), groups created or deleted, members@delta added or
//                      removed. The first round (no deltaLink yet) is the full sync.
//                      A delta round asked for while one pages runs once more after it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "effects/outbox.h"
#include "graph_session.h"

namespace dirbridge::graphsync {

inline constexpr const char* kThenUserFetched = "user.fetched";
inline constexpr const char* kThenDeltaPage = "delta.page";
// A catch-up that failed is tried again after this long.
inline constexpr int64_t kCatchUpRetryMs = 60 * 1000;

Status FetchUser(GraphSession& s, const std::string& id);
// Starts a delta round of `resource` ("users" or "groups"), or asks the one paging to
// run again when it ends. `reason` is for the status.
Status StartCatchUp(GraphSession& s, const std::string& resource, const std::string& reason);

Status HandleUserFetched(GraphSession& s, const nlohmann::json& data, const effects::Outcome& outcome,
                         const std::string& effect_id);
Status HandleDeltaPage(GraphSession& s, const nlohmann::json& data, const effects::Outcome& outcome,
                       const std::string& effect_id);
Status ResumeCatchUp(const effects::ContinuationCall& call, GraphSession& s);  // graph.catchup

}  // namespace dirbridge::graphsync
