#include "answer.h"

#include "core/api_response.h"
#include "remote/oauth_calls.h"

namespace dirbridge::custom_api {

void Answer::Failed(std::size_t index, std::string_view username, std::string_view why) {
  errors_.push_back("item " + std::to_string(index) + " ('" + remote::Excerpt(username, 128) + "'): " + std::string(why));
}

void Answer::Error(std::string_view why) { errors_.push_back(std::string(why)); }

HttpResponse Answer::Response() const {
  nlohmann::json out = body_;
  out["status"] = errors_.empty() ? "OK" : (applied_ > 0 ? "WARN" : "FAIL");
  out["errors"] = errors_;
  return ApiJsonResponse(200, out);
}

HttpResponse RefusalResponse(const dirbridge::Error& error) {
  return ApiJsonResponse(HttpStatusFor(error.kind), {{"status", "FAIL"}, {"errors", {error.detail}}});
}

bool IsItemError(const dirbridge::Error& error) {
  const int status = HttpStatusFor(error.kind);
  return status >= 400 && status < 500;
}

Status AfterFirstChange(Status status) {
  if (status.ok() || !IsItemError(status.error())) return status;
  return Internal("an item failed after its first change was written (" + status.error().detail +
                  "); the whole call is undone");
}

}  // namespace dirbridge::custom_api
