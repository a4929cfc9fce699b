// The command line of `dirbridge`: words that name a command ("connection rotate"),
// its positional arguments, and options. Options may come anywhere after the program
// name, as `--name value` or `--name=value`; `--` ends them. Global options are
// accepted by every command; a command accepts only the options its spec lists, so a
// misspelt or misplaced option is a usage error (exit 2), never silently ignored.
//
// Parsing is pure (no I/O, no environment): ParseCommandLine turns argv into an
// Invocation or an InvalidInput error whose detail is the message to print.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"
#include "exit_codes.h"

namespace dirbridge::cli {

class Session;

// Global options: every command takes them.
inline constexpr const char* kGlobalValueOptions[] = {"server", "admin-token-file", "tenant"};
inline constexpr const char* kGlobalFlags[] = {"json", "help"};

struct CommandSpec {
  std::vector<std::string> words;          // {"connection", "rotate"}
  std::vector<std::string> arguments;      // positional, by the names usage shows: {"C"}
  std::vector<std::string> value_options;  // {"grace"}: --grace SECONDS
  std::vector<std::string> flags;          // {"generate"}
  std::string usage;                       // "connection rotate C [--grace SECONDS]"
  std::string summary;                     // one line for the command list
  bool tenant_scoped = true;               // needs --tenant / DIRBRIDGE_TENANT
  std::function<ExitCode(Session&)> run;
  // Value options that may be given more than once, in order: {"entitlement"} for
  // `--entitlement role:Dev --entitlement policy:MFA`.
  std::vector<std::string> repeatable_options = {};
};

struct Invocation {
  const CommandSpec* command = nullptr;  // null with help: the words matched no command
  std::vector<std::string> words;        // the command words given (for help on a noun)
  std::vector<std::string> arguments;
  std::map<std::string, std::string> options;
  std::map<std::string, std::vector<std::string>> repeated;  // repeatable options, in order
  std::set<std::string> flags;

  bool Has(const std::string& flag) const { return flags.count(flag) > 0; }
  std::optional<std::string> Option(const std::string& name) const;
  // Every value of a repeatable option, in the order given (empty when none).
  std::vector<std::string> Options(const std::string& name) const;
  bool help() const { return Has("help"); }
};

// argv without the program name. With --help, a command's missing arguments and
// unknown words are not errors (help is printed for what was matched).
Result<Invocation> ParseCommandLine(const std::vector<std::string>& argv, const std::vector<CommandSpec>& commands);

// The option `name` as a non-negative integer: nullopt when not given, a usage
// error (InvalidInput) when it is not a number.
Result<std::optional<uint64_t>> CountOption(const Invocation& inv, const std::string& name);

// "dirbridge --help": every command's usage and summary, the global options, the
// exit codes. `words` (possibly empty) narrows the list to one noun ("connection").
std::string HelpText(const std::vector<CommandSpec>& commands, const std::vector<std::string>& words);
// "dirbridge connection rotate --help".
std::string CommandHelpText(const CommandSpec& command);

}  // namespace dirbridge::cli
