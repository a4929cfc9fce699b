#include "users_api.h"

#include "core/api_error.h"
#include "core/ascii.h"
#include "core/api_response.h"
#include "model/json_fields.h"
#include "provision/directory.h"
#include "provision/precedence_admin.h"
#include "request_params.h"

namespace dirbridge::admin {
namespace {

using nlohmann::json;

Result<json> Summary(Directory& directory, const User& u) {
  json j = {{"id", u.id}, {"userName", u.user_name}, {"active", u.active}, {"version", u.meta.version}};
  if (auto email = u.PrimaryEmail(); !email.empty()) j["email"] = email;
  if (!u.display_name.empty()) j["displayName"] = u.display_name;
  DB_ASSIGN_OR_RETURN(auto hold, directory.HoldOf(u.id));
  if (hold) j["offboarded"] = HoldToJson(*hold);
  DB_ASSIGN_OR_RETURN(auto purge, directory.PurgeOf(u.id));
  if (purge) j["scheduledPurge"] = ScheduledPurgeToJson(*purge);
  return j;
}

// A user its source deleted (provision/deprovisioning.h): not in the directory, kept.
Result<json> ArchivedSummary(Directory& directory, const ArchivedUser& a) {
  DB_ASSIGN_OR_RETURN(json j, Summary(directory, a.user));
  json archived = json::object();
  archived["at"] = a.at;
  archived["source"] = a.source;
  archived["policy"] = DeprovisionActionName(a.action);
  j["archived"] = std::move(archived);
  return j;
}

bool Matches(const User& u, const std::string& lowered_query) {
  for (const std::string& field : {u.user_name, u.display_name, u.PrimaryEmail()}) {
    if (ToLowerAscii(field).find(lowered_query) != std::string::npos) return true;
  }
  return false;
}

// One call's search: the matches, where to go on ("" at the end) and how many users it read.
struct UserSearch {
  std::vector<User> users;
  std::string next;
  std::size_t scanned = 0;
};

// ?q=: the users, in creation order after `after`, whose userName, primary email or
// displayName holds the text (ASCII case folded). At most kMaxUsersScannedPerSearch
// users are read per call, in pages of at most kUsersPerSearchRead.
Result<UserSearch> SearchUsers(Directory& directory, const std::string& query, std::string after, std::size_t limit) {
  if (query.size() > kMaxUserSearchBytes) {
    return InvalidInput("'q' is longer than " + std::to_string(kMaxUserSearchBytes) + " bytes");
  }
  constexpr std::size_t kUsersPerSearchRead = 100;
  const std::string lowered = ToLowerAscii(query);
  UserSearch search;
  while (search.users.size() < limit && search.scanned < kMaxUsersScannedPerSearch) {
    DB_ASSIGN_OR_RETURN(auto page, directory.Users(after, std::min(kUsersPerSearchRead,
                                                                    kMaxUsersScannedPerSearch - search.scanned)));
    for (auto& u : page.items) {
      ++search.scanned;
      after = u.id;
      if (Matches(u, lowered)) search.users.push_back(std::move(u));
      if (search.users.size() == limit) break;
    }
    if (page.next_cursor.empty() && search.users.size() < limit) return search;  // read to the end
  }
  search.next = after;
  return search;
}

HttpResponse ListUsersHere(const HttpRequest& request, Directory& directory) {
  auto params = ParseQuery(request.query);
  auto limit = UnsignedParam(params, "limit", 1, kMaxUsersPerPage, 50);
  if (!limit.ok()) return ApiErrorResponse(limit.error());
  std::vector<User> users;
  std::string next;
  std::optional<std::size_t> scanned;
  if (auto q = QueryValue(params, "q"); q && !q->empty()) {
    auto search = SearchUsers(directory, *q, QueryValue(params, "after").value_or(""), *limit);
    if (!search.ok()) return ApiErrorResponse(search.error());
    users = std::move(search->users);
    next = std::move(search->next);
    scanned = search->scanned;
  } else if (auto name = QueryValue(params, "userName")) {
    auto found = directory.FindUsers(UserIndex::kUserName, *name, 1);
    if (!found.ok()) return ApiErrorResponse(found.error());
    users = std::move(*found);
  } else {
    auto page = directory.Users(QueryValue(params, "after").value_or(""), *limit);
    if (!page.ok()) return ApiErrorResponse(page.error());
    users = std::move(page->items);
    next = std::move(page->next_cursor);
  }
  json listed = json::array();
  for (const auto& u : users) {
    auto s = Summary(directory, u);
    if (!s.ok()) return ApiErrorResponse(s.error());
    listed.push_back(std::move(*s));
  }
  json out = {{"users", std::move(listed)}};
  if (!next.empty()) out["next"] = next;
  if (scanned) out["scanned"] = *scanned;
  return ApiJsonResponse(200, out);
}

HttpResponse OffboardHere(const HttpRequest& request, Directory& directory, const std::string& id) {
  std::string by, reason;
  if (auto s = ReadActor(request, &by, &reason); !s.ok()) return ApiErrorResponse(s.error());
  auto done = directory.OffboardUser(id, std::move(by), std::move(reason));
  if (!done.ok()) return ApiErrorResponse(done.error());
  auto summary = Summary(directory, done->user);
  if (!summary.ok()) return ApiErrorResponse(summary.error());
  return ApiJsonResponse(200, {{"user", std::move(*summary)},
                               {"offboarded", HoldToJson(done->hold)},
                               {"already", done->already}});
}

HttpResponse RestoreHere(const HttpRequest& request, Directory& directory, const std::string& id) {
  std::string by;
  if (auto s = ReadActor(request, &by, nullptr); !s.ok()) return ApiErrorResponse(s.error());
  auto user = directory.RestoreUser(id, std::move(by));
  if (!user.ok()) return ApiErrorResponse(user.error());
  auto summary = Summary(directory, *user);
  if (!summary.ok()) return ApiErrorResponse(summary.error());
  return ApiJsonResponse(200, {{"user", std::move(*summary)}});
}

// The user's first kMaxUserGroupsShown groups, with their names: "groups" and, when
// there are more, "moreGroups": true.
Status AddGroups(Directory& directory, const std::string& user_id, json* summary) {
  DB_ASSIGN_OR_RETURN(auto ids, directory.GroupsOf(user_id, "", kMaxUserGroupsShown));
  json groups = json::array();
  for (const auto& id : ids.items) {
    json g = {{"id", id}};
    auto group = directory.GetGroup(id);
    if (group.ok()) g["displayName"] = group->display_name;
    else if (group.error().kind != ErrorKind::kNotFound) return group.error();
    groups.push_back(std::move(g));
  }
  (*summary)["groups"] = std::move(groups);
  if (!ids.next_cursor.empty()) (*summary)["moreGroups"] = true;
  return Status::Ok();
}

}  // namespace

HttpResponse HandleUsers(const HttpRequest& request, KvStore& store, Env& env) {
  const auto& r = request.route;  // ["tenants", t, "users", ...]
  Directory directory(store, env, request.tenant, AdminChangeSource());
  if (r.size() == 3) {
    if (request.method != "GET") return ApiMethodNotAllowed("GET");
    return ListUsersHere(request, directory);
  }
  if (r.size() == 4) {
    if (request.method != "GET") return ApiMethodNotAllowed("GET");
    auto user = directory.GetUser(r[3]);
    if (!user.ok() && user.error().kind == ErrorKind::kNotFound) {
      auto archived = directory.Archived(r[3]);
      if (!archived.ok()) return ApiErrorResponse(archived.error());
      if (!*archived) return ApiErrorResponse(user.error());
      auto summary = ArchivedSummary(directory, **archived);
      if (!summary.ok()) return ApiErrorResponse(summary.error());
      return ApiJsonResponse(200, *summary);
    }
    if (!user.ok()) return ApiErrorResponse(user.error());
    auto summary = Summary(directory, *user);
    if (!summary.ok()) return ApiErrorResponse(summary.error());
    auto owners = ReadAttributeOwners(store, request.tenant, user->id);
    if (!owners.ok()) return ApiErrorResponse(owners.error());
    (*summary)["attributeOwners"] = (*owners)["owners"];
    (*summary)["attributeConflicts"] = (*owners)["conflicts"];
    if (auto s = AddGroups(directory, user->id, &*summary); !s.ok()) return ApiErrorResponse(s.error());
    return ApiJsonResponse(200, *summary);
  }
  if (r.size() == 5 && (r[4] == "offboard" || r[4] == "restore")) {
    if (request.method != "POST") return ApiMethodNotAllowed("POST");
    return r[4] == "offboard" ? OffboardHere(request, directory, r[3]) : RestoreHere(request, directory, r[3]);
  }
  return ApiErrorResponse(NotFound("no such admin endpoint: " + request.path));
}

}  // namespace dirbridge::admin
