#include "admin_api.h"

#include <charconv>

#include "endpoint_support.h"

#include "core/json_input.h"
#include "model/json_fields.h"
#include "provision/event_log.h"
#include "scim/error_response.h"
#include "scim_context.h"
#include "tenancy/admin_auth.h"
#include "tenancy/connection.h"
#include "tenancy/tenant.h"

namespace dirbridge::scim_function {
namespace {

using nlohmann::json;

HttpResponse Json(int status, const json& body) {
  HttpResponse r;
  r.status = status;
  r.headers["content-type"] = "application/json";
  r.headers["cache-control"] = "no-store";
  r.body = body.dump();
  return r;
}

HttpResponse CreateTenantHere(const HttpRequest& request, KvStore& store, Env& env) {
  auto body = ObjectBody(request, /*allow_empty=*/true);
  if (!body.ok()) return scim::ErrorResponse(body.error());
  std::string name;
  if (auto s = json_fields::ReadString(*body, "name", "", &name); !s.ok()) return scim::ErrorResponse(s.error());
  if (name.size() > 200) return scim::ErrorResponse(InvalidInput("tenant name is longer than 200 characters"));
  auto tenant = CreateTenant(store, env, request.tenant, name.empty() ? request.tenant : name);
  if (!tenant.ok()) return scim::ErrorResponse(tenant.error());
  auto r = Json(201, TenantToJson(*tenant));
  r.headers["location"] = request.origin + "/admin/v1/tenants/" + tenant->id;
  return r;
}

HttpResponse CreateConnectionHere(const HttpRequest& request, KvStore& store, Env& env) {
  auto body = ObjectBody(request, /*allow_empty=*/true);
  if (!body.ok()) return scim::ErrorResponse(body.error());
  std::string kind;
  if (auto s = json_fields::ReadString(*body, "kind", "", &kind); !s.ok()) return scim::ErrorResponse(s.error());
  if (kind.empty()) {
    return scim::ErrorResponse(InvalidInput(std::string("'kind' is required: one of ") + KnownConnectionKinds()));
  }
  auto issued = CreateConnection(store, env, request.tenant, kind);
  if (!issued.ok()) return scim::ErrorResponse(issued.error());
  const auto& c = issued->connection;
  json out = {{"id", c.id},
              {"tenant", request.tenant},
              {"kind", c.kind},
              {"created", c.created},
              {"token", issued->token},
              {"scimBaseUrl", ScimBaseUrl(request.origin, request.tenant)},
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
      return scim::ErrorResponse(InvalidInput("'after' must be a non-negative integer"));
    }
  }
  if (auto l = QueryValue(params, "limit")) {
    auto [p, ec] = std::from_chars(l->data(), l->data() + l->size(), limit);
    if (ec != std::errc() || p != l->data() + l->size() || limit == 0 || limit > 1000) {
      return scim::ErrorResponse(InvalidInput("'limit' must be an integer from 1 to 1000"));
    }
  }
  auto events = ReadEvents(store, request.tenant, after, limit);
  if (!events.ok()) return scim::ErrorResponse(events.error());
  json out = {{"events", *events}};
  if (!events->empty()) out["last"] = events->back()["sequence"];
  return Json(200, out);
}

}  // namespace

HttpResponse HandleAdmin(const HttpRequest& request, const std::vector<std::string>& s, KvStore& store, Env& env) {
  if (auto auth = AuthenticateAdmin(env, request.Header("authorization")); !auth.ok()) {
    return scim::ErrorResponse(auth.error());
  }
  if (s.size() < 3 || s[1] != "v1" || s[2] != "tenants") return scim::ErrorResponse(NotFound("no such admin endpoint"));
  if (s.size() == 3) {
    if (request.method != "POST") return MethodNotAllowed("POST");
    return CreateTenantHere(request, store, env);
  }
  if (s[3] != request.tenant) return scim::ErrorResponse(Internal("admin request routed to the wrong tenant"));
  auto tenant = GetTenant(store, request.tenant);
  if (!tenant.ok()) return scim::ErrorResponse(tenant.error());
  if (s.size() == 4) {
    if (request.method != "GET") return MethodNotAllowed("GET");
    return Json(200, TenantToJson(*tenant));
  }
  if (s.size() == 5 && s[4] == "connections") {
    if (request.method != "POST") return MethodNotAllowed("POST");
    return CreateConnectionHere(request, store, env);
  }
  if (s.size() == 5 && s[4] == "events") {
    if (request.method != "GET") return MethodNotAllowed("GET");
    return ReadEventsHere(request, store);
  }
  return scim::ErrorResponse(NotFound("no such admin endpoint: " + request.path));
}

}  // namespace dirbridge::scim_function
