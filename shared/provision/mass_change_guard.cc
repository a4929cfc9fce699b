#include "provision/mass_change_guard.h"

#include <algorithm>

#include "core/json_input.h"
#include "core/timestamp.h"
#include "model/json_fields.h"
#include "provision/event_log.h"
#include "store/counter.h"
#include "store/key_layout.h"

namespace dirbridge {
namespace {

Result<PendingRemoval> PendingFromJson(const nlohmann::json& doc) {
  PendingRemoval p;
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "user", "", &p.user_id));
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "userName", "", &p.user_name));
  std::string kind;
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "action", "", &kind));
  p.kind = kind == "delete" ? RemovalKind::kDelete : RemovalKind::kSuspend;
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "at", "", &p.at));
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "request", "", &p.request));
  if (auto s = doc.find("source"); s != doc.end() && s->is_object()) p.source = *s;
  if (auto t = doc.find("threshold"); t != doc.end() && t->is_number_unsigned()) p.threshold = t->get<uint64_t>();
  if (const auto* policy = json_fields::Find(doc, "policy")) {
    auto read = DeprovisioningPolicyFromJson(*policy);
    if (!read.ok()) return Corrupt("a pending removal's policy does not read: " + read.error().detail);
    p.policy = *read;
  }
  return p;
}

}  // namespace

nlohmann::json GuardSettingsToJson(const GuardSettings& s) {
  return {{"enabled", s.enabled}, {"percent", s.percent}, {"users", s.users}, {"windowSeconds", s.window_seconds}};
}

Result<GuardSettings> GuardSettingsFromJson(const nlohmann::json& j, GuardSettings s) {
  if (!j.is_object()) return InvalidInput("the guardrail settings must be a JSON object");
  // An integer in [lo, hi], whether JSON gave it as signed or unsigned.
  auto in_range = [](const nlohmann::json& v, int64_t lo, int64_t hi) {
    return v.is_number_integer() && v.get<int64_t>() >= lo && v.get<int64_t>() <= hi &&
           !(v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(hi));
  };
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& k = it.key();
    const auto& v = it.value();
    if (k == "enabled") {
      if (!v.is_boolean()) return InvalidInput("'enabled' must be true or false");
      s.enabled = v.get<bool>();
    } else if (k == "percent") {
      if (!in_range(v, 1, 100)) {
        return InvalidInput("'percent' must be an integer from 1 to 100");
      }
      s.percent = v.get<uint32_t>();
    } else if (k == "users") {
      if (!in_range(v, 1, kMaxGuardUsers)) {
        return InvalidInput("'users' must be an integer from 1 to " + std::to_string(kMaxGuardUsers));
      }
      s.users = v.get<uint32_t>();
    } else if (k == "windowSeconds") {
      if (!in_range(v, 60, kMaxGuardWindowSeconds)) {
        return InvalidInput("'windowSeconds' must be an integer from 60 to " + std::to_string(kMaxGuardWindowSeconds));
      }
      s.window_seconds = v.get<int64_t>();
    } else {
      return InvalidInput("the guardrail settings take only 'enabled', 'percent', 'users' and 'windowSeconds'");
    }
  }
  return s;
}

Result<GuardSettings> LoadGuardSettings(Transaction& txn, std::string_view tenant) {
  DB_ASSIGN_OR_RETURN(auto raw, txn.Get(keys::GuardSettings(tenant)));
  if (!raw) return GuardSettings{};
  DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(*raw));
  auto s = GuardSettingsFromJson(doc, GuardSettings{});
  if (!s.ok()) return Corrupt("the stored guardrail settings do not read: " + s.error().detail);
  return s;
}

void PutGuardSettings(Transaction& txn, std::string_view tenant, const GuardSettings& s) {
  txn.Put(keys::GuardSettings(tenant), GuardSettingsToJson(s).dump());
}

uint64_t GuardThreshold(const GuardSettings& s, uint64_t user_count) {
  const uint64_t share = (user_count * s.percent + 99) / 100;
  return std::max<uint64_t>(s.users, share);
}

const char* RemovalKindName(RemovalKind kind) { return kind == RemovalKind::kDelete ? "delete" : "suspend"; }

nlohmann::json PendingToJson(const PendingRemoval& p) {
  nlohmann::json j = {{"user", p.user_id},   {"userName", p.user_name}, {"action", RemovalKindName(p.kind)},
                      {"source", p.source},  {"at", p.at},              {"threshold", p.threshold}};
  if (!p.request.empty()) j["request"] = p.request;
  j["policy"] = DeprovisioningPolicyToJson(p.policy);
  return j;
}

Result<std::optional<PendingRemoval>> LoadPending(Transaction& txn, std::string_view tenant,
                                                  std::string_view user_id) {
  DB_ASSIGN_OR_RETURN(auto raw, txn.Get(keys::PendingRemoval(tenant, user_id)));
  if (!raw) return std::optional<PendingRemoval>();
  DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(*raw));
  DB_ASSIGN_OR_RETURN(auto p, PendingFromJson(doc));
  return std::optional<PendingRemoval>(std::move(p));
}

Result<bool> AdmitOrHoldRemoval(Transaction& txn, std::string_view tenant, std::string_view user_id,
                                std::string_view user_name, RemovalKind kind, const ChangeSource& source, Env& env) {
  if (source.via == ChangeChannel::kAdmin || source.connection_id.empty()) return true;
  DB_ASSIGN_OR_RETURN(auto settings, LoadGuardSettings(txn, tenant));
  if (!settings.enabled) return true;
  const int64_t now = env.NowMillis();
  const std::string key = keys::GuardWindow(tenant, source.connection_id);
  DB_ASSIGN_OR_RETURN(auto raw, txn.Get(key));
  int64_t start = now;
  uint64_t count = 0;
  if (raw) {
    DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(*raw));
    auto s = doc.find("start");
    auto c = doc.find("count");
    if (s != doc.end() && s->is_number_integer() && c != doc.end() && c->is_number_unsigned() &&
        now - s->get<int64_t>() < settings.window_seconds * 1000) {
      start = s->get<int64_t>();
      count = c->get<uint64_t>();
    }
  }
  DB_ASSIGN_OR_RETURN(auto users, ReadCounter(txn, keys::UserCount(tenant)));
  const uint64_t threshold = GuardThreshold(settings, users);
  if (count + 1 <= threshold) {
    txn.Put(key, nlohmann::json{{"start", start}, {"count", count + 1}}.dump());
    return true;
  }
  // Held: the pending record, and the event unless the same removal was already pending.
  DB_ASSIGN_OR_RETURN(auto earlier, LoadPending(txn, tenant, user_id));
  PendingRemoval pending;
  pending.user_id = std::string(user_id);
  pending.user_name = std::string(user_name);
  pending.kind = kind;
  pending.source = ChangeSourceToJson(source);
  pending.policy = source.deprovisioning;
  pending.at = FormatRfc3339Millis(now);
  pending.request = std::string(env.RequestId());
  pending.threshold = threshold;
  txn.Put(keys::PendingRemoval(tenant, user_id), PendingToJson(pending).dump());
  if (earlier && earlier->kind == kind) return false;  // already told
  auto event = NewEvent(EventType::kChangeHeld, source, env);
  event.user_id = pending.user_id;
  event.data = {{"userName", pending.user_name},
                {"action", RemovalKindName(kind)},
                {"threshold", threshold},
                {"windowSeconds", settings.window_seconds}};
  DB_RETURN_IF_ERROR(EventLog(txn, env, tenant).Append(event));
  return false;
}

void DeletePending(Transaction& txn, std::string_view tenant, std::string_view user_id) {
  txn.Delete(keys::PendingRemoval(tenant, user_id));
}

Result<std::vector<PendingRemoval>> ListPending(KvStore& store, std::string_view tenant, std::string_view after,
                                                std::size_t limit) {
  const std::string start_after = after.empty() ? std::string() : keys::PendingRemoval(tenant, after);
  DB_ASSIGN_OR_RETURN(auto entries,
                      store.List(keys::PendingRemovalPrefix(tenant), start_after, std::min(limit, kMaxPendingPerPage)));
  std::vector<PendingRemoval> out;
  for (const auto& e : entries) {
    DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(e.value));
    DB_ASSIGN_OR_RETURN(auto p, PendingFromJson(doc));
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace dirbridge
