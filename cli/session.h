// What a command runs with: its parsed invocation, the settings, the admin client and
// the output streams, plus the few things every command does the same way: call the
// API and read a JSON answer, report a failure with its exit code, print JSON for
// scripts, print a one-time secret. A failure is reported here once, where it
// happens; the command only passes the exit code up (errors as values).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "admin_client.h"
#include "command_line.h"
#include "exit_codes.h"
#include "settings.h"

namespace dirbridge::cli {

// A call's answer parsed as JSON (null for an empty body, as a 204's), or the exit
// code of its failure, already reported.
struct JsonAnswer {
  ExitCode code = ExitCode::kOk;
  nlohmann::json body;
  Reply reply;
  bool ok() const { return code == ExitCode::kOk; }
};

class Session {
 public:
  Session(const Invocation& inv, const Settings& settings, AdminClient& client, std::ostream& out, std::ostream& err,
          bool progress_enabled)
      : inv_(inv), settings_(settings), client_(client), out_(out), err_(err), progress_enabled_(progress_enabled) {}

  const Invocation& inv() const { return inv_; }
  const Settings& settings() const { return settings_; }
  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }
  bool json() const { return settings_.json; }
  bool progress_enabled() const { return progress_enabled_; }
  const std::string& Arg(std::size_t i) const { return inv_.arguments.at(i); }
  // Who acts, for the audit trail: --by, else the login name ($USER) of whoever runs the CLI.
  std::string Actor() const;

  // "/tenants/{tenant}{rest}" with the tenant percent-encoded.
  std::string TenantPath(std::string_view rest = "") const;

  Reply Call(std::string_view method, const std::string& path, const std::optional<nlohmann::json>& body = {}) {
    return client_.Call(method, path, body);
  }
  JsonAnswer CallJson(std::string_view method, const std::string& path, const std::optional<nlohmann::json>& body = {});

  // One call whose answer is the command's output: with --json the answer as one
  // line, else `readable` prints it. A failure is reported; its exit code returned.
  ExitCode CallAndPrint(std::string_view method, const std::string& path, const std::optional<nlohmann::json>& body,
                        const std::function<void(const JsonAnswer&)>& readable);
  // One call answered without a body (a DELETE's 204): with --json `json_note`, else
  // the line `text`.
  ExitCode CallAndConfirm(std::string_view method, const std::string& path, const nlohmann::json& json_note,
                          const std::string& text);

  // Prints why the call failed; its exit code.
  ExitCode Report(const Reply& reply);
  // Prints a usage error; kUsage.
  ExitCode UsageError(const std::string& message);
  // Prints that the server's answer is not what the API promises; kServerError.
  ExitCode BadAnswer(const std::string& what);

  // A value as one compact line of JSON (--json output; JSON lines for listings).
  void PrintJson(const nlohmann::json& value);
  // The one place a secret is printed: the value the server shows once, labelled.
  void PrintOneTimeSecret(const std::string& label, const std::string& value);

 private:
  const Invocation& inv_;
  const Settings& settings_;
  AdminClient& client_;
  std::ostream& out_;
  std::ostream& err_;
  bool progress_enabled_;
};

// The array member `name` of an answer, or nullptr when it has none (a bad answer).
const nlohmann::json* ArrayMember(const nlohmann::json& answer, const char* name);

// A path segment, percent-encoded: "/connections/" + Segment(id).
std::string Segment(std::string_view text);

}  // namespace dirbridge::cli
