#include "audit_api.h"

#include "core/api_error.h"
#include "core/api_response.h"
#include "core/timestamp.h"
#include "model/lifecycle_event.h"
#include "provision/audit_query.h"
#include "request_params.h"

namespace dirbridge::admin {
namespace {

// Query parameter `name` as an RFC 3339 time; 400 when it is not one.
Status TimeParam(const std::vector<QueryParameter>& params, const char* name, std::optional<int64_t>* out) {
  auto raw = QueryValue(params, name);
  if (!raw) return Status::Ok();
  *out = ParseRfc3339Millis(*raw);
  if (!*out) {
    return InvalidInput(std::string("'") + name + "' must be an RFC 3339 time, such as 2026-11-26T09:00:00Z");
  }
  return Status::Ok();
}

Result<AuditFilter> FilterOf(const std::vector<QueryParameter>& params) {
  AuditFilter f;
  f.user = QueryValue(params, "user").value_or("");
  f.group = QueryValue(params, "group").value_or("");
  f.actor = QueryValue(params, "actor").value_or("");
  f.type = QueryValue(params, "type").value_or("");
  for (const auto* v : {&f.user, &f.group, &f.actor, &f.type}) {
    if (v->size() > 256) return InvalidInput("a filter value is longer than 256 characters");
  }
  if (!f.type.empty() && !EventTypeFromName(f.type)) {
    return InvalidInput("'type' is not an event type (such as user.offboarded or group.member_added)");
  }
  DB_RETURN_IF_ERROR(TimeParam(params, "since", &f.since_ms));
  DB_RETURN_IF_ERROR(TimeParam(params, "until", &f.until_ms));
  return f;
}

}  // namespace

HttpResponse ReadAuditHere(const HttpRequest& request, KvStore& store) {
  if (request.method != "GET") return ApiMethodNotAllowed("GET");
  auto params = ParseQuery(request.query);
  auto filter = FilterOf(params);
  if (!filter.ok()) return ApiErrorResponse(filter.error());
  auto after = UnsignedParam(params, "after", 0, UINT64_MAX, 0);
  if (!after.ok()) return ApiErrorResponse(after.error());
  auto limit = UnsignedParam(params, "limit", 1, kMaxAuditLimit, 100);
  if (!limit.ok()) return ApiErrorResponse(limit.error());
  const auto format = QueryValue(params, "format").value_or("json");
  if (format != "json" && format != "jsonl") return ApiErrorResponse(InvalidInput("'format' must be json or jsonl"));
  auto page = QueryAudit(store, request.tenant, *filter, *after, *limit);
  if (!page.ok()) return ApiErrorResponse(page.error());
  if (format == "jsonl") {
    HttpResponse r;
    r.status = 200;
    r.headers["content-type"] = "application/x-ndjson";
    r.headers["cache-control"] = "no-store";
    if (page->next) r.headers["x-dirbridge-next"] = std::to_string(*page->next);
    for (const auto& e : page->entries) r.body += e.dump() + "\n";
    return r;
  }
  nlohmann::json out = {{"entries", page->entries}, {"scanned", page->scanned}};
  if (page->next) out["next"] = *page->next;
  return ApiJsonResponse(200, out);
}

}  // namespace dirbridge::admin
