// The admin API over HTTP (libcurl): one call, one Reply, never an exception. The
// admin token goes in `Authorization: Bearer`; redirects are not followed (the token
// must not travel to another address); an answer is read up to kMaxReplyBytes.
//
// A Reply is either an HTTP answer (any status) or a transport failure; ExitCodeOf
// and FailureMessage turn it into what the CLI reports (exit_codes.h). A failure's
// message quotes the server's `detail` (the API error of core/api_error.h), made
// printable: the server may echo the request's own untrusted text there.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "exit_codes.h"
#include "settings.h"

namespace dirbridge::cli {

inline constexpr std::size_t kMaxReplyBytes = 64u << 20;
inline constexpr long kConnectTimeoutSeconds = 10;
inline constexpr long kCallTimeoutSeconds = 120;

struct Reply {
  long status = 0;  // 0: the server was not reached
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string transport_error;                 // why it was not reached / not read

  bool reached() const { return transport_error.empty(); }
  bool ok() const { return reached() && status >= 200 && status < 300; }
  std::optional<std::string> Header(const std::string& lower_name) const;
};

ExitCode ExitCodeOf(const Reply& reply);
// "not found: no connection 'x' (HTTP 404 notFound)"; "cannot reach http://...: ...".
std::string FailureMessage(const Reply& reply, std::string_view server);

// Query parameters, each percent-encoded; empty values are left out.
using QueryParams = std::vector<std::pair<std::string, std::string>>;
std::string WithQuery(std::string path, const QueryParams& params);

class AdminClient {
 public:
  explicit AdminClient(const Settings& settings);
  ~AdminClient();
  AdminClient(const AdminClient&) = delete;
  AdminClient& operator=(const AdminClient&) = delete;

  // `path` is below /admin/v1 ("/tenants/acme"); `body`, when given, is sent as JSON.
  Reply Call(std::string_view method, const std::string& path, const std::optional<nlohmann::json>& body = {});

 private:
  const Settings& settings_;
  void* curl_ = nullptr;  // CURL*, reused: one connection for a whole listing
};

}  // namespace dirbridge::cli
