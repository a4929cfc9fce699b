#include "request_envelope.h"

#include <nlohmann/json.hpp>

#include "core/ascii.h"
#include "model/json_fields.h"

namespace dirbridge {

using nlohmann::json;

namespace {
json RequestJson(const HttpRequest& r) {
  return {{"method", r.method}, {"path", r.path},     {"query", r.query},  {"headers", r.headers},
          {"body", r.body},     {"origin", r.origin}, {"tenant", r.tenant}};
}
json ResponseJson(const HttpResponse& r) { return {{"status", r.status}, {"headers", r.headers}, {"body", r.body}}; }
}  // namespace

Result<HttpRequest> RequestFromEnvelope(std::string_view envelope) {
  // The envelope comes from our own host, not a client: depth is bounded by its
  // shape, and a large body is still a single string.
  auto doc = json::parse(envelope.begin(), envelope.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Internal("host sent a malformed request envelope");
  HttpRequest r;
  namespace jf = json_fields;
  DB_RETURN_IF_ERROR(jf::ReadString(doc, "method", "envelope", &r.method));
  DB_RETURN_IF_ERROR(jf::ReadString(doc, "path", "envelope", &r.path));
  DB_RETURN_IF_ERROR(jf::ReadString(doc, "query", "envelope", &r.query));
  DB_RETURN_IF_ERROR(jf::ReadString(doc, "body", "envelope", &r.body));
  DB_RETURN_IF_ERROR(jf::ReadString(doc, "origin", "envelope", &r.origin));
  DB_RETURN_IF_ERROR(jf::ReadString(doc, "tenant", "envelope", &r.tenant));
  if (auto h = doc.find("headers"); h != doc.end() && h->is_object()) {
    for (auto it = h->begin(); it != h->end(); ++it) {
      if (!it.value().is_string()) continue;
      r.headers[ToLowerAscii(it.key())] = it.value().get<std::string>();
    }
  }
  if (r.method.empty() || r.path.empty()) return Internal("host sent an envelope without method or path");
  return r;
}

std::string RequestToEnvelope(const HttpRequest& request) { return RequestJson(request).dump(); }

std::string ResponseHeadToEnvelope(const HttpResponse& response) {
  return json{{"status", response.status}, {"headers", response.headers}}.dump(-1, ' ', false,
                                                                              json::error_handler_t::replace);
}

std::string RouteDecisionToEnvelope(const RouteDecision& d) {
  json out = d.response ? json{{"response", ResponseJson(*d.response)}}
                        : json{{"tenant", d.request.tenant}, {"request", RequestJson(d.request)}};
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace dirbridge
