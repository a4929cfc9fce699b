#include "deprovisioning_api.h"

#include "core/api_error.h"
#include "core/api_response.h"
#include "model/json_fields.h"
#include "provision/directory.h"
#include "request_params.h"
#include "tenancy/connection.h"

namespace dirbridge::admin {
namespace {

using nlohmann::json;

HttpResponse PolicyAnswer(const Connection& c) {
  json out = json::object();
  out["id"] = c.id;
  out["deprovisioning"] = DeprovisioningPolicyToJson(c.deprovisioning);
  return ApiJsonResponse(200, out);
}

}  // namespace

HttpResponse DeprovisioningHere(const HttpRequest& request, KvStore& store, const std::string& connection_id) {
  if (request.method == "GET") {
    auto c = GetConnection(store, request.tenant, connection_id);
    if (!c.ok()) return ApiErrorResponse(c.error());
    return PolicyAnswer(*c);
  }
  if (request.method != "PUT") return ApiMethodNotAllowed("GET, PUT");
  auto body = ObjectBody(request);
  if (!body.ok()) return ApiErrorResponse(body.error());
  auto c = SetDeprovisioningPolicy(store, request.tenant, connection_id, *body);
  if (!c.ok()) return ApiErrorResponse(c.error());
  return PolicyAnswer(*c);
}

Status ResumePurge(const effects::ContinuationCall& call, Transaction& txn, Env& env) {
  const std::string user = json_fields::StringAt(call.state, "user");
  const std::string run = json_fields::StringAt(call.state, "run");
  if (user.empty() || run.empty()) return InvalidInput("a purge names its user and run");
  Directory directory(txn.store(), env, call.tenant, ChangeSource{"policy", "", ChangeChannel::kAdmin});
  return directory.PurgeUser(user, run).status();
}

}  // namespace dirbridge::admin
