// The exit codes of `dirbridge`, a contract with the scripts that call it (listed in
// `dirbridge --help` and README "Admin CLI"). Every failure the CLI can meet maps to
// exactly one of them: its own usage rules (2), the transport (3), or the HTTP status
// the admin API answered (4 to 7).
#pragma once

#include <string_view>

namespace dirbridge::cli {

enum class ExitCode : int {
  kOk = 0,
  kUsage = 2,        // bad arguments, missing --tenant or admin token, unreadable file
  kUnreachable = 3,  // no connection, DNS, TLS, timeout
  kAuthRefused = 4,  // 401, 403
  kNotFound = 5,     // 404 (and a user name that matches nobody)
  kRefused = 6,      // 400, 409, 412, 422 and every other 4xx
  kServerError = 7,  // 5xx, or an answer that is not what the API promises
};

inline int AsInt(ExitCode code) { return static_cast<int>(code); }

// The exit code of an HTTP answer: kOk for 2xx.
ExitCode ExitCodeForStatus(long http_status);

// The table printed by `dirbridge --help`, one code a line.
std::string_view ExitCodeHelp();

}  // namespace dirbridge::cli
