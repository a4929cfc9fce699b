#include "rules_api.h"

#include "core/api_error.h"
#include "core/api_response.h"
#include "provision/entitlement_rules.h"
#include "request_params.h"

namespace dirbridge::admin {
namespace {

using nlohmann::json;

HttpResponse ListRulesHere(const HttpRequest& request, KvStore& store) {
  auto params = ParseQuery(request.query);
  auto limit = UnsignedParam(params, "limit", 1, kMaxRulesPerPage, 50);
  if (!limit.ok()) return ApiErrorResponse(limit.error());
  auto page = ListRules(store, request.tenant, QueryValue(params, "after").value_or(""), *limit);
  if (!page.ok()) return ApiErrorResponse(page.error());
  json listed = json::array();
  for (const auto& rule : *page) listed.push_back(RuleToJson(rule));
  json out = {{"rules", std::move(listed)}};
  if (page->size() == *limit) out["next"] = page->back().group;
  return ApiJsonResponse(200, out);
}

HttpResponse GetRuleHere(const std::string& group, KvStore& store, const HttpRequest& request) {
  if (auto s = CheckRuleGroupName(group); !s.ok()) return ApiErrorResponse(s.error());
  Transaction txn(store);
  auto rule = LoadRule(txn, request.tenant, group);
  if (!rule.ok()) return ApiErrorResponse(rule.error());
  if (!*rule) return ApiErrorResponse(NotFound("no rule for group '" + group + "'"));
  return ApiJsonResponse(200, RuleToJson(**rule));
}

HttpResponse PutRuleHere(const HttpRequest& request, KvStore& store, Env& env, const std::string& group) {
  auto body = ObjectBody(request);
  if (!body.ok()) return ApiErrorResponse(body.error());
  auto set = SetRule(store, env, request.tenant, AdminChangeSource(), group, *body);
  if (!set.ok()) return ApiErrorResponse(set.error());
  return ApiJsonResponse(set->created ? 201 : 200, RuleToJson(set->rule));
}

HttpResponse DeleteRuleHere(const HttpRequest& request, KvStore& store, Env& env, const std::string& group) {
  std::string by;
  if (auto s = ReadActor(request, &by, nullptr); !s.ok()) return ApiErrorResponse(s.error());
  if (auto s = DeleteRule(store, env, request.tenant, AdminChangeSource(), group, by); !s.ok()) {
    return ApiErrorResponse(s.error());
  }
  return ApiNoContent();
}

}  // namespace

HttpResponse HandleRules(const HttpRequest& request, KvStore& store, Env& env) {
  const auto& r = request.route;
  if (r.size() == 3) {
    if (request.method != "GET") return ApiMethodNotAllowed("GET");
    return ListRulesHere(request, store);
  }
  if (r.size() == 4) {
    if (request.method == "GET") return GetRuleHere(r[3], store, request);
    if (request.method == "PUT") return PutRuleHere(request, store, env, r[3]);
    if (request.method == "DELETE") return DeleteRuleHere(request, store, env, r[3]);
    return ApiMethodNotAllowed("GET, PUT, DELETE");
  }
  return ApiErrorResponse(NotFound("no such admin endpoint: " + request.path));
}

}  // namespace dirbridge::admin
