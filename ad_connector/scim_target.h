// The edge, as the connector sees it: one SCIM client (a connection of kind `ad`) over
// HTTPS with libcurl. One request, one Answer; never an exception.
//
// Retries: a transport failure, 429 and 5xx are tried again (target.maxAttempts in
// all), waiting 0.5 s, 1 s, 2 s, ... (at most 30 s), or what Retry-After says (at most
// 60 s). Redirects are not followed: the token must not travel elsewhere.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "connector_config.h"

namespace dirbridge::ad {

struct Answer {
  long status = 0;  // 0: not reached
  nlohmann::json body;  // null when the answer had none or was not JSON
  std::string transport_error;
  int attempts = 0;

  bool reached() const { return transport_error.empty(); }
  bool ok() const { return reached() && status >= 200 && status < 300; }
  // "HTTP 400: attribute 'userName' ... " or "cannot reach ...": printable.
  std::string Describe() const;
};

class ScimTarget {
 public:
  using Sleep = std::function<void(double seconds)>;
  explicit ScimTarget(const TargetSettings& settings, Sleep sleep = {});
  ~ScimTarget();
  ScimTarget(const ScimTarget&) = delete;
  ScimTarget& operator=(const ScimTarget&) = delete;

  // `path` below the SCIM base ("/Users"), `body` sent as application/scim+json.
  Answer Call(const std::string& method, const std::string& path, const std::optional<nlohmann::json>& body = {});

  long requests() const { return requests_; }
  long retries() const { return retries_; }

 private:
  Answer CallOnce(const std::string& method, const std::string& path, const std::string* body, double* retry_after);

  TargetSettings settings_;
  Sleep sleep_;
  void* curl_ = nullptr;
  long requests_ = 0, retries_ = 0;
};

// A SCIM filter value in double quotes (RFC 7644 §3.4.2.2), for URLs: percent-encoded.
std::string FilterQuery(const std::string& attribute, const std::string& value);

}  // namespace dirbridge::ad
