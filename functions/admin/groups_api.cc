#include "groups_api.h"

#include "core/api_error.h"
#include "core/api_response.h"
#include "provision/directory.h"
#include "request_params.h"

namespace dirbridge::admin {
namespace {

using nlohmann::json;

json Summary(const Group& g) {
  json j = json::object();
  j["id"] = g.id;
  j["displayName"] = g.display_name;
  if (!g.external_id.empty()) j["externalId"] = g.external_id;
  j["version"] = g.meta.version;
  j["created"] = g.meta.created;
  j["lastModified"] = g.meta.last_modified;
  return j;
}

HttpResponse ListGroupsHere(const HttpRequest& request, Directory& directory) {
  auto params = ParseQuery(request.query);
  auto limit = UnsignedParam(params, "limit", 1, kMaxGroupsPerPage, 50);
  if (!limit.ok()) return ApiErrorResponse(limit.error());
  std::vector<Group> groups;
  std::string next;
  if (auto name = QueryValue(params, "displayName")) {
    auto found = directory.FindGroups(GroupIndex::kDisplayName, *name, *limit);
    if (!found.ok()) return ApiErrorResponse(found.error());
    groups = std::move(*found);
  } else {
    auto page = directory.Groups(QueryValue(params, "after").value_or(""), *limit);
    if (!page.ok()) return ApiErrorResponse(page.error());
    groups = std::move(page->items);
    next = std::move(page->next_cursor);
  }
  json listed = json::array();
  for (const auto& g : groups) listed.push_back(Summary(g));
  json out = {{"groups", std::move(listed)}};
  if (!next.empty()) out["next"] = next;
  return ApiJsonResponse(200, out);
}

HttpResponse ListMembersHere(const HttpRequest& request, Directory& directory, const std::string& group_id) {
  auto params = ParseQuery(request.query);
  auto limit = UnsignedParam(params, "limit", 1, kMaxMembersPerPage, 200);
  if (!limit.ok()) return ApiErrorResponse(limit.error());
  auto group = directory.GetGroup(group_id);  // 404 for no such group, not an empty page
  if (!group.ok()) return ApiErrorResponse(group.error());
  auto page = directory.Members(group_id, QueryValue(params, "after").value_or(""), *limit);
  if (!page.ok()) return ApiErrorResponse(page.error());
  json members = json::array();
  for (const auto& m : page->items) {
    json j = {{"id", m.user_id}};
    if (!m.display.empty()) j["display"] = m.display;
    members.push_back(std::move(j));
  }
  json out = {{"members", std::move(members)}};
  if (!page->next_cursor.empty()) out["next"] = page->next_cursor;
  return ApiJsonResponse(200, out);
}

}  // namespace

HttpResponse HandleGroups(const HttpRequest& request, KvStore& store, Env& env) {
  const auto& r = request.route;  // ["tenants", t, "groups", ...]
  if (request.method != "GET") return ApiMethodNotAllowed("GET");
  Directory directory(store, env, request.tenant, AdminChangeSource());
  if (r.size() == 3) return ListGroupsHere(request, directory);
  if (r.size() == 4) {
    auto group = directory.GetGroup(r[3]);
    if (!group.ok()) return ApiErrorResponse(group.error());
    return ApiJsonResponse(200, Summary(*group));
  }
  if (r.size() == 5 && r[4] == "members") return ListMembersHere(request, directory, r[3]);
  return ApiErrorResponse(NotFound("no such admin endpoint: " + request.path));
}

}  // namespace dirbridge::admin
