// One call's view of an entra connection with Graph credentials: the connection, its
// settings (as the admin API stored them), where Graph is for this deployment, the
// transaction and outbox the call writes through, and its Graph calls. The
// connection's records (tenancy/connection_state.h):
//
//   kind          name                record
//   settings      current             tenant id, client id, push origin, generation
//   subscription  {users|groups}      the live subscription: {"id", "expires", "clientStateSha256"}
//   token, wait   (remote/oauth_calls.h)
//   delta         {users|groups}      the delta state: {"deltaLink"} once a round ended,
//                                     {"run", "next"} while one pages, {"again"} when a
//                                     notification asked for another
//   status        current             sections token, subscriptions, notifications,
//                                     fetches, delta
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/result.h"
#include "effects/outbox.h"
#include "model/json_fields.h"
#include "normalize/microsoft_graph.h"
#include "provision/source_event_applier.h"
#include "remote/oauth_calls.h"
#include "tenancy/connection.h"
#include "tenancy/connection_state.h"

namespace dirbridge::graphsync {

using json_fields::IntAt;
using json_fields::StringAt;
using remote::Excerpt;

// The lifetime asked for a subscription: the longest Graph allows less a margin, or
// the deployment setting DIRBRIDGE_GRAPH_SUBSCRIPTION_SECONDS (tests).
inline constexpr int64_t kDefaultSubscriptionMs = (graph::kMaxSubscriptionMinutes - 10) * 60 * 1000;
inline constexpr const char* kSubscriptionSecondsSetting = "DIRBRIDGE_GRAPH_SUBSCRIPTION_SECONDS";

struct GraphSession {
  Transaction& txn;
  effects::Outbox& outbox;
  Env& env;
  Connection connection;
  ConnectionState state;
  nlohmann::json settings;  // {"tenantId", "clientId", "pushOrigin", "generation", ...}
  std::string graph_base;   // https://graph.microsoft.com, or the test setting's
  std::string login_base;   // https://login.microsoftonline.com, or the test setting's

  const std::string& tenant() const { return connection.tenant; }
  std::string Setting(const char* name) const { return StringAt(settings, name); }
  std::string generation() const { return Setting("generation"); }
  std::string notify_address() const;  // {pushOrigin}/t/{tenant}/graph/notify/{connection}
  int64_t subscription_ms() const;

  // Applies claims through the engine as changes of this connection made `via` push or
  // reconcile (a delta catch-up), kMaxSourceEventsPerBatch at a time; answers how many
  // changed the directory.
  Result<std::size_t> Apply(std::vector<SourceEvent> events, ChangeChannel via);
  // A Graph call (now, or behind a token request).
  Status Call(const remote::ApiCall& call);
  remote::OAuthCalls Calls();
};

// The session of `connection_id`, or nullopt when the connection is gone, is not of
// kind entra, or has no Graph settings (a continuation then stops its chain).
Result<std::optional<GraphSession>> OpenSession(Transaction& txn, effects::Outbox& outbox, Env& env,
                                                const std::string& tenant, const std::string& connection_id);

// The connection named in a continuation's state ("connection"), or InvalidInput.
Result<std::string> ConnectionOfState(const nlohmann::json& state);

}  // namespace dirbridge::graphsync
