// Google Workspace (README, "Google Workspace"): the pure parts of watching a domain.
// Google is not a SCIM client: dirbridge watches it through the Admin SDK.
//
//   Directory API users.watch    one push channel per event (add, update, delete,
//                                makeAdmin, undelete); a notification's body is thin
//                                ({"kind", "id", "etag", "primaryEmail"}), so the user
//                                is fetched with users.get and applied as a claim
//   Reports API activities.watch applicationName=admin: group membership and group
//                                lifecycle (the Directory API has no group watch)
//   users.list, groups.list,     the full sync that repairs what push dropped
//   members.list
//
// Everything here turns Google's documented JSON into the engine's SourceEvents
// (model/source_event.h) or builds Google's URLs; no I/O. Each shape names the page of
// developers.google.com it follows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "model/source_event.h"

namespace dirbridge::google {

// The module every Google continuation runs in (functions/gworkspace), and the two
// continuations the admin API schedules there: the setup of a connection whose
// settings were put (channels and a first full sync), and a full sync.
inline constexpr const char* kModule = "gworkspace";
inline constexpr const char* kSetupContinuation = "google.setup";
inline constexpr const char* kReconcileContinuation = "google.reconcile";

// Google's documented endpoints. A deployment for tests may point both at a local
// stand-in with the setting DIRBRIDGE_GOOGLE_API_BASE (the token endpoint is then
// {base}/token). A key file's own token_uri is never used: an assertion goes only to
// Google's token endpoint (or the configured stand-in).
inline constexpr const char* kApiBase = "https://admin.googleapis.com";
inline constexpr const char* kTokenUrl = "https://oauth2.googleapis.com/token";
inline constexpr const char* kApiBaseSetting = "DIRBRIDGE_GOOGLE_API_BASE";
inline constexpr const char* kJwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

// The access token the service account buys (tenancy/google_service_account.h), cached
// sealed until shortly before it expires.
inline constexpr const char* kAccessTokenSecret = "google-access-token";

// The users.watch events, one channel each
// (developers.google.com/admin-sdk/directory/reference/rest/v1/users/watch, "event").
inline constexpr const char* kUserEvents[] = {"add", "update", "delete", "makeAdmin", "undelete"};
// The Reports channel's name among a connection's channels.
inline constexpr const char* kActivitiesChannel = "activities";

// URLs (`base` without a trailing '/').
std::string UsersWatchUrl(std::string_view base, std::string_view customer, std::string_view event);
std::string ActivitiesWatchUrl(std::string_view base);
std::string DirectoryChannelsStopUrl(std::string_view base);
std::string ReportsChannelsStopUrl(std::string_view base);
std::string UserGetUrl(std::string_view base, std::string_view user_key);
std::string GroupGetUrl(std::string_view base, std::string_view group_key);
std::string UsersListUrl(std::string_view base, std::string_view customer, std::string_view page_token);
std::string GroupsListUrl(std::string_view base, std::string_view customer, std::string_view page_token);
enum class MemberDepth { kDirect, kDirectAndNested };
std::string MembersListUrl(std::string_view base, std::string_view group_key, std::string_view page_token,
                           MemberDepth depth = MemberDepth::kDirect);
// members.hasMember: whether a user is a member of a group, directly or through nested
// groups of the same domain.
std::string HasMemberUrl(std::string_view base, std::string_view group_key, std::string_view member_key);
// Its answer, {"isMember": boolean}; 400 for anything else.
Result<bool> ReadIsMember(std::string_view body);
// Page sizes: the documented maxima (users 500, groups and members 200).
inline constexpr int kUsersPageSize = 500;
inline constexpr int kGroupsPageSize = 200;
inline constexpr int kMembersPageSize = 200;

// The body of a watch request (developers.google.com/admin-sdk/directory/v1/guides/push,
// "Create notification channels"): {"id", "type": "web_hook", "address", "token",
// "params": {"ttl"}}. dirbridge asks for kRequestedChannelTtlSeconds; Google answers
// the expiration it grants (which may be far shorter: renewal assumes 6 hours or less).
inline constexpr int64_t kRequestedChannelTtlSeconds = 7 * 24 * 3600;
nlohmann::json WatchRequestBody(std::string_view channel_id, std::string_view address, std::string_view token);

// A user resource (users.get / users.list; .../reference/rest/v1/users) as a claim at
// `published_ms`: user.activated or user.suspended, with its profile. The subject is
// named by Google's permanent user id (also its externalId here); its login and email
// are primaryEmail. 400 when the resource has no id or primaryEmail.
Result<SourceEvent> UserClaim(const nlohmann::json& user, int64_t published_ms, std::string uuid);
// Whether a user is in the connection's scope: under one of `org_units` (a path and
// its children; empty: every org unit).
bool InOrgUnits(const nlohmann::json& user, const std::vector<std::string>& org_units);

// A group resource (groups.get / groups.list) as a group.created claim: named by
// Google's group id (its externalId), displayed by its name (else its email).
Result<SourceEvent> GroupClaim(const nlohmann::json& group, int64_t published_ms, std::string uuid);

// What one admin activity (Reports API push body or activities.list item,
// .../reports/v1/appendix/activity/admin-group-settings and -user-settings) asks for:
struct ActivityStep {
  enum class Kind {
    kMemberAdded,    // ADD_GROUP_MEMBER: fetch the group, then apply the membership
    kMemberRemoved,  // REMOVE_GROUP_MEMBER
    kGroupCreated,   // CREATE_GROUP: fetch the group, apply it
    kGroupDeleted,   // DELETE_GROUP
    kGroupRenamed,   // CHANGE_GROUP_NAME: fetch the group, apply its name
    kUserChanged,    // SUSPEND_USER, UNSUSPEND_USER: fetch the user, apply it
  };
  Kind kind = Kind::kUserChanged;
  std::string event_name;   // Google's, e.g. "ADD_GROUP_MEMBER"
  std::string group_email;  // lower-cased
  std::string user_email;   // lower-cased
};
struct ActivitySteps {
  std::string uuid;  // id.uniqueQualifier + id.time: the activity's identity
  int64_t published_ms = 0;
  std::vector<ActivityStep> steps;
  std::vector<std::string> ignored;  // event names not acted on (counted)
};
// 400 when the body is not an admin activity, or has more than kMaxActivitySteps events
// to act on (each is a fetch: the work of one notification is bounded; Google sends one
// or a few per activity).
inline constexpr std::size_t kMaxActivitySteps = 16;
Result<ActivitySteps> ReadActivity(const nlohmann::json& activity);

// A membership claim: the user named by (lower-cased) email, the group by its id.
SourceEvent MembershipClaim(bool added, const SourceSubject& group, std::string_view user_email,
                            int64_t published_ms, std::string uuid);
SourceSubject GroupSubject(const nlohmann::json& group);

// A list page's items ("users", "groups" or "members"; absent when empty) and its
// nextPageToken (empty on the last page). 400 when the page is not such an object.
struct ListPage {
  std::vector<nlohmann::json> items;
  std::string next_page_token;
};
Result<ListPage> ReadListPage(std::string_view body, const char* items_name);

}  // namespace dirbridge::google
