#include "settings.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>

#include "core/ascii.h"
#include "core/printable.h"

namespace dirbridge::cli {
namespace {

Error Usage(std::string detail) { return InvalidInput(std::move(detail), ""); }

std::string Trimmed(std::string text) {
  const char* space = " \t\r\n";
  const auto first = text.find_first_not_of(space);
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(space) - first + 1);
}

// The host of an http(s) URL, without port or brackets.
std::string HostOf(std::string_view url) {
  auto rest = url.substr(url.find("://") + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest[0] == '[') return std::string(rest.substr(1, rest.find(']') - 1));
  return std::string(rest.substr(0, rest.find(':')));
}

// localhost, ::1, or an IPv4 literal 127.a.b.c (not a name that merely starts so).
bool IsLoopback(std::string_view host) {
  if (host == "localhost" || host == "::1") return true;
  if (host.rfind("127.", 0) != 0) return false;
  int dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return dots == 3;
}

}  // namespace

std::optional<std::string> ProcessEnv(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

Result<std::string> CheckServerUrl(std::string url) {
  const std::string lower = ToLowerAscii(url);
  const bool https = lower.rfind("https://", 0) == 0;
  if (!https && lower.rfind("http://", 0) != 0) {
    return Usage("--server must be an http:// or https:// URL, not '" + Printable(url, 100) + "'");
  }
  if (url.find_first_of("?#") != std::string::npos) return Usage("--server must not have a query or fragment");
  const std::string host = HostOf(url);
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (host.empty()) return Usage("--server '" + Printable(url, 100) + "' names no host");
  if (!https && !IsLoopback(host)) {
    return Usage("--server " + Printable(url, 100) +
                 ": plain http is accepted only to this machine (localhost, 127.0.0.1, ::1); the admin token "
                 "would cross the network in clear. Use https://");
  }
  return url;
}

Result<std::string> ReadSecretFile(const std::string& path, std::size_t max_bytes) {
  std::string content;
  if (path == "-") {
    content.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Usage("cannot read '" + Printable(path, 200) + "'");
    content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) return Usage("cannot read '" + Printable(path, 200) + "'");
  }
  if (content.size() > max_bytes) {
    return Usage("'" + Printable(path, 200) + "' is larger than " + std::to_string(max_bytes) + " bytes");
  }
  return Trimmed(std::move(content));
}

Result<Settings> ResolveSettings(const Invocation& inv, const EnvLookup& env,
                                 const std::function<void(std::string)>& warn) {
  Settings s;
  s.json = inv.Has("json");
  DB_ASSIGN_OR_RETURN(s.server,
                      CheckServerUrl(inv.Option("server").value_or(env("DIRBRIDGE_URL").value_or(kDefaultServer))));

  if (auto file = inv.Option("admin-token-file")) {
    DB_ASSIGN_OR_RETURN(s.admin_token, ReadSecretFile(*file, kMaxTokenFileBytes));
    struct stat st {};
    if (*file != "-" && ::stat(file->c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
      warn("warning: " + Printable(*file, 200) + " can be read by other users; chmod 600 it");
    }
    if (s.admin_token.empty()) return Usage("the admin token file '" + Printable(*file, 200) + "' is empty");
  } else if (auto token = env("DIRBRIDGE_ADMIN_TOKEN")) {
    s.admin_token = Trimmed(*token);
  }
  if (s.admin_token.empty()) {
    return Usage(
        "no admin token: give --admin-token-file FILE or set DIRBRIDGE_ADMIN_TOKEN (a local server keeps "
        "it in .dirbridge/admin-token)");
  }
  if (s.admin_token.find_first_of(" \t\r\n") != std::string::npos) {
    return Usage("the admin token holds whitespace: is the token file the right one?");
  }

  s.tenant = inv.Option("tenant").value_or(env("DIRBRIDGE_TENANT").value_or(""));
  if (inv.command && inv.command->tenant_scoped && s.tenant.empty()) {
    return Usage("'" + inv.command->usage + "' needs a tenant: give --tenant T or set DIRBRIDGE_TENANT");
  }
  return s;
}

}  // namespace dirbridge::cli
