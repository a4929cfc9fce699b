#include "guardrail_api.h"

#include "core/api_error.h"
#include "core/api_response.h"
#include "model/json_fields.h"
#include "provision/directory.h"
#include "request_params.h"

namespace dirbridge::admin {
namespace {

using nlohmann::json;

Result<json> SettingsView(KvStore& store, Directory& directory, std::string_view tenant) {
  Transaction txn(store);
  DB_ASSIGN_OR_RETURN(auto settings, LoadGuardSettings(txn, tenant));
  DB_ASSIGN_OR_RETURN(auto users, directory.Count(Collection::kUsers));
  json j = GuardSettingsToJson(settings);
  j["threshold"] = GuardThreshold(settings, users);
  return j;
}

HttpResponse PutSettingsHere(const HttpRequest& request, KvStore& store, Directory& directory) {
  auto body = ObjectBody(request);
  if (!body.ok()) return ApiErrorResponse(body.error());
  Transaction txn(store);
  auto current = LoadGuardSettings(txn, request.tenant);
  if (!current.ok()) return ApiErrorResponse(current.error());
  auto next = GuardSettingsFromJson(*body, *current);
  if (!next.ok()) return ApiErrorResponse(next.error());
  PutGuardSettings(txn, request.tenant, *next);
  if (auto s = txn.Commit(); !s.ok()) return ApiErrorResponse(s.error());
  auto view = SettingsView(store, directory, request.tenant);
  if (!view.ok()) return ApiErrorResponse(view.error());
  return ApiJsonResponse(200, *view);
}

HttpResponse ListPendingHere(const HttpRequest& request, KvStore& store) {
  auto params = ParseQuery(request.query);
  auto limit = UnsignedParam(params, "limit", 1, kMaxPendingPerPage, 100);
  if (!limit.ok()) return ApiErrorResponse(limit.error());
  auto page = ListPending(store, request.tenant, QueryValue(params, "after").value_or(""), *limit);
  if (!page.ok()) return ApiErrorResponse(page.error());
  json listed = json::array();
  for (const auto& p : *page) listed.push_back(PendingToJson(p));
  json out = {{"pending", std::move(listed)}};
  if (page->size() == *limit) out["next"] = page->back().user_id;
  return ApiJsonResponse(200, out);
}

HttpResponse DecideHere(const HttpRequest& request, Directory& directory, const std::string& user,
                        const std::string& decision) {
  auto body = ObjectBody(request);
  if (!body.ok()) return ApiErrorResponse(body.error());
  std::string by;
  if (auto s = json_fields::ReadString(*body, "by", "", &by); !s.ok()) return ApiErrorResponse(s.error());
  auto done = decision == "approve" ? directory.ApprovePending(user, by) : directory.DiscardPending(user, by);
  if (!done.ok()) return ApiErrorResponse(done.error());
  json out = PendingToJson(*done);
  out["decision"] = decision == "approve" ? "approved" : "discarded";
  return ApiJsonResponse(200, out);
}

}  // namespace

HttpResponse HandleGuardrail(const HttpRequest& request, KvStore& store, Env& env) {
  const auto& r = request.route;
  Directory directory(store, env, request.tenant, AdminChangeSource());
  if (r.size() == 3 && r[2] == "guardrail") {
    if (request.method == "PUT") return PutSettingsHere(request, store, directory);
    if (request.method != "GET") return ApiMethodNotAllowed("GET, PUT");
    auto view = SettingsView(store, directory, request.tenant);
    if (!view.ok()) return ApiErrorResponse(view.error());
    return ApiJsonResponse(200, *view);
  }
  if (r.size() == 3 && r[2] == "pending") {
    if (request.method != "GET") return ApiMethodNotAllowed("GET");
    return ListPendingHere(request, store);
  }
  if (r.size() == 5 && r[2] == "pending" && (r[4] == "approve" || r[4] == "discard")) {
    if (request.method != "POST") return ApiMethodNotAllowed("POST");
    return DecideHere(request, directory, r[3], r[4]);
  }
  return ApiErrorResponse(NotFound("no such admin endpoint: " + request.path));
}

}  // namespace dirbridge::admin
