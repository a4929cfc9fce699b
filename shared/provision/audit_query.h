// The audit trail is the tenant's event log (provision/event_log.h): every change, one
// event, with its actor (source: the connection, or the admin and the name they gave),
// the request id, the time and, for updates, the attributes that changed
// (provision/attribute_changes.h). No secret is ever part of an event. This is the
// query over it: filters on user, group, actor, type and time, in log order, resumable.
//
// Bounded: one query reads at most kMaxAuditScanned events, whatever it finds; when it
// stops before the end of the log it answers `next`, the sequence to continue after
// (also when nothing matched yet). The log is in time order, so an event after `until`
// ends the query early; `after` starts it later.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "store/kv_store.h"

namespace dirbridge {

inline constexpr std::size_t kMaxAuditScanned = 2500;
inline constexpr std::size_t kMaxAuditLimit = 1000;

struct AuditFilter {
  std::string user;   // a user id, or a userName (the event's data.userName)
  std::string group;  // a group id
  std::string actor;  // a connection id, a source kind ("okta", "admin"), or the admin's "by"
  std::string type;   // an event type name ("user.offboarded")
  std::optional<int64_t> since_ms, until_ms;  // at >= since, at < until
};

// Whether an event (EventToJson's shape) passes the filter.
bool AuditMatches(const AuditFilter& filter, const nlohmann::json& event);

struct AuditPage {
  std::vector<nlohmann::json> entries;
  std::size_t scanned = 0;
  std::optional<uint64_t> next;  // continue after this sequence; nullopt: the query is complete
};

// Up to `limit` (<= kMaxAuditLimit) matching events with sequence > `after`.
Result<AuditPage> QueryAudit(KvStore& store, std::string_view tenant, const AuditFilter& filter, uint64_t after,
                             std::size_t limit);

}  // namespace dirbridge
