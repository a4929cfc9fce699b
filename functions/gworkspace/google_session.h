// One call's view of a Google Workspace connection: the connection, its settings (as
// the admin API stored them, tenancy/google_connection_state.h), where Google is for
// this deployment, and the transaction and outbox the call writes through.
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
#include "tenancy/google_connection_state.h"

namespace dirbridge::gworkspace {

struct GoogleSession {
  Transaction& txn;
  effects::Outbox& outbox;
  Env& env;
  Connection connection;
  GoogleConnectionState state;
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
  // Changes one section of the connection's status record ("token", "channels",
  // "notifications", "fetches", "lastReconcile": an object, made if absent) in the
  // transaction.
  Status UpdateStatus(const char* section, const std::function<void(nlohmann::json&)>& change);
};

// The session of `connection_id`, or nullopt when the connection is gone, is not of
// kind google, or has no settings (a continuation then stops its chain).
Result<std::optional<GoogleSession>> OpenSession(Transaction& txn, effects::Outbox& outbox, Env& env,
                                                 const std::string& tenant, const std::string& connection_id);

// The connection named in a continuation's state ("connection"), or InvalidInput.
Result<std::string> ConnectionOfState(const nlohmann::json& state);
using json_fields::IntAt;
using json_fields::StringAt;

// The delay before the next try after `failures` failures in a row: `min_ms`,
// doubling, at most `max_ms`.
int64_t DoublingDelayMs(int64_t failures, int64_t min_ms, int64_t max_ms);

// A short, printable excerpt of text Google sent (an error description), for status and
// logs: untrusted, so bounded and stripped of control characters.
std::string Excerpt(std::string_view text, std::size_t max_bytes = 200);

}  // namespace dirbridge::gworkspace
