#include "admin_client.h"

#include <curl/curl.h>

#include "core/ascii.h"
#include "core/http_message.h"
#include "core/json_input.h"
#include "core/json_text.h"
#include "core/printable.h"

namespace dirbridge::cli {
namespace {

struct Sink {
  Reply* reply;
  bool too_large = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t n = size * count;
  if (sink->reply->body.size() + n > kMaxReplyBytes) {
    sink->too_large = true;
    return 0;  // aborts the transfer
  }
  sink->reply->body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* reply = static_cast<Reply*>(user);
  const size_t n = size * count;
  std::string_view line(data, n);
  if (line.rfind("HTTP/", 0) == 0) reply->headers.clear();  // a new answer (after 100 Continue)
  if (auto colon = line.find(':'); colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    reply->headers[ToLowerAscii(line.substr(0, colon))] = std::string(value);
  }
  return n;
}

}  // namespace

std::optional<std::string> Reply::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

ExitCode ExitCodeOf(const Reply& reply) {
  if (!reply.reached()) return ExitCode::kUnreachable;
  return ExitCodeForStatus(reply.status);
}

std::string FailureMessage(const Reply& reply, std::string_view server) {
  if (!reply.reached()) return "cannot reach " + std::string(server) + ": " + reply.transport_error;
  std::string detail;
  std::string code;
  if (auto doc = ParseResponseJson(reply.body); doc.ok() && doc->is_object()) {
    if (auto d = doc->find("detail"); d != doc->end() && d->is_string()) detail = d->get<std::string>();
    if (auto e = doc->find("error"); e != doc->end() && e->is_string()) code = " " + e->get<std::string>();
  }
  if (detail.empty()) detail = reply.body.empty() ? "(no detail)" : reply.body;
  std::string what;
  switch (ExitCodeOf(reply)) {
    case ExitCode::kAuthRefused:
      what = "authentication refused: ";
      break;
    case ExitCode::kNotFound:
      what = "not found: ";
      break;
    case ExitCode::kRefused:
      what = "refused: ";
      break;
    default:
      what = "server error: ";
      break;
  }
  return what + Printable(detail, 1000) + " (HTTP " + std::to_string(reply.status) + Printable(code, 40) + ")";
}

std::string WithQuery(std::string path, const QueryParams& params) {
  char sep = path.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    path += sep;
    path += PercentEncode(name) + "=" + PercentEncode(value);
    sep = '&';
  }
  return path;
}

AdminClient::AdminClient(const Settings& settings) : settings_(settings) {
  static const bool initialized = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (initialized) curl_ = curl_easy_init();
}

AdminClient::~AdminClient() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Reply AdminClient::Call(std::string_view method, const std::string& path, const std::optional<nlohmann::json>& body) {
  Reply reply;
  auto* curl = static_cast<CURL*>(curl_);
  if (!curl) {
    reply.transport_error = "libcurl could not be initialized";
    return reply;
  }
  curl_easy_reset(curl);
  const std::string url = settings_.server + "/admin/v1" + path;
  const std::string auth = "Authorization: Bearer " + settings_.admin_token;
  curl_slist* headers = curl_slist_append(nullptr, auth.c_str());
  headers = curl_slist_append(headers, "Accept: application/json");
  std::string payload;
  if (body) {
    payload = JsonText(*body);
    headers = curl_slist_append(headers, "Content-Type: application/json");
  }
  char error_text[CURL_ERROR_SIZE] = {0};
  Sink sink{&reply};
  const std::string verb(method);
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, verb.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, kCallTimeoutSeconds);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply);
  if (body) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
  } else if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  }
  const CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (sink.too_large) {
    // Reached, but the answer is not one the API gives: a server-side fault.
    reply.status = 502;
    reply.body = "{\"detail\":\"the answer is larger than " + std::to_string(kMaxReplyBytes) + " bytes\"}";
    return reply;
  }
  if (rc != CURLE_OK) {
    reply.status = 0;
    reply.body.clear();
    reply.transport_error = error_text[0] ? Printable(error_text, 300) : curl_easy_strerror(rc);
    return reply;
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

}  // namespace dirbridge::cli
