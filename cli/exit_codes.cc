#include "exit_codes.h"

namespace dirbridge::cli {

ExitCode ExitCodeForStatus(long http_status) {
  if (http_status >= 200 && http_status < 300) return ExitCode::kOk;
  if (http_status == 401 || http_status == 403) return ExitCode::kAuthRefused;
  if (http_status == 404) return ExitCode::kNotFound;
  if (http_status >= 400 && http_status < 500) return ExitCode::kRefused;
  // 5xx, and 1xx/3xx, which the admin API never sends (redirects are not followed:
  // the admin token must not travel to another address).
  return ExitCode::kServerError;
}

std::string_view ExitCodeHelp() {
  return "Exit codes:\n"
         "  0  ok\n"
         "  2  usage error (bad arguments, no --tenant, no admin token, unreadable file)\n"
         "  3  cannot reach the server (connection, DNS, TLS, timeout)\n"
         "  4  authentication refused (HTTP 401/403: wrong or missing admin token)\n"
         "  5  not found (HTTP 404, or no user with that user name)\n"
         "  6  request refused (HTTP 400/409/412/422/other 4xx; the server's detail is printed)\n"
         "  7  server error (HTTP 5xx, or an answer the CLI cannot read)\n";
}

}  // namespace dirbridge::cli
