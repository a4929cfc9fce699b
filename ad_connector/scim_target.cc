#include "scim_target.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "run_log.h"

namespace dirbridge::ad {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxAnswerBytes = 16u << 20;
constexpr double kFirstBackoffSeconds = 0.5;
constexpr double kMaxBackoffSeconds = 30;
constexpr double kMaxRetryAfterSeconds = 60;

struct Received {
  std::string body;
  double retry_after = 0;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* r = static_cast<Received*>(user);
  if (r->body.size() + size * count > kMaxAnswerBytes) return 0;
  r->body.append(data, size * count);
  return size * count;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* r = static_cast<Received*>(user);
  std::string line(data, size * count);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    std::string lower = line.substr(0, kName.size());
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == kName) r->retry_after = std::atof(line.c_str() + kName.size());
  }
  return size * count;
}

bool Retryable(const Answer& a) { return !a.reached() || a.status == 429 || a.status >= 500; }

}  // namespace

std::string Answer::Describe() const {
  if (!reached()) return "cannot reach the edge: " + Printable(transport_error);
  std::string text = "HTTP " + std::to_string(status);
  if (body.is_object()) {
    auto detail = body.find("detail");
    if (detail != body.end() && detail->is_string()) text += ": " + Printable(detail->get<std::string>());
  }
  return text;
}

ScimTarget::ScimTarget(const TargetSettings& settings, Sleep sleep) : settings_(settings), sleep_(std::move(sleep)) {
  if (!sleep_) {
    sleep_ = [](double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); };
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  curl_ = curl_easy_init();
}

ScimTarget::~ScimTarget() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Answer ScimTarget::CallOnce(const std::string& method, const std::string& path, const std::string* body,
                            double* retry_after) {
  Answer answer;
  CURL* c = static_cast<CURL*>(curl_);
  if (c == nullptr) {
    answer.transport_error = "libcurl could not start";
    return answer;
  }
  curl_easy_reset(c);
  Received received;
  std::string url = settings_.scim_url + path;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  if (!settings_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, settings_.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &received);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &received);
  std::string authorization = "Authorization: Bearer " + settings_.token;
  curl_slist* headers = curl_slist_append(nullptr, authorization.c_str());
  headers = curl_slist_append(headers, "Accept: application/scim+json");
  if (body != nullptr) {
    headers = curl_slist_append(headers, "Content-Type: application/scim+json");
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
  } else if (method == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  ++requests_;
  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
  if (rc != CURLE_OK) {
    answer.transport_error = url + ": " + curl_easy_strerror(rc);
    return answer;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &answer.status);
  if (!received.body.empty()) {
    answer.body = json::parse(received.body, nullptr, false);
    if (answer.body.is_discarded()) answer.body = json();
  }
  *retry_after = received.retry_after;
  return answer;
}

Answer ScimTarget::Call(const std::string& method, const std::string& path, const std::optional<json>& body) {
  std::string text;
  if (body) text = body->dump(-1, ' ', false, json::error_handler_t::replace);
  double backoff = kFirstBackoffSeconds;
  Answer answer;
  for (int attempt = 1;; ++attempt) {
    double retry_after = 0;
    answer = CallOnce(method, path, body ? &text : nullptr, &retry_after);
    answer.attempts = attempt;
    if (!Retryable(answer) || attempt >= settings_.max_attempts) return answer;
    ++retries_;
    double wait = retry_after > 0 ? std::min(retry_after, kMaxRetryAfterSeconds) : backoff;
    sleep_(wait);
    backoff = std::min(backoff * 2, kMaxBackoffSeconds);
  }
}

std::string FilterQuery(const std::string& attribute, const std::string& value) {
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '"';
  std::string filter = attribute + " eq " + quoted;
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : filter) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0xF];
    }
  }
  return "filter=" + encoded;
}

}  // namespace dirbridge::ad
