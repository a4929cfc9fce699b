// One call's view of a Google Workspace connection: the connection, its settings (as
// the admin API stored them), where Google is for this deployment, and the transaction
// and outbox the call writes through. The connection's records
// (tenancy/connection_state.h):
//
//   kind        name                 record
//   settings    current              admin email, customer, scope, push origin, key identity
//   channel     {channel id}         one push channel (users.watch event or activities)
//   current     {event|activities}   the id of the channel now serving that stream
//   token       current              {"expires", "requested"}: the sealed token's expiry, and
//                                    when a token request was last sent (one in flight)
//   wait        {time-ordered id}    a Google call waiting for a token
//   status      current              counters and last errors, for the admin
//   reconcile   current              the full sync in progress, or the last one's report
//   seen        {google user id}     the reconcile run that last saw that user
//   mseen       {group id}/{email}   the reconcile run that last saw that membership
//   gemail      {group email}        the group's Google id (activities name groups by email)
//   gseen       {group id}           a group this connection saw: {"run"} of the reconcile
//                                    that listed it, or {"at"} when a push fetched it
//   inscope     {google user id}     a member of the scope group: {"run"} when a reconcile
//                                    listed it, {"at"} when a push check found it
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/result.h"
#include "model/json_fields.h"
#include "effects/outbox.h"
#include "provision/source_event_applier.h"
#include "tenancy/connection.h"
#include "remote/oauth_calls.h"
#include "tenancy/connection_state.h"

namespace dirbridge::gworkspace {

struct GoogleSession {
  Transaction& txn;
  effects::Outbox& outbox;
  Env& env;
  Connection connection;
  ConnectionState state;
  nlohmann::json settings;  // {"adminEmail", "customerId", "orgUnits", "scopeGroup", "pushOrigin", "generation", ...}
  std::string api_base;     // https://admin.googleapis.com, or the test setting's
  std::string token_url;    // https://oauth2.googleapis.com/token, or {test base}/token

  const std::string& tenant() const { return connection.tenant; }
  std::string Setting(const char* name) const;
  std::string customer() const;
  std::vector<std::string> org_units() const;
  // The group whose members (direct or nested) are in scope, by email or id; empty: no
  // such scoping.
  std::string scope_group() const { return Setting("scopeGroup"); }
  std::string generation() const { return Setting("generation"); }
  std::string push_address() const;  // {pushOrigin}/t/{tenant}/google/push/{connection}

  // Applies claims through the engine (provision/source_event_applier.h) as changes of
  // this connection made `via` push or reconcile, kMaxSourceEventsPerBatch at a time;
  // answers how many changed the directory.
  Result<std::size_t> Apply(std::vector<SourceEvent> events, ChangeChannel via);
  // Google renamed a group: the group this connection's claims made for it (found by
  // its externalId, Google's group id) takes the name, through the engine's
  // RenameGroup (the applier's group claims name a group but never rename one).
  // Returns whether it changed; a name taken or refused is logged, not an error.
  Result<bool> RenameGroup(const SourceSubject& group, ChangeChannel via);
};

// The session of `connection_id`, or nullopt when the connection is gone, is not of
// kind google, or has no settings (a continuation then stops its chain).
Result<std::optional<GoogleSession>> OpenSession(Transaction& txn, effects::Outbox& outbox, Env& env,
                                                 const std::string& tenant, const std::string& connection_id);

// The connection named in a continuation's state ("connection"), or InvalidInput.
Result<std::string> ConnectionOfState(const nlohmann::json& state);
using json_fields::IntAt;
using json_fields::StringAt;

using remote::DoublingDelayMs;
using remote::Excerpt;

}  // namespace dirbridge::gworkspace
