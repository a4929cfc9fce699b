#include "provision/audit_query.h"

#include <algorithm>

#include "core/timestamp.h"
#include "provision/event_log.h"

namespace dirbridge {
namespace {

std::string StringAt(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const nlohmann::json& ObjectAt(const nlohmann::json& j, const char* key) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : kEmpty;
}

std::optional<int64_t> EventMillis(const nlohmann::json& event) {
  return ParseRfc3339Millis(StringAt(event, "at"));
}

}  // namespace

bool AuditMatches(const AuditFilter& f, const nlohmann::json& event) {
  const auto& data = ObjectAt(event, "data");
  const auto& source = ObjectAt(event, "source");
  if (!f.user.empty() && StringAt(event, "user") != f.user && StringAt(data, "userName") != f.user) return false;
  if (!f.group.empty() && StringAt(event, "group") != f.group) return false;
  if (!f.type.empty() && StringAt(event, "type") != f.type) return false;
  if (!f.actor.empty() && StringAt(source, "connection") != f.actor && StringAt(source, "kind") != f.actor &&
      StringAt(data, "by") != f.actor && StringAt(data, "restoredBy") != f.actor) {
    return false;
  }
  if (f.since_ms || f.until_ms) {
    auto at = EventMillis(event);
    if (!at) return false;
    if (f.since_ms && *at < *f.since_ms) return false;
    if (f.until_ms && *at >= *f.until_ms) return false;
  }
  return true;
}

Result<AuditPage> QueryAudit(KvStore& store, std::string_view tenant, const AuditFilter& filter, uint64_t after,
                             std::size_t limit) {
  limit = std::min(limit, kMaxAuditLimit);
  AuditPage page;
  uint64_t cursor = after;
  constexpr std::size_t kChunk = 500;
  while (page.entries.size() < limit && page.scanned < kMaxAuditScanned) {
    const std::size_t want = std::min(kChunk, kMaxAuditScanned - page.scanned);
    DB_ASSIGN_OR_RETURN(auto events, ReadEvents(store, tenant, cursor, want));
    for (auto& e : events) {
      ++page.scanned;
      auto seq = e.find("sequence");
      if (seq != e.end() && seq->is_number_unsigned()) cursor = seq->get<uint64_t>();
      if (filter.until_ms) {
        auto at = EventMillis(e);
        if (at && *at >= *filter.until_ms) return page;  // the log is in time order: done
      }
      if (AuditMatches(filter, e)) {
        page.entries.push_back(std::move(e));
        if (page.entries.size() == limit) break;
      }
    }
    if (page.entries.size() == limit) break;  // full: continue after the last one returned
    if (events.size() < want) return page;    // the end of the log
  }
  page.next = cursor;
  return page;
}

}  // namespace dirbridge
