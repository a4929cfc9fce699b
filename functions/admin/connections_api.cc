#include "connections_api.h"

#include "core/api_error.h"
#include "core/api_response.h"
#include "core/timestamp.h"
#include "model/json_fields.h"
#include "provision/connection_activity.h"
#include "request_params.h"
#include "tenancy/connection.h"

namespace dirbridge::admin {

using nlohmann::json;

HttpResponse ListConnectionsHere(const HttpRequest& request, KvStore& store) {
  auto params = ParseQuery(request.query);
  auto limit = UnsignedParam(params, "limit", 1, kMaxConnectionsPerPage, 100);
  if (!limit.ok()) return ApiErrorResponse(limit.error());
  auto page = ListConnections(store, request.tenant, QueryValue(params, "after").value_or(""), *limit);
  if (!page.ok()) return ApiErrorResponse(page.error());
  json listed = json::array();
  for (const auto& c : *page) {
    json j = ConnectionSummaryToJson(c);
    auto activity = ReadConnectionActivity(store, request.tenant, c.id);
    if (!activity.ok()) return ApiErrorResponse(activity.error());
    j["activity"] = std::move(*activity);
    listed.push_back(std::move(j));
  }
  json out = {{"connections", std::move(listed)}};
  if (page->size() == *limit) out["next"] = page->back().id;
  return ApiJsonResponse(200, out);
}

HttpResponse RotateTokenHere(const HttpRequest& request, KvStore& store, Env& env, const std::string& connection_id) {
  auto body = ObjectBody(request);
  if (!body.ok()) return ApiErrorResponse(body.error());
  int64_t grace = kDefaultTokenGraceSeconds;
  if (auto g = body->find("graceSeconds"); g != body->end()) {
    if (!g->is_number_integer()) return ApiErrorResponse(InvalidInput("'graceSeconds' must be an integer"));
    grace = g->get<int64_t>();
  }
  auto rotated = RotateConnectionToken(store, env, request.tenant, connection_id, grace);
  if (!rotated.ok()) return ApiErrorResponse(rotated.error());
  json out = {{"id", rotated->connection.id},
              {"token", rotated->token},
              {"note", "the token is shown only once; dirbridge stores only its hash"}};
  if (rotated->connection.previous_valid_until_ms > 0) {
    out["previousTokenValidUntil"] = FormatRfc3339Millis(rotated->connection.previous_valid_until_ms);
  }
  return ApiJsonResponse(200, out);
}

HttpResponse RevokeConnectionHere(const HttpRequest& request, KvStore& store, Env& env,
                                  const std::string& connection_id) {
  auto revoked = RevokeConnection(store, env, request.tenant, connection_id);
  if (!revoked.ok()) return ApiErrorResponse(revoked.error());
  return ApiNoContent();
}

}  // namespace dirbridge::admin
