#include "provision/event_feed.h"

#include "core/json_input.h"
#include "core/json_text.h"
#include "effects/outbox.h"
#include "model/json_fields.h"
#include "provision/event_log.h"
#include "store/counter.h"
#include "store/key_layout.h"

namespace dirbridge::feed {
namespace {

using nlohmann::json;

using json_fields::IntAt;
using json_fields::StringAt;
using json_fields::UintAt;

FeedState FeedStateFromJson(const json& j) {
  FeedState s;
  s.url = StringAt(j, "url");
  s.cursor = UintAt(j, "cursor");
  s.run = UintAt(j, "run");
  auto busy = j.find("busy");
  s.busy = busy != j.end() && busy->is_boolean() && busy->get<bool>();
  s.touched_ms = IntAt(j, "touched");
  s.delivered = UintAt(j, "delivered");
  s.batches = UintAt(j, "batches");
  s.failures = UintAt(j, "failures");
  if (auto f = j.find("inFlight"); f != j.end() && f->is_object()) {
    s.in_flight_first = UintAt(*f, "first");
    s.in_flight_last = UintAt(*f, "last");
  }
  s.last_status = static_cast<int>(IntAt(j, "lastStatus"));
  s.last_error = StringAt(j, "lastError");
  s.last_delivered_at = StringAt(j, "lastDeliveredAt");
  s.configured = StringAt(j, "configured");
  return s;
}

}  // namespace

json FeedStateToJson(const FeedState& s) {
  json j = {{"url", s.url},           {"cursor", s.cursor},   {"run", s.run},
            {"busy", s.busy},         {"touched", s.touched_ms}, {"delivered", s.delivered},
            {"batches", s.batches},   {"failures", s.failures}, {"configured", s.configured}};
  if (s.in_flight_first != 0) j["inFlight"] = {{"first", s.in_flight_first}, {"last", s.in_flight_last}};
  if (s.last_status != 0) j["lastStatus"] = s.last_status;
  if (!s.last_error.empty()) j["lastError"] = s.last_error;
  if (!s.last_delivered_at.empty()) j["lastDeliveredAt"] = s.last_delivered_at;
  return j;
}

Result<std::optional<FeedState>> LoadFeedState(Transaction& txn, std::string_view tenant) {
  DB_ASSIGN_OR_RETURN(auto raw, txn.GetCached(keys::FeedState(tenant)));
  if (!raw) return std::optional<FeedState>();
  DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(*raw));
  if (!doc.is_object()) return Corrupt("the event feed's state is not a JSON object");
  return std::optional<FeedState>(FeedStateFromJson(doc));
}

void PutFeedState(Transaction& txn, std::string_view tenant, const FeedState& s) {
  txn.Put(keys::FeedState(tenant), JsonText(FeedStateToJson(s)));
}

void DeleteFeedState(Transaction& txn, std::string_view tenant) { txn.Delete(keys::FeedState(tenant)); }

Result<uint64_t> LastSequence(KvStore& store, std::string_view tenant) {
  return ReadCounter(store, keys::EventSequence(tenant));
}

Status Arm(Transaction& txn, Env& env, std::string_view tenant, FeedState& s, int64_t at_ms) {
  effects::Outbox outbox(txn, env, std::string(tenant), kModule);
  DB_ASSIGN_OR_RETURN(auto id, outbox.WakeAt(at_ms, kSendContinuation, json{{"run", s.run + 1}}));
  (void)id;
  s.run += 1;
  s.busy = true;
  s.touched_ms = env.NowMillis();
  PutFeedState(txn, tenant, s);
  return Status::Ok();
}

Status WakeOnAppend(Transaction& txn, Env& env, std::string_view tenant) {
  auto loaded = LoadFeedState(txn, tenant);
  // A feed record that does not read must not refuse the directory's change: the
  // admin sees it (GET .../events/delivery answers the error) and configures anew.
  if (!loaded.ok()) return loaded.error().kind == ErrorKind::kCorrupt ? Status::Ok() : Status(loaded.error());
  if (!*loaded) return Status::Ok();
  FeedState s = std::move(**loaded);
  const int64_t now = env.NowMillis();
  if (s.busy && now - s.touched_ms < kStaleBusyMs) return Status::Ok();
  Status armed = Arm(txn, env, tenant, s, now);
  if (!armed.ok() && armed.error().kind == ErrorKind::kUnavailable) return Status::Ok();  // outbox full
  return armed;
}

Result<std::optional<Batch>> NextBatch(KvStore& store, std::string_view tenant, uint64_t cursor) {
  DB_ASSIGN_OR_RETURN(auto events, ReadEvents(store, tenant, cursor, kMaxBatchEvents));
  if (events.empty()) return std::optional<Batch>();
  std::string body = "{\"tenant\":" + JsonText(json(tenant)) + ",\"events\":[";
  Batch b;
  for (const auto& e : events) {
    const std::string text = JsonText(e);
    if (b.count > 0 && body.size() + text.size() + 3 > kMaxBatchBodyBytes) break;
    if (b.count > 0) body.push_back(',');
    body += text;
    const uint64_t seq = UintAt(e, "sequence");
    if (b.count == 0) b.first = seq;
    b.last = seq;
    ++b.count;
  }
  body += "]}";
  b.body = std::move(body);
  return std::optional<Batch>(std::move(b));
}

}  // namespace dirbridge::feed
