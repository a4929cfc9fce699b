#include "admin_api.h"

#include <charconv>
#include <string>

#include <nlohmann/json.hpp>

#include "core/api_error.h"
#include "core/json_input.h"
#include "effects_api.h"
#include "model/json_fields.h"
#include "provision/event_log.h"
#include "tenancy/admin_auth.h"
#include "tenancy/connection.h"
#include "tenancy/tenant.h"

namespace dirbridge::admin {
namespace {

using nlohmann::json;

HttpResponse Json(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.headers["content-type"] = "application/json";
  r.headers["cache-control"] = "no-store";
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

HttpResponse MethodNotAllowed(const std::string& allow) {
  auto r = ApiErrorResponse(MethodNotAllowedError("method not allowed here; use " + allow));
  r.headers["allow"] = allow;
  return r;
}

// The body as a JSON object; an empty body reads as {}.
Result<json> ObjectBody(const HttpRequest& request) {
  if (request.body.empty()) return json::object();
  DB_ASSIGN_OR_RETURN(auto doc, ParseJson(request.body));
  if (!doc.is_object()) return InvalidInput("the request body must be a JSON object", "invalidSyntax");
  return doc;
}

HttpResponse CreateTenantHere(const HttpRequest& request, KvStore& store, Env& env) {
  auto body = ObjectBody(request);
  if (!body.ok()) return ApiErrorResponse(body.error());
  std::string name;
  if (auto s = json_fields::ReadString(*body, "name", "", &name); !s.ok()) return ApiErrorResponse(s.error());
  if (name.size() > 200) return ApiErrorResponse(InvalidInput("tenant name is longer than 200 characters"));
  auto tenant = CreateTenant(store, env, request.tenant, name.empty() ? request.tenant : name);
  if (!tenant.ok()) return ApiErrorResponse(tenant.error());
  auto r = Json(201, TenantToJson(*tenant));
  r.headers["location"] = request.origin + "/admin/v1/tenants/" + tenant->id;
  return r;
}

HttpResponse CreateConnectionHere(const HttpRequest& request, KvStore& store, Env& env) {
  auto body = ObjectBody(request);
  if (!body.ok()) return ApiErrorResponse(body.error());
  std::string kind;
  if (auto s = json_fields::ReadString(*body, "kind", "", &kind); !s.ok()) return ApiErrorResponse(s.error());
  if (kind.empty()) {
    return ApiErrorResponse(InvalidInput(std::string("'kind' is required: one of ") + KnownConnectionKinds()));
  }
  auto issued = CreateConnection(store, env, request.tenant, kind);
  if (!issued.ok()) return ApiErrorResponse(issued.error());
  const auto& c = issued->connection;
  json out = {{"id", c.id},
              {"tenant", request.tenant},
              {"kind", c.kind},
              {"created", c.created},
              {"token", issued->token},
              {"scimBaseUrl", TenantScimBaseUrl(request.origin, request.tenant)},
              {"note", "the token is shown only once; dirbridge stores only its hash"}};
  return Json(201, out);
}

HttpResponse ReadEventsHere(const HttpRequest& request, KvStore& store) {
  auto params = ParseQuery(request.query);
  uint64_t after = 0;
  std::size_t limit = 100;
  if (auto a = QueryValue(params, "after")) {
    auto [p, ec] = std::from_chars(a->data(), a->data() + a->size(), after);
    if (ec != std::errc() || p != a->data() + a->size()) {
      return ApiErrorResponse(InvalidInput("'after' must be a non-negative integer"));
    }
  }
  if (auto l = QueryValue(params, "limit")) {
    auto [p, ec] = std::from_chars(l->data(), l->data() + l->size(), limit);
    if (ec != std::errc() || p != l->data() + l->size() || limit == 0 || limit > 1000) {
      return ApiErrorResponse(InvalidInput("'limit' must be an integer from 1 to 1000"));
    }
  }
  auto events = ReadEvents(store, request.tenant, after, limit);
  if (!events.ok()) return ApiErrorResponse(events.error());
  json out = {{"events", *events}};
  if (!events->empty()) out["last"] = events->back()["sequence"];
  return Json(200, out);
}

}  // namespace

HttpResponse Handle(const HttpRequest& request, KvStore& store, Env& env) {
  if (auto auth = AuthenticateAdmin(env, request.Header("authorization")); !auth.ok()) {
    return ApiErrorResponse(auth.error());
  }
  if (request.tenant.empty()) return ApiErrorResponse(Internal("request reached a tenant without a tenant id"));
  const auto& r = request.route;
  if (r.empty() || r[0] != "tenants") return ApiErrorResponse(NotFound("no such admin endpoint: " + request.path));
  if (r.size() == 1) {
    if (request.method != "POST") return MethodNotAllowed("POST");
    return CreateTenantHere(request, store, env);
  }
  if (r[1] != request.tenant) return ApiErrorResponse(Internal("admin request routed to the wrong tenant"));
  auto tenant = GetTenant(store, request.tenant);
  if (!tenant.ok()) return ApiErrorResponse(tenant.error());
  if (r.size() == 2) {
    if (request.method != "GET") return MethodNotAllowed("GET");
    return Json(200, TenantToJson(*tenant));
  }
  if (r.size() == 3 && r[2] == "connections") {
    if (request.method != "POST") return MethodNotAllowed("POST");
    return CreateConnectionHere(request, store, env);
  }
  if (r.size() == 3 && r[2] == "events") {
    if (request.method != "GET") return MethodNotAllowed("GET");
    return ReadEventsHere(request, store);
  }
  if (r.size() >= 3 && r[2] == "effects") return HandleEffects(request, store, env);
  return ApiErrorResponse(NotFound("no such admin endpoint: " + request.path));
}

}  // namespace dirbridge::admin
