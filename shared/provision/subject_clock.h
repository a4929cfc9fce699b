// When the newest change applied to a subject happened, so that an event delivered
// late never undoes a newer one (hooks are at-least-once and unordered). A subject is
// named by the adapter in the engine's terms: "user:" + the lowercased userName (the
// index two sources describing one person meet in), "group:" + the lowercased
// displayName, "member:" + group + "\n" + user. One key per subject
// (t/{t}/clock/{subject}); a deletion keeps its subject's clock, as a tombstone, so an
// older creation cannot bring the subject back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/kv_store.h"

namespace dirbridge {

// The time (ms since the epoch) of the newest change applied to `subject`, if any.
Result<std::optional<int64_t>> SubjectClock(KvStore& store, std::string_view tenant, std::string_view subject);

// Records that a change that happened at `at_ms` (event `event_id`) was applied.
// Never moves a clock backwards.
Status AdvanceSubjectClock(KvStore& store, std::string_view tenant, std::string_view subject, int64_t at_ms,
                           std::string_view event_id);

}  // namespace dirbridge
