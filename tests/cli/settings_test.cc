// Where the CLI talks to and as whom: options over environment, a token from a file
// or the environment only, plain http only to loopback, a tenant when needed.
#include "settings.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <map>

#include "admin_client.h"
#include "command_line.h"

using namespace dirbridge::cli;

namespace {

ExitCode Nothing(Session&) { return ExitCode::kOk; }

const std::vector<CommandSpec>& Commands() {
  static const std::vector<CommandSpec> commands = {
      {{"tenant", "create"}, {}, {}, {}, "tenant create", "create", false, Nothing},
      {{"tenant", "show"}, {}, {}, {}, "tenant show", "show", true, Nothing},
  };
  return commands;
}

EnvLookup EnvOf(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

dirbridge::Result<Settings> Resolve(std::vector<std::string> args, std::map<std::string, std::string> env,
                                    std::vector<std::string>* warnings = nullptr) {
  auto inv = ParseCommandLine(args, Commands());
  REQUIRE(inv.ok());
  static Invocation kept;  // settings refer to nothing in it, but keep it alive anyway
  kept = *inv;
  return ResolveSettings(kept, EnvOf(std::move(env)), [warnings](std::string w) {
    if (warnings) warnings->push_back(std::move(w));
  });
}

std::string TempFile(const std::string& content, int mode) {
  char name[] = "/tmp/dirbridge-cli-test-XXXXXX";
  const int fd = mkstemp(name);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()));
  fchmod(fd, mode);
  close(fd);
  return name;
}

}  // namespace

TEST_CASE("defaults, and the environment under the options") {
  auto s = Resolve({"tenant", "show"}, {{"DIRBRIDGE_ADMIN_TOKEN", "tok"}, {"DIRBRIDGE_TENANT", "acme"}});
  REQUIRE(s.ok());
  CHECK(s->server == kDefaultServer);
  CHECK(s->admin_token == "tok");
  CHECK(s->tenant == "acme");
  CHECK_FALSE(s->json);
  auto o = Resolve(
      {"tenant", "show", "--tenant", "beta", "--server", "https://db.example.com/", "--json"},
      {{"DIRBRIDGE_ADMIN_TOKEN", "tok"}, {"DIRBRIDGE_TENANT", "acme"}, {"DIRBRIDGE_URL", "http://localhost:1"}});
  REQUIRE(o.ok());
  CHECK(o->tenant == "beta");
  CHECK(o->server == "https://db.example.com");
  CHECK(o->json);
}

TEST_CASE("a tenant-scoped command needs a tenant, tenant create does not") {
  auto s = Resolve({"tenant", "show"}, {{"DIRBRIDGE_ADMIN_TOKEN", "tok"}});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().detail.find("--tenant") != std::string::npos);
  CHECK(Resolve({"tenant", "create"}, {{"DIRBRIDGE_ADMIN_TOKEN", "tok"}}).ok());
}

TEST_CASE("no admin token is a usage error that says where to put one") {
  auto s = Resolve({"tenant", "create"}, {});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().detail.find("--admin-token-file") != std::string::npos);
  CHECK(s.error().detail.find("DIRBRIDGE_ADMIN_TOKEN") != std::string::npos);
}

TEST_CASE("the token file: trimmed, over the environment, a warning when others can read it") {
  const std::string file = TempFile("  from-file\n", 0600);
  std::vector<std::string> warnings;
  auto s =
      Resolve({"tenant", "create", "--admin-token-file", file}, {{"DIRBRIDGE_ADMIN_TOKEN", "from-env"}}, &warnings);
  REQUIRE(s.ok());
  CHECK(s->admin_token == "from-file");
  CHECK(warnings.empty());
  const std::string open_file = TempFile("tok\n", 0644);
  auto w = Resolve({"tenant", "create", "--admin-token-file", open_file}, {}, &warnings);
  REQUIRE(w.ok());
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("chmod 600") != std::string::npos);
  const std::string spaced = TempFile("two words\n", 0600);
  auto bad = Resolve({"tenant", "create", "--admin-token-file", spaced}, {});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().detail.find("whitespace") != std::string::npos);
  auto missing = Resolve({"tenant", "create", "--admin-token-file", "/nonexistent/token"}, {});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().detail.find("cannot read") != std::string::npos);
  for (const auto& f : {file, open_file, spaced}) std::remove(f.c_str());
}

TEST_CASE("server URLs: http(s) only, plain http only to loopback") {
  CHECK(*CheckServerUrl("http://127.0.0.1:8787/") == "http://127.0.0.1:8787");
  CHECK(CheckServerUrl("http://localhost:8787").ok());
  CHECK(CheckServerUrl("http://[::1]:8787").ok());
  CHECK(CheckServerUrl("HTTPS://dirbridge.example.com").ok());
  auto clear = CheckServerUrl("http://dirbridge.example.com");
  REQUIRE_FALSE(clear.ok());
  CHECK(clear.error().detail.find("in clear") != std::string::npos);
  CHECK(CheckServerUrl("http://127.1.2.3:80").ok());
  CHECK_FALSE(CheckServerUrl("http://127.0.0.1.evil.example").ok());  // a name, not the address
  CHECK_FALSE(CheckServerUrl("http://user@evil.example").ok());
  CHECK_FALSE(CheckServerUrl("ftp://x.example").ok());
  CHECK_FALSE(CheckServerUrl("https://x.example/?a=b").ok());
  CHECK_FALSE(CheckServerUrl("https://").ok());
}

TEST_CASE("exit codes by HTTP status") {
  CHECK(ExitCodeForStatus(200) == ExitCode::kOk);
  CHECK(ExitCodeForStatus(204) == ExitCode::kOk);
  CHECK(ExitCodeForStatus(401) == ExitCode::kAuthRefused);
  CHECK(ExitCodeForStatus(403) == ExitCode::kAuthRefused);
  CHECK(ExitCodeForStatus(404) == ExitCode::kNotFound);
  for (long status : {400, 405, 409, 412, 413, 422, 429}) CHECK(ExitCodeForStatus(status) == ExitCode::kRefused);
  for (long status : {500, 502, 503, 302}) CHECK(ExitCodeForStatus(status) == ExitCode::kServerError);
  Reply unreached;
  unreached.transport_error = "Connection refused";
  CHECK(ExitCodeOf(unreached) == ExitCode::kUnreachable);
  CHECK(FailureMessage(unreached, "http://127.0.0.1:1") == "cannot reach http://127.0.0.1:1: Connection refused");
}

TEST_CASE("a failure quotes the server's detail, printable") {
  Reply r;
  r.status = 409;
  r.body = R"({"status":409,"error":"conflict","detail":"tenant 'a\u001b[31mb' already exists"})";
  const std::string m = FailureMessage(r, "http://x");
  CHECK(m == "refused: tenant 'a [31mb' already exists (HTTP 409 conflict)");
  Reply plain;
  plain.status = 502;
  plain.body = "Bad Gateway";
  CHECK(FailureMessage(plain, "http://x") == "server error: Bad Gateway (HTTP 502)");
}

TEST_CASE("query strings: encoded, empty values left out") {
  CHECK(WithQuery("/tenants/a/users", {{"userName", "ada lovelace+x@example.com"}, {"after", ""}, {"limit", "2"}}) ==
        "/tenants/a/users?userName=ada%20lovelace%2Bx%40example.com&limit=2");
  CHECK(WithQuery("/p", {{"after", ""}}) == "/p");
}
