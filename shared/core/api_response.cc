#include "core/api_response.h"
#include "core/json_text.h"

#include "core/api_error.h"

namespace dirbridge {

HttpResponse ApiJsonResponse(int status, const nlohmann::json& body) {
  HttpResponse r;
  r.status = status;
  r.headers["content-type"] = kApiErrorContentType;
  r.headers["cache-control"] = "no-store";
  r.body = JsonText(body);
  return r;
}

HttpResponse ApiNoContent() {
  HttpResponse r;
  r.status = 204;
  r.headers["cache-control"] = "no-store";
  return r;
}

HttpResponse ApiMethodNotAllowed(const std::string& allow) {
  auto r = ApiErrorResponse(MethodNotAllowedError("method not allowed here; use " + allow));
  r.headers["allow"] = allow;
  return r;
}

}  // namespace dirbridge
