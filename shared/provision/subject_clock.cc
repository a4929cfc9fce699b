#include "provision/subject_clock.h"
#include "core/json_text.h"

#include "core/json_input.h"
#include "store/key_layout.h"
#include "store/transaction.h"

namespace dirbridge {

Result<std::optional<int64_t>> SubjectClock(KvStore& store, std::string_view tenant, std::string_view subject) {
  DB_ASSIGN_OR_RETURN(auto raw, store.Get(keys::SubjectClock(tenant, subject)));
  if (!raw) return std::optional<int64_t>();
  DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(*raw));
  auto it = doc.find("at");
  if (it == doc.end() || !it->is_number_integer()) return Corrupt("a subject clock has no time");
  return std::optional<int64_t>(it->get<int64_t>());
}

Status AdvanceSubjectClock(KvStore& store, std::string_view tenant, std::string_view subject, int64_t at_ms,
                           std::string_view event_id) {
  DB_ASSIGN_OR_RETURN(auto current, SubjectClock(store, tenant, subject));
  if (current && *current > at_ms) return Status::Ok();
  Transaction txn(store);
  nlohmann::json record = {{"at", at_ms}, {"event", event_id}};
  txn.Put(keys::SubjectClock(tenant, subject), JsonText(record));
  return txn.Commit();
}

}  // namespace dirbridge
