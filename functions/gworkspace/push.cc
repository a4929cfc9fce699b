#include "push.h"

#include <algorithm>
#include <charconv>

#include "changes.h"
#include "core/api_error.h"
#include "core/api_response.h"
#include "core/json_input.h"
#include "crypto/constant_time.h"
#include "crypto/sha256.h"
#include "google_calls.h"
#include "google_session.h"
#include "normalize/google_workspace.h"

namespace dirbridge::gworkspace {
namespace {

using nlohmann::json;

std::optional<uint64_t> MessageNumber(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  uint64_t n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return n;
}

// Whether message `n` is new on `channel`; records it when it is.
bool TakeMessage(json& channel, uint64_t n) {
  json& recent = channel["recent"];
  if (!recent.is_array()) recent = json::array();
  for (const auto& m : recent) {
    if (m.is_number_unsigned() && m.get<uint64_t>() == n) return false;
  }
  if (recent.size() >= kRecentMessages) {
    uint64_t oldest = UINT64_MAX;
    std::size_t at = 0;
    for (std::size_t i = 0; i < recent.size(); ++i) {
      const uint64_t m = recent[i].is_number_unsigned() ? recent[i].get<uint64_t>() : 0;
      if (m < oldest) oldest = m, at = i;
    }
    if (n < oldest) return false;  // older than every number remembered: stale
    recent.erase(recent.begin() + static_cast<std::ptrdiff_t>(at));
  }
  recent.push_back(n);
  return true;
}

Status CountNotification(GoogleSession& s, const std::string& stream, const char* what) {
  return s.state.UpdateStatus("notifications", [&](json& n) {
    n[what] = IntAt(n, what) + 1;
    if (std::string_view(what) == "accepted") {
      json& by = n["byStream"];
      if (!by.is_object()) by = json::object();
      by[stream] = IntAt(by, stream.c_str()) + 1;
    }
  });
}

Status OnUsersNotification(GoogleSession& s, const HttpRequest& request) {
  auto body = ParseJson(request.body);
  if (!body.ok() || !body->is_object()) return InvalidInput("a users notification's body is not a JSON object");
  std::string key = StringAt(*body, "id");
  if (key.empty()) key = StringAt(*body, "primaryEmail");
  if (key.empty() || key.size() > 512) return InvalidInput("a users notification names no user ('id' or 'primaryEmail')");
  return FetchUser(s, key);
}

Status OnActivityNotification(GoogleSession& s, const HttpRequest& request) {
  auto body = ParseJson(request.body);
  if (!body.ok()) return InvalidInput("an activity notification's body is not JSON");
  DB_ASSIGN_OR_RETURN(auto activity, google::ReadActivity(*body));
  for (std::size_t i = 0; i < activity.steps.size(); ++i) {
    const auto& step = activity.steps[i];
    if (step.kind == google::ActivityStep::Kind::kUserChanged) {
      DB_RETURN_IF_ERROR(FetchUser(s, step.user_email));
      continue;
    }
    // A membership may put its user in or out of the scope group (through a nested
    // group too): the user is checked again.
    const bool membership = step.kind == google::ActivityStep::Kind::kMemberAdded ||
                            step.kind == google::ActivityStep::Kind::kMemberRemoved;
    if (membership && !s.scope_group().empty()) DB_RETURN_IF_ERROR(FetchUser(s, step.user_email));
    GoogleCall call;
    call.url = google::GroupGetUrl(s.api_base, step.group_email);
    call.then = kThenGroupFetched;
    call.data = StepToJson(step, activity.uuid + "#" + std::to_string(i), activity.published_ms);
    DB_RETURN_IF_ERROR(EmitCall(s, call));
  }
  return Status::Ok();
}

}  // namespace

HttpResponse HandlePush(const HttpRequest& request, KvStore& store, Env& env) {
  const std::string& connection_id = request.route[1];
  const std::string channel_id = request.Header("x-goog-channel-id");
  const std::string resource_id = request.Header("x-goog-resource-id");
  const std::string resource_state = request.Header("x-goog-resource-state");
  const auto number = MessageNumber(request.Header("x-goog-message-number"));
  if (channel_id.empty() || channel_id.size() > 64 || resource_id.empty() || resource_id.size() > 256 ||
      resource_state.empty() || resource_state.size() > 64 || !number) {
    return ApiErrorResponse(InvalidInput(
        "a push notification needs X-Goog-Channel-ID, X-Goog-Resource-ID, X-Goog-Resource-State and a numeric "
        "X-Goog-Message-Number"));
  }
  Transaction txn(store);
  effects::Outbox outbox(txn, env, request.tenant, google::kModule);
  auto session = OpenSession(txn, outbox, env, request.tenant, connection_id);
  if (!session.ok()) return ApiErrorResponse(session.error());
  if (!*session) return ApiErrorResponse(NotFound("no google connection '" + connection_id + "' is set up"));
  GoogleSession& s = **session;
  auto record = s.state.Read("channel", channel_id);
  if (!record.ok()) return ApiErrorResponse(record.error());
  if (!*record) return ApiErrorResponse(NotFound("no such channel: it is unknown or was stopped"));
  json channel = std::move(**record);
  const bool token_holds = crypto::ConstantTimeEquals(crypto::Sha256Hex(request.Header("x-goog-channel-token")),
                                                      StringAt(channel, "tokenSha256"));
  // A channel whose watch answer is not in yet (its first notification can overtake
  // it) has no resource id to compare: its token, one per channel, is enough.
  const std::string expected_resource = StringAt(channel, "resourceId");
  const bool resource_holds = expected_resource.empty() || crypto::ConstantTimeEquals(resource_id, expected_resource);
  if (!token_holds || !resource_holds) {
    return ApiErrorResponse(Unauthorized(!token_holds ? "X-Goog-Channel-Token is not this channel's token"
                                                      : "X-Goog-Resource-ID is not this channel's resource"));
  }
  const std::string stream = StringAt(channel, "stream");
  json answer = {{"channel", channel_id}, {"messageNumber", *number}};
  Status done = Status::Ok();
  if (!TakeMessage(channel, *number)) {
    answer["duplicate"] = true;
    done = CountNotification(s, stream, "duplicates");
  } else {
    s.state.Write("channel", channel_id, channel);
    if (resource_state == "sync") {
      answer["sync"] = true;
      done = CountNotification(s, stream, "syncs");
    } else {
      done = stream == google::kActivitiesChannel ? OnActivityNotification(s, request)
                                                  : OnUsersNotification(s, request);
      if (done.ok()) done = CountNotification(s, stream, "accepted");
    }
  }
  if (done.ok()) done = txn.Commit();
  if (!done.ok()) return ApiErrorResponse(done.error());
  return ApiJsonResponse(200, answer);
}

}  // namespace dirbridge::gworkspace
