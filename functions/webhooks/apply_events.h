// Applies canonical lifecycle events (canonical_events.h) to the tenant's directory
// through shared/provision's Directory commands only, in order of occurredAt, each
// guarded by its subject's clock (provision/subject_clock.h) so that an older event
// never undoes a newer one. Users are found by userName (the index two sources
// describing one person meet in), groups by displayName.
//
// Per event: applied, unchanged (already so), stale (older than the newest change
// applied to its subject), skipped (its user or group does not exist; a deletion of
// an absent subject still records its time, so an older creation cannot bring it
// back), ignored (unknown type), or rejected (the engine refused it: a uniqueness
// clash, a limit). A host or store failure is an error: the whole call fails (5xx)
// and the host undoes it.
#pragma once

#include <string>
#include <vector>

#include "canonical_events.h"
#include "core/env.h"
#include "core/result.h"
#include "provision/directory.h"
#include "tenancy/hook_deliveries.h"

namespace dirbridge::webhooks {

enum class Outcome { kApplied, kUnchanged, kStale, kSkipped, kIgnored, kRejected };
const char* OutcomeName(Outcome outcome);

struct EventResult {
  std::string id;
  std::string type;
  Outcome outcome = Outcome::kIgnored;
  std::string detail;
};

Result<std::vector<EventResult>> ApplyEvents(Directory& directory, KvStore& store, const std::string& tenant,
                                             std::vector<CanonicalEvent> events);

// The counters for these results (events, applied, ... ; deliveries left to the caller).
HookCounts CountResults(const std::vector<EventResult>& results);

}  // namespace dirbridge::webhooks
