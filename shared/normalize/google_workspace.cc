#include "normalize/google_workspace.h"

#include <algorithm>

#include "core/ascii.h"
#include "core/http_message.h"
#include "core/json_input.h"
#include "core/timestamp.h"
#include "model/json_fields.h"

namespace dirbridge::google {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxNameBytes = 512;

bool BoolMember(const json& object, const char* name) {
  if (!object.is_object()) return false;
  auto it = object.find(name);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

// A value Google sends that we keep: bounded, else dropped.
std::string Bounded(std::string value) { return value.size() <= kMaxNameBytes ? value : std::string(); }

}  // namespace

// developers.google.com/admin-sdk/directory/reference/rest/v1/users/watch:
// POST https://admin.googleapis.com/admin/directory/v1/users/watch?customer=..&event=..
std::string UsersWatchUrl(std::string_view base, std::string_view customer, std::string_view event) {
  return std::string(base) + "/admin/directory/v1/users/watch?customer=" + PercentEncode(customer) +
         "&event=" + PercentEncode(event) + "&projection=basic";
}

// developers.google.com/admin-sdk/reports/reference/rest/v1/activities/watch:
// POST .../admin/reports/v1/activity/users/{userKey}/applications/{applicationName}/watch
std::string ActivitiesWatchUrl(std::string_view base) {
  return std::string(base) + "/admin/reports/v1/activity/users/all/applications/admin/watch";
}

// developers.google.com/admin-sdk/directory/reference/rest/v1/channels/stop:
// POST https://admin.googleapis.com/admin/directory_v1/channels/stop
std::string DirectoryChannelsStopUrl(std::string_view base) {
  return std::string(base) + "/admin/directory_v1/channels/stop";
}

// developers.google.com/admin-sdk/reports/reference/rest/v1/channels/stop:
// POST https://admin.googleapis.com/admin/reports_v1/channels/stop
std::string ReportsChannelsStopUrl(std::string_view base) {
  return std::string(base) + "/admin/reports_v1/channels/stop";
}

// .../directory/reference/rest/v1/users/get: GET .../admin/directory/v1/users/{userKey}
std::string UserGetUrl(std::string_view base, std::string_view user_key) {
  return std::string(base) + "/admin/directory/v1/users/" + PercentEncode(user_key) + "?projection=full";
}

// .../directory/reference/rest/v1/groups/get: GET .../admin/directory/v1/groups/{groupKey}
std::string GroupGetUrl(std::string_view base, std::string_view group_key) {
  return std::string(base) + "/admin/directory/v1/groups/" + PercentEncode(group_key);
}

// .../directory/reference/rest/v1/users/list: customer, maxResults (<= 500), pageToken.
std::string UsersListUrl(std::string_view base, std::string_view customer, std::string_view page_token) {
  std::string url = std::string(base) + "/admin/directory/v1/users?customer=" + PercentEncode(customer) +
                    "&maxResults=" + std::to_string(kUsersPageSize) + "&projection=full&orderBy=email";
  if (!page_token.empty()) url += "&pageToken=" + PercentEncode(page_token);
  return url;
}

// .../directory/reference/rest/v1/groups/list: customer, maxResults (<= 200), pageToken.
std::string GroupsListUrl(std::string_view base, std::string_view customer, std::string_view page_token) {
  std::string url = std::string(base) + "/admin/directory/v1/groups?customer=" + PercentEncode(customer) +
                    "&maxResults=" + std::to_string(kGroupsPageSize);
  if (!page_token.empty()) url += "&pageToken=" + PercentEncode(page_token);
  return url;
}

// .../directory/reference/rest/v1/members/list: GET .../groups/{groupKey}/members;
// includeDerivedMembership lists the users of nested groups too.
std::string MembersListUrl(std::string_view base, std::string_view group_key, std::string_view page_token,
                           MemberDepth depth) {
  std::string url = std::string(base) + "/admin/directory/v1/groups/" + PercentEncode(group_key) +
                    "/members?maxResults=" + std::to_string(kMembersPageSize);
  if (depth == MemberDepth::kDirectAndNested) url += "&includeDerivedMembership=true";
  if (!page_token.empty()) url += "&pageToken=" + PercentEncode(page_token);
  return url;
}

// .../directory/reference/rest/v1/members/hasMember:
// GET .../groups/{groupKey}/hasMember/{memberKey}
std::string HasMemberUrl(std::string_view base, std::string_view group_key, std::string_view member_key) {
  return std::string(base) + "/admin/directory/v1/groups/" + PercentEncode(group_key) + "/hasMember/" +
         PercentEncode(member_key);
}

// .../members/hasMember, "Response body": {"isMember": boolean}.
Result<bool> ReadIsMember(std::string_view body) {
  auto doc = ParseResponseJson(body);
  if (!doc.ok() || !doc->is_object()) return InvalidInput("a hasMember answer is not a JSON object");
  auto it = doc->find("isMember");
  if (it == doc->end() || !it->is_boolean()) return InvalidInput("a hasMember answer has no boolean 'isMember'");
  return it->get<bool>();
}

// developers.google.com/admin-sdk/directory/v1/guides/push, "Create notification channels".
json WatchRequestBody(std::string_view channel_id, std::string_view address, std::string_view token) {
  return json{{"id", std::string(channel_id)},
              {"type", "web_hook"},
              {"address", std::string(address)},
              {"token", std::string(token)},
              {"params", {{"ttl", std::to_string(kRequestedChannelTtlSeconds)}}}};
}

Result<SourceEvent> UserClaim(const json& user, int64_t published_ms, std::string uuid) {
  if (!user.is_object()) return InvalidInput("a Google user is not an object");
  SourceEvent e;
  e.uuid = std::move(uuid);
  e.published_ms = published_ms;
  e.user.source_id = json_fields::StringAt(user, "id");
  const std::string email = ToLowerAscii(json_fields::StringAt(user, "primaryEmail"));
  if (e.user.source_id.empty() || e.user.source_id.size() > kMaxSourceIdBytes) {
    return InvalidInput("a Google user has no valid 'id'");
  }
  if (email.empty() || email.size() > kMaxNameBytes) return InvalidInput("a Google user has no valid 'primaryEmail'");
  e.user.login = email;
  e.user.email = email;
  e.user.external_id = e.user.source_id;
  if (auto name = user.find("name"); name != user.end() && name->is_object()) {
    e.user.given_name = Bounded(json_fields::StringAt(*name, "givenName"));
    e.user.family_name = Bounded(json_fields::StringAt(*name, "familyName"));
    e.user.display_name = Bounded(json_fields::StringAt(*name, "fullName"));
  }
  // Archived users cannot sign in either (.../reference/rest/v1/users, "archived").
  const bool suspended = BoolMember(user, "suspended") || BoolMember(user, "archived");
  e.kind = suspended ? SourceEventKind::kUserSuspended : SourceEventKind::kUserActivated;
  e.with_profile = true;
  e.source_type = suspended ? "users.suspended" : "users.active";
  return e;
}

bool InOrgUnits(const json& user, const std::vector<std::string>& org_units) {
  if (org_units.empty()) return true;
  const std::string path = json_fields::StringAt(user, "orgUnitPath");
  for (const auto& unit : org_units) {
    if (unit == "/" || path == unit) return true;
    if (path.size() > unit.size() && path.compare(0, unit.size(), unit) == 0 && path[unit.size()] == '/') return true;
  }
  return false;
}

SourceSubject GroupSubject(const json& group) {
  SourceSubject s;
  s.source_id = json_fields::StringAt(group, "id");
  s.external_id = s.source_id;
  s.email = ToLowerAscii(json_fields::StringAt(group, "email"));
  s.display_name = Bounded(json_fields::StringAt(group, "name"));
  if (s.display_name.empty()) s.display_name = s.email;
  return s;
}

Result<SourceEvent> GroupClaim(const json& group, int64_t published_ms, std::string uuid) {
  if (!group.is_object()) return InvalidInput("a Google group is not an object");
  SourceEvent e;
  e.uuid = std::move(uuid);
  e.published_ms = published_ms;
  e.kind = SourceEventKind::kGroupCreated;
  e.group = GroupSubject(group);
  e.source_type = "groups.present";
  if (e.group.source_id.empty() || e.group.source_id.size() > kMaxSourceIdBytes) {
    return InvalidInput("a Google group has no valid 'id'");
  }
  if (e.group.display_name.empty() || e.group.display_name.size() > kMaxNameBytes) {
    return InvalidInput("a Google group has no name or email");
  }
  return e;
}

SourceEvent MembershipClaim(bool added, const SourceSubject& group, std::string_view user_email,
                            int64_t published_ms, std::string uuid) {
  SourceEvent e;
  e.uuid = std::move(uuid);
  e.published_ms = published_ms;
  e.kind = added ? SourceEventKind::kMemberAdded : SourceEventKind::kMemberRemoved;
  e.group = group;
  const std::string email = ToLowerAscii(user_email);
  e.user.source_id = email;
  e.user.login = email;
  e.user.email = email;
  e.source_type = added ? "members.added" : "members.removed";
  return e;
}

namespace {

struct ActivityMapping {
  const char* name;
  ActivityStep::Kind kind;
};
// .../reports/v1/appendix/activity/admin-group-settings ("GROUP_SETTINGS" events) and
// .../admin-user-settings ("USER_SETTINGS" events).
constexpr ActivityMapping kActivityMappings[] = {
    {"ADD_GROUP_MEMBER", ActivityStep::Kind::kMemberAdded},
    {"REMOVE_GROUP_MEMBER", ActivityStep::Kind::kMemberRemoved},
    {"CREATE_GROUP", ActivityStep::Kind::kGroupCreated},
    {"DELETE_GROUP", ActivityStep::Kind::kGroupDeleted},
    {"CHANGE_GROUP_NAME", ActivityStep::Kind::kGroupRenamed},
    {"SUSPEND_USER", ActivityStep::Kind::kUserChanged},
    {"UNSUSPEND_USER", ActivityStep::Kind::kUserChanged},
};

std::string Parameter(const json& event, const char* name) {
  auto params = event.find("parameters");
  if (params == event.end() || !params->is_array()) return {};
  for (const auto& p : *params) {
    if (json_fields::StringAt(p, "name") == name) return ToLowerAscii(json_fields::StringAt(p, "value"));
  }
  return {};
}

}  // namespace

Result<ActivitySteps> ReadActivity(const json& activity) {
  if (!activity.is_object()) return InvalidInput("an activity is not a JSON object");
  auto id = activity.find("id");
  if (id == activity.end() || !id->is_object()) return InvalidInput("an activity has no 'id'");
  ActivitySteps out;
  const std::string time = json_fields::StringAt(*id, "time");
  const std::string qualifier = json_fields::StringAt(*id, "uniqueQualifier");
  auto published = ParseRfc3339Millis(time);
  if (!published || qualifier.empty() || qualifier.size() > 64) {
    return InvalidInput("an activity's id needs 'time' (RFC 3339) and 'uniqueQualifier'");
  }
  if (json_fields::StringAt(*id, "applicationName") != "admin") return InvalidInput("not an admin activity");
  out.uuid = "activity:" + qualifier + "@" + time;
  out.published_ms = *published;
  auto events = activity.find("events");
  if (events == activity.end() || !events->is_array()) return InvalidInput("an activity has no 'events'");
  for (const auto& event : *events) {
    const std::string name = json_fields::StringAt(event, "name");
    const auto* mapping = std::find_if(std::begin(kActivityMappings), std::end(kActivityMappings),
                                       [&](const ActivityMapping& m) { return name == m.name; });
    if (mapping == std::end(kActivityMappings)) {
      if (out.ignored.size() < 16) out.ignored.push_back(name.substr(0, 64));
      continue;
    }
    ActivityStep step;
    step.kind = mapping->kind;
    step.event_name = name;
    step.group_email = Parameter(event, "GROUP_EMAIL");
    step.user_email = Parameter(event, "USER_EMAIL");
    const bool needs_group = step.kind != ActivityStep::Kind::kUserChanged;
    const bool needs_user = step.kind == ActivityStep::Kind::kMemberAdded ||
                            step.kind == ActivityStep::Kind::kMemberRemoved ||
                            step.kind == ActivityStep::Kind::kUserChanged;
    if ((needs_group && (step.group_email.empty() || step.group_email.size() > kMaxNameBytes)) ||
        (needs_user && (step.user_email.empty() || step.user_email.size() > kMaxNameBytes))) {
      if (out.ignored.size() < 16) out.ignored.push_back(name + " (without its parameters)");
      continue;
    }
    if (out.steps.size() == kMaxActivitySteps) {
      return InvalidInput("an activity with more than " + std::to_string(kMaxActivitySteps) +
                          " events to act on is refused (the next full sync applies what it said)");
    }
    out.steps.push_back(std::move(step));
  }
  return out;
}

Result<ListPage> ReadListPage(std::string_view body, const char* items_name) {
  auto doc = ParseResponseJson(body);
  if (!doc.ok() || !doc->is_object()) return InvalidInput(std::string("a ") + items_name + " page is not a JSON object");
  ListPage page;
  if (auto items = doc->find(items_name); items != doc->end()) {
    if (!items->is_array()) return InvalidInput(std::string("'") + items_name + "' is not an array");
    page.items.assign(items->begin(), items->end());
  }
  page.next_page_token = json_fields::StringAt(*doc, "nextPageToken");
  if (page.next_page_token.size() > 4096) return InvalidInput("a nextPageToken longer than 4096 bytes");
  return page;
}

}  // namespace dirbridge::google
