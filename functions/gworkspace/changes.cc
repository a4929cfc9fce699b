#include "changes.h"

#include "core/ascii.h"
#include "core/json_input.h"
#include "core/timestamp.h"
#include "google_calls.h"

namespace dirbridge::gworkspace {
namespace {

using nlohmann::json;
using Kind = google::ActivityStep::Kind;

// What the scope check said, in a users.get call's data ("scope"; absent: no scope group).
constexpr const char* kScopeIn = "in";
constexpr const char* kScopeOut = "out";
constexpr const char* kScopeUnknown = "unknown";

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kMemberAdded: return "memberAdded";
    case Kind::kMemberRemoved: return "memberRemoved";
    case Kind::kGroupCreated: return "groupCreated";
    case Kind::kGroupDeleted: return "groupDeleted";
    case Kind::kGroupRenamed: return "groupRenamed";
    case Kind::kUserChanged: return "userChanged";
  }
  return "userChanged";
}

Status NoteFetchError(GoogleSession& s, const std::string& what, int status) {
  const std::string why = what + " was answered " + std::to_string(status);
  s.env.Log(LogLevel::kWarn, "google connection " + s.connection.id + ": " + why);
  return s.state.NoteError("fetches", why, s.env.NowMillis());
}

Status ApplyAndCount(GoogleSession& s, std::vector<SourceEvent> events) {
  DB_ASSIGN_OR_RETURN(const std::size_t applied, s.Apply(std::move(events), ChangeChannel::kPush));
  return s.state.UpdateStatus("fetches", [&](json& fetches) {
    fetches["applied"] = IntAt(fetches, "applied") + static_cast<int64_t>(applied);
    fetches["done"] = IntAt(fetches, "done") + 1;
    fetches["last"] = FormatRfc3339Millis(s.env.NowMillis());
  });
}

Status EmitUserGet(GoogleSession& s, const std::string& key, const char* scope) {
  GoogleCall call;
  call.url = google::UserGetUrl(s.api_base, key);
  call.then = kThenUserFetched;
  call.data = json{{"key", key}};
  if (scope != nullptr) call.data["scope"] = scope;
  return EmitCall(s, call);
}

}  // namespace

Status FetchUser(GoogleSession& s, const std::string& key) {
  const std::string group = s.scope_group();
  if (group.empty()) return EmitUserGet(s, key, nullptr);
  GoogleCall call;
  call.url = google::HasMemberUrl(s.api_base, group, key);
  call.then = kThenScopeChecked;
  call.data = json{{"key", key}};
  return EmitCall(s, call);
}

Status HandleScopeChecked(GoogleSession& s, const json& data, const effects::Outcome& outcome) {
  const std::string key = StringAt(data, "key");
  // 404: the user (deleted: users.get says so) or the scope group is not found.
  if (outcome.status == 404) return EmitUserGet(s, key, kScopeUnknown);
  if (outcome.status < 200 || outcome.status > 299) return NoteFetchError(s, "hasMember " + key, outcome.status);
  auto member = google::ReadIsMember(outcome.body);
  if (!member.ok()) return NoteFetchError(s, "hasMember " + key + " (" + member.error().detail + ")", outcome.status);
  return EmitUserGet(s, key, *member ? kScopeIn : kScopeOut);
}

json StepToJson(const google::ActivityStep& step, const std::string& uuid, int64_t published_ms) {
  return json{{"step", KindName(step.kind)},
              {"event", step.event_name},
              {"group", step.group_email},
              {"user", step.user_email},
              {"uuid", uuid},
              {"published", published_ms}};
}

Status HandleUserFetched(GoogleSession& s, const json& data, const effects::Outcome& outcome,
                         const std::string& effect_id) {
  const std::string key = StringAt(data, "key");
  const int64_t now = s.env.NowMillis();
  const std::string uuid = "users.get:" + effect_id;
  if (outcome.status == 404) {
    // Deleted in Google (or never there): suspended here, by id or email.
    SourceEvent e;
    e.uuid = uuid;
    e.published_ms = now;
    e.kind = SourceEventKind::kUserSuspended;
    e.source_type = "users.deleted";
    e.user.source_id = key;
    if (key.find('@') != std::string::npos) e.user.login = e.user.email = ToLowerAscii(key);
    return ApplyAndCount(s, {std::move(e)});
  }
  if (outcome.status < 200 || outcome.status > 299) return NoteFetchError(s, "users.get " + key, outcome.status);
  auto body = ParseResponseJson(outcome.body);
  if (!body.ok()) return NoteFetchError(s, "users.get " + key + " (not JSON)", outcome.status);
  auto claim = google::UserClaim(*body, now, uuid);
  if (!claim.ok()) return NoteFetchError(s, "users.get " + key + " (" + claim.error().detail + ")", outcome.status);
  const std::string scope = StringAt(data, "scope");
  if (scope == kScopeUnknown) {
    // The user is there but hasMember did not find it or the group: the scope group is
    // gone or renamed. Nobody is suspended for that; the status says so.
    return NoteFetchError(s, "hasMember " + key + " (the scope group '" + Excerpt(s.scope_group(), 128) +
                                 "' was not found)", 404);
  }
  if (scope == kScopeIn) s.state.Write("inscope", claim->user.source_id, json{{"at", now}});
  if (scope == kScopeOut) s.state.Remove("inscope", claim->user.source_id);
  if (!google::InOrgUnits(*body, s.org_units()) || scope == kScopeOut) {
    claim->kind = SourceEventKind::kUserSuspended;  // moved out of scope
    claim->with_profile = false;
    claim->source_type = "users.outOfScope";
  }
  return ApplyAndCount(s, {std::move(*claim)});
}

Status HandleGroupFetched(GoogleSession& s, const json& data, const effects::Outcome& outcome,
                          const std::string& effect_id) {
  (void)effect_id;
  const std::string step = StringAt(data, "step"), group_email = StringAt(data, "group");
  const std::string user_email = StringAt(data, "user"), uuid = StringAt(data, "uuid");
  const int64_t published = IntAt(data, "published");
  if (outcome.status == 404) {
    if (step != KindName(Kind::kGroupDeleted)) return Status::Ok();  // gone since: a later activity says so
    DB_ASSIGN_OR_RETURN(auto known, s.state.Read("gemail", group_email));
    if (!known) return Status::Ok();  // never seen here
    SourceEvent e;
    e.uuid = uuid;
    e.published_ms = published;
    e.kind = SourceEventKind::kGroupDeleted;
    e.source_type = "DELETE_GROUP";
    e.group.source_id = StringAt(*known, "id");
    e.group.external_id = e.group.source_id;
    s.state.Remove("gemail", group_email);
    s.state.Remove("gseen", e.group.source_id);
    return ApplyAndCount(s, {std::move(e)});
  }
  if (outcome.status < 200 || outcome.status > 299) return NoteFetchError(s, "groups.get " + group_email, outcome.status);
  auto body = ParseResponseJson(outcome.body);
  if (!body.ok()) return NoteFetchError(s, "groups.get " + group_email + " (not JSON)", outcome.status);
  auto group = google::GroupClaim(*body, published, uuid + ":group");
  if (!group.ok()) return NoteFetchError(s, "groups.get " + group_email + " (" + group.error().detail + ")", outcome.status);
  s.state.Write("gemail", group_email, json{{"id", group->group.source_id}});
  s.state.Write("gseen", group->group.source_id, json{{"id", group->group.source_id}, {"at", s.env.NowMillis()}});
  std::vector<SourceEvent> events;
  const SourceSubject subject = group->group;
  if (step == KindName(Kind::kGroupRenamed)) {
    DB_ASSIGN_OR_RETURN(auto renamed, s.RenameGroup(subject, ChangeChannel::kPush));
    (void)renamed;
  }
  if (step == KindName(Kind::kMemberRemoved)) {
    events.push_back(google::MembershipClaim(false, subject, user_email, published, uuid));
  } else {
    events.push_back(std::move(*group));
    if (step == KindName(Kind::kMemberAdded)) {
      events.push_back(google::MembershipClaim(true, subject, user_email, published, uuid));
    }
  }
  return ApplyAndCount(s, std::move(events));
}

}  // namespace dirbridge::gworkspace
