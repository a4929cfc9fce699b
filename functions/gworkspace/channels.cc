#include "channels.h"

#include <algorithm>

#include "core/json_input.h"
#include "core/json_text.h"
#include "core/timestamp.h"
#include "crypto/base64.h"
#include "crypto/sha256.h"
#include "google_calls.h"
#include "gworkspace_function.h"
#include "normalize/google_workspace.h"
#include "provision/resource_ids.h"
#include "tenancy/bearer_token.h"

namespace dirbridge::gworkspace {
namespace {

using nlohmann::json;

// The secret part of a channel token: 24 random bytes, base64url.
std::string RandomTokenSecret(Env& env) {
  std::string raw(24, '\0');
  env.RandomBytes(reinterpret_cast<uint8_t*>(raw.data()), raw.size());
  return crypto::Base64UrlEncode(raw);
}

bool IsUsersStream(const std::string& stream) {
  return std::any_of(std::begin(google::kUserEvents), std::end(google::kUserEvents),
                     [&](const char* e) { return stream == e; });
}

std::string StopUrl(const GoogleSession& s, const std::string& stream) {
  return IsUsersStream(stream) ? google::DirectoryChannelsStopUrl(s.api_base)
                               : google::ReportsChannelsStopUrl(s.api_base);
}

Status StopChannel(GoogleSession& s, json channel) {
  const std::string id = StringAt(channel, "id");
  channel["state"] = "stopping";
  s.state.Write("channel", id, channel);
  GoogleCall call;
  call.method = "POST";
  call.url = StopUrl(s, StringAt(channel, "stream"));
  call.body = JsonText(json{{"id", id}, {"resourceId", StringAt(channel, "resourceId")}});
  call.then = kThenChannelStopped;
  call.data = json{{"channel", id}};
  return EmitCall(s, call);
}

Status ScheduleReopen(GoogleSession& s, const std::string& stream, const std::string& replaces, const std::string& why) {
  const int64_t now = s.env.NowMillis();
  int64_t failures = 0;
  DB_RETURN_IF_ERROR(s.state.UpdateStatus("channels", [&](json& channels) {
    json& entry = channels[stream];
    if (!entry.is_object()) entry = json::object();
    failures = IntAt(entry, "failures") + 1;
    entry["failures"] = failures;
    entry["lastError"] = why;
    entry["lastErrorAt"] = FormatRfc3339Millis(now);
  }));
  const int64_t delay = DoublingDelayMs(failures, kReopenMinMs, kReopenMaxMs);
  s.env.Log(LogLevel::kWarn, "google connection " + s.connection.id + ": channel " + stream + ": " + why);
  DB_ASSIGN_OR_RETURN(auto id, s.outbox.WakeAt(now + delay, kReopenContinuation,
                                               json{{"connection", s.connection.id},
                                                    {"stream", stream},
                                                    {"replaces", replaces},
                                                    {"generation", s.generation()}}));
  (void)id;
  return Status::Ok();
}

}  // namespace

int64_t RenewAt(int64_t opened_ms, int64_t expires_ms) {
  return remote::RenewAtMs(opened_ms, expires_ms, kMaxRenewMarginMs);
}

Status OpenChannel(GoogleSession& s, const std::string& stream, const std::string& replaces) {
  DB_ASSIGN_OR_RETURN(auto key, TokenKey(s.env));
  const std::string id = NewResourceId(s.env);
  const std::string token = FormatChannelToken(key, BearerToken{s.tenant(), s.connection.id, RandomTokenSecret(s.env)});
  const int64_t now = s.env.NowMillis();
  s.state.Write("channel", id,
                json{{"id", id},
                     {"stream", stream},
                     {"state", "opening"},
                     {"tokenSha256", crypto::Sha256Hex(token)},
                     {"opened", now},
                     {"replaces", replaces},
                     {"generation", s.generation()}});
  GoogleCall call;
  call.method = "POST";
  call.url = IsUsersStream(stream) ? google::UsersWatchUrl(s.api_base, s.customer(), stream)
                                   : google::ActivitiesWatchUrl(s.api_base);
  call.body = JsonText(google::WatchRequestBody(id, s.push_address(), token));
  call.then = kThenWatchOpened;
  call.data = json{{"channel", id}};
  return EmitCall(s, call);
}

Status OpenAllChannels(GoogleSession& s) {
  std::vector<std::string> streams(std::begin(google::kUserEvents), std::end(google::kUserEvents));
  streams.push_back(google::kActivitiesChannel);
  for (const auto& stream : streams) {
    DB_ASSIGN_OR_RETURN(auto current, s.state.Read("current", stream));
    DB_RETURN_IF_ERROR(OpenChannel(s, stream, current ? StringAt(*current, "id") : std::string()));
  }
  return Status::Ok();
}

Status HandleWatchOpened(GoogleSession& s, const json& data, const effects::Outcome& outcome) {
  const std::string id = StringAt(data, "channel");
  DB_ASSIGN_OR_RETURN(auto record, s.state.Read("channel", id));
  if (!record) return Status::Ok();  // forgotten meanwhile (settings replaced)
  json channel = std::move(*record);
  const std::string stream = StringAt(channel, "stream"), replaces = StringAt(channel, "replaces");
  auto body = ParseResponseJson(outcome.body);
  std::string resource_id, answered_id;
  int64_t expires = 0;
  if (outcome.status >= 200 && outcome.status <= 299 && body.ok() && body->is_object()) {
    resource_id = StringAt(*body, "resourceId");
    answered_id = StringAt(*body, "id");
    // "expiration": epoch milliseconds, as a string (the Channel resource).
    const std::string expiration = StringAt(*body, "expiration");
    expires = expiration.empty() ? 0 : std::strtoll(expiration.c_str(), nullptr, 10);
  }
  const int64_t now = s.env.NowMillis();
  if (resource_id.empty() || resource_id.size() > 256 || answered_id != id || expires <= now) {
    s.state.Remove("channel", id);
    std::string why = "opening a channel was answered " + std::to_string(outcome.status);
    if (outcome.status >= 200 && outcome.status <= 299) why += " without a usable resourceId, id or expiration";
    return ScheduleReopen(s, stream, replaces, why);
  }
  channel["state"] = "active";
  channel["resourceId"] = resource_id;
  channel["expires"] = expires;
  s.state.Write("channel", id, channel);
  s.state.Write("current", stream, json{{"id", id}});
  DB_RETURN_IF_ERROR(s.state.UpdateStatus("channels", [&](json& channels) {
    channels[stream] = json{{"id", id},
                            {"expires", FormatRfc3339Millis(expires)},
                            {"opened", FormatRfc3339Millis(now)},
                            {"failures", 0}};
  }));
  const int64_t opened = IntAt(channel, "opened");
  DB_ASSIGN_OR_RETURN(auto timer, s.outbox.WakeAt(RenewAt(opened, expires), kRenewContinuation,
                                                  json{{"connection", s.connection.id}, {"channel", id}}));
  (void)timer;
  if (!replaces.empty()) {
    DB_ASSIGN_OR_RETURN(auto old, s.state.Read("channel", replaces));
    if (old && StringAt(*old, "state") == "active") return StopChannel(s, std::move(*old));
  }
  return Status::Ok();
}

Status HandleChannelStopped(GoogleSession& s, const json& data, const effects::Outcome& outcome) {
  const std::string id = StringAt(data, "channel");
  // 2xx stopped; 404: Google no longer knows it (expired). Either way it is gone.
  if ((outcome.status >= 200 && outcome.status <= 299) || outcome.status == 404) {
    s.state.Remove("channel", id);
    return Status::Ok();
  }
  s.env.Log(LogLevel::kWarn, "google connection " + s.connection.id + ": stopping channel " + id + " was answered " +
                                 std::to_string(outcome.status) + "; it expires on its own");
  return Status::Ok();
}

Status ResumeRenew(const effects::ContinuationCall& call, GoogleSession& s) {
  const std::string id = StringAt(call.state, "channel");
  DB_ASSIGN_OR_RETURN(auto channel, s.state.Read("channel", id));
  if (!channel || StringAt(*channel, "state") != "active") return Status::Ok();
  const std::string stream = StringAt(*channel, "stream");
  DB_ASSIGN_OR_RETURN(auto current, s.state.Read("current", stream));
  if (!current || StringAt(*current, "id") != id) return Status::Ok();  // already replaced
  return OpenChannel(s, stream, id);
}

Status ResumeReopen(const effects::ContinuationCall& call, GoogleSession& s) {
  if (StringAt(call.state, "generation") != s.generation()) return Status::Ok();  // settings replaced since
  return OpenChannel(s, StringAt(call.state, "stream"), StringAt(call.state, "replaces"));
}

}  // namespace dirbridge::gworkspace
