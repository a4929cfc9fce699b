#include "core/json_text.h"
#include "request_envelope.h"

#include <nlohmann/json.hpp>

#include "core/ascii.h"
#include "model/json_fields.h"

namespace dirbridge {

using nlohmann::json;

namespace {

json RequestJson(const HttpRequest& r) {
  return {{"method", r.method}, {"path", r.path},     {"query", r.query},   {"headers", r.headers},
          {"body", r.body},     {"origin", r.origin}, {"tenant", r.tenant}, {"route", r.route},
          {"clientAddress", r.client_address}};
}

json ResponseJson(const HttpResponse& r) { return {{"status", r.status}, {"headers", r.headers}, {"body", r.body}}; }

// Never the strict dump(): it aborts under JSON_NOEXCEPTION on bytes that are not
// UTF-8, and a body or a detail may quote such bytes from a client.
}  // namespace

Result<HttpRequest> RequestFromEnvelope(std::string_view envelope) {
  // The envelope comes from our own host, not a client: depth is bounded by its
  // shape, and a large body is still a single string.
  auto doc = json::parse(envelope.begin(), envelope.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Internal("host sent a malformed request envelope");
  HttpRequest r;
  for (auto [name, out] : {std::pair{"method", &r.method}, std::pair{"path", &r.path}, std::pair{"query", &r.query},
                           std::pair{"body", &r.body}, std::pair{"origin", &r.origin},
                           std::pair{"tenant", &r.tenant}, std::pair{"clientAddress", &r.client_address}}) {
    if (auto s = json_fields::ReadString(doc, name, "envelope", out); !s.ok()) {
      return Internal("host sent a malformed request envelope: " + s.error().detail);
    }
  }
  if (auto h = doc.find("headers"); h != doc.end() && h->is_object()) {
    for (auto it = h->begin(); it != h->end(); ++it) {
      if (!it.value().is_string()) continue;
      r.headers[ToLowerAscii(it.key())] = it.value().get<std::string>();
    }
  }
  if (auto route = doc.find("route"); route != doc.end()) {
    if (!route->is_array()) return Internal("host sent an envelope whose route is not an array");
    for (const auto& segment : *route) {
      if (!segment.is_string()) return Internal("host sent an envelope whose route holds a non-string");
      r.route.push_back(segment.get<std::string>());
    }
  }
  if (r.method.empty() || r.path.empty()) return Internal("host sent an envelope without method or path");
  return r;
}

std::string ResponseHeadToEnvelope(const HttpResponse& response, std::optional<std::optional<int64_t>> wake) {
  json head = {{"status", response.status}, {"headers", response.headers}};
  if (wake) head["wake"] = *wake ? json(**wake) : json(nullptr);
  return JsonText(head);
}

std::string RouteDecisionToEnvelope(const RouteDecision& d) {
  if (d.response) return JsonText(json{{"response", ResponseJson(*d.response)}});
  return JsonText(json{{"module", d.module}, {"tenant", d.request.tenant}, {"request", RequestJson(d.request)}});
}

}  // namespace dirbridge
