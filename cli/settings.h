// Where the CLI talks to and as whom, from the global options and the environment:
//
//   server  --server URL | DIRBRIDGE_URL | http://127.0.0.1:8787
//   token   --admin-token-file FILE | DIRBRIDGE_ADMIN_TOKEN (never an argument)
//   tenant  --tenant T | DIRBRIDGE_TENANT (needed by tenant-scoped commands only)
//
// The admin token is a bearer credential: plain http is accepted only to a loopback
// address, so it never crosses a network in clear.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "command_line.h"
#include "core/result.h"

namespace dirbridge::cli {

inline constexpr const char* kDefaultServer = "http://127.0.0.1:8787";
// A token file is a few dozen bytes; anything this large is the wrong file.
inline constexpr std::size_t kMaxTokenFileBytes = 4096;

struct Settings {
  std::string server;  // no trailing '/'
  std::string admin_token;
  std::string tenant;
  bool json = false;
};

using EnvLookup = std::function<std::optional<std::string>(const char* name)>;
// The process environment.
std::optional<std::string> ProcessEnv(const char* name);

// Usage errors (InvalidInput) when the server URL is not http(s), is plain http to a
// host that is not loopback, the token is missing or its file unreadable, or a
// tenant-scoped command has no tenant. `warn` gets a note when the token file can be
// read by other users.
Result<Settings> ResolveSettings(const Invocation& inv, const EnvLookup& env,
                                 const std::function<void(std::string)>& warn);

// "http://127.0.0.1:8787/" -> the URL without its trailing '/', or an error.
Result<std::string> CheckServerUrl(std::string url);

// A file's content with surrounding whitespace removed (a secret file, `--value-file`);
// "-" reads standard input. At most `max_bytes`.
Result<std::string> ReadSecretFile(const std::string& path, std::size_t max_bytes);

}  // namespace dirbridge::cli
