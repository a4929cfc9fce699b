#include "command_line.h"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "core/printable.h"

namespace dirbridge::cli {
namespace {

bool Contains(const std::vector<std::string>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

template <std::size_t N>
bool Contains(const char* const (&list)[N], std::string_view name) {
  return std::find(std::begin(list), std::end(list), name) != std::end(list);
}

// Whether any command (or the globals) knows `--name`, and if it takes a value.
enum class OptionKind { kUnknown, kValue, kRepeatable, kFlag };
OptionKind KindOf(std::string_view name, const std::vector<CommandSpec>& commands) {
  if (Contains(kGlobalValueOptions, name)) return OptionKind::kValue;
  if (Contains(kGlobalFlags, name)) return OptionKind::kFlag;
  for (const auto& c : commands) {
    if (Contains(c.value_options, name)) return OptionKind::kValue;
    if (Contains(c.repeatable_options, name)) return OptionKind::kRepeatable;
    if (Contains(c.flags, name)) return OptionKind::kFlag;
  }
  return OptionKind::kUnknown;
}

std::string Quoted(std::string_view text) { return "'" + Printable(text, 80) + "'"; }

Error Usage(std::string detail) { return InvalidInput(std::move(detail), ""); }

// The command whose words are the longest prefix of `positionals`.
const CommandSpec* Match(const std::vector<std::string>& positionals, const std::vector<CommandSpec>& commands) {
  const CommandSpec* best = nullptr;
  for (const auto& c : commands) {
    if (c.words.size() > positionals.size()) continue;
    if (!std::equal(c.words.begin(), c.words.end(), positionals.begin())) continue;
    if (!best || c.words.size() > best->words.size()) best = &c;
  }
  return best;
}

bool IsNoun(std::string_view word, const std::vector<CommandSpec>& commands) {
  return std::any_of(commands.begin(), commands.end(), [&](const CommandSpec& c) { return c.words[0] == word; });
}

std::string UsageLine(const CommandSpec& c) { return "usage: dirbridge " + c.usage; }

}  // namespace

std::optional<std::string> Invocation::Option(const std::string& name) const {
  auto it = options.find(name);
  if (it == options.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Invocation::Options(const std::string& name) const {
  auto it = repeated.find(name);
  return it == repeated.end() ? std::vector<std::string>() : it->second;
}

Result<Invocation> ParseCommandLine(const std::vector<std::string>& argv, const std::vector<CommandSpec>& commands) {
  Invocation inv;
  std::vector<std::string> positionals;
  bool options_ended = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (options_ended || arg.size() < 2 || arg.compare(0, 2, "--") != 0) {
      positionals.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (name == "admin-token") {
      return Usage(
          "--admin-token is not accepted: a token on the command line is visible to every user of this machine "
          "(ps, /proc/*/cmdline) and is kept in shell history. Use --admin-token-file FILE or the environment "
          "variable DIRBRIDGE_ADMIN_TOKEN");
    }
    const OptionKind kind = KindOf(name, commands);
    switch (kind) {
      case OptionKind::kUnknown:
        return Usage("unknown option --" + Printable(name, 80) + " (see dirbridge --help)");
      case OptionKind::kFlag:
        if (inline_value) return Usage("--" + name + " takes no value");
        inv.flags.insert(name);
        break;
      case OptionKind::kValue:
      case OptionKind::kRepeatable:
        if (!inline_value) {
          if (i + 1 >= argv.size()) return Usage("--" + name + " needs a value");
          inline_value = argv[++i];
        }
        if (kind == OptionKind::kRepeatable) {
          inv.repeated[name].push_back(*inline_value);
          break;
        }
        if (inv.options.count(name)) return Usage("--" + name + " is given twice");
        inv.options[name] = *inline_value;
        break;
    }
  }

  const CommandSpec* command = Match(positionals, commands);
  if (!command) {
    if (inv.help() || positionals.empty()) {
      // Help on a noun ("dirbridge connection --help"), or on everything.
      if (!positionals.empty() && IsNoun(positionals[0], commands)) inv.words = {positionals[0]};
      inv.flags.insert("help");
      return inv;
    }
    if (IsNoun(positionals[0], commands)) {
      return Usage("unknown command " + Quoted(positionals[0] + (positionals.size() > 1 ? " " + positionals[1] : "")) +
                   " (see dirbridge " + positionals[0] + " --help)");
    }
    return Usage("unknown command " + Quoted(positionals[0]) + " (see dirbridge --help)");
  }
  inv.command = command;
  inv.words = command->words;
  inv.arguments.assign(positionals.begin() + static_cast<std::ptrdiff_t>(command->words.size()), positionals.end());
  if (inv.help()) return inv;

  for (const auto& [name, value] : inv.options) {
    (void)value;
    if (!Contains(kGlobalValueOptions, name) && !Contains(command->value_options, name)) {
      return Usage("--" + name + " does not apply to '" + command->usage + "'\n" + UsageLine(*command));
    }
  }
  for (const auto& [name, values] : inv.repeated) {
    (void)values;
    if (!Contains(command->repeatable_options, name)) {
      return Usage("--" + name + " does not apply to '" + command->usage + "'\n" + UsageLine(*command));
    }
  }
  for (const auto& flag : inv.flags) {
    if (!Contains(kGlobalFlags, flag) && !Contains(command->flags, flag)) {
      return Usage("--" + flag + " does not apply to '" + command->usage + "'\n" + UsageLine(*command));
    }
  }
  if (inv.arguments.size() < command->arguments.size()) {
    return Usage("missing " + command->arguments[inv.arguments.size()] + "\n" + UsageLine(*command));
  }
  if (inv.arguments.size() > command->arguments.size()) {
    return Usage("unexpected argument " + Quoted(inv.arguments[command->arguments.size()]) + "\n" +
                 UsageLine(*command));
  }
  return inv;
}

Result<std::optional<uint64_t>> CountOption(const Invocation& inv, const std::string& name) {
  auto text = inv.Option(name);
  if (!text) return std::optional<uint64_t>();
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || end != text->data() + text->size()) {
    return Usage("--" + name + " must be a non-negative integer, not " + Quoted(*text));
  }
  return std::optional<uint64_t>(value);
}

std::string CommandHelpText(const CommandSpec& command) {
  std::string out = UsageLine(command) + "\n\n" + command.summary + "\n\n";
  out += "Global options: --server URL, --admin-token-file FILE, --json";
  out += command.tenant_scoped ? ", --tenant T\n" : "\n";
  out += "(see dirbridge --help for the environment variables and exit codes)\n";
  return out;
}

std::string HelpText(const std::vector<CommandSpec>& commands, const std::vector<std::string>& words) {
  std::string out =
      "dirbridge: the admin CLI of a dirbridge server (its /admin/v1 API)\n\n"
      "usage: dirbridge [global options] COMMAND [arguments] [options]\n\nCommands:\n";
  for (const auto& c : commands) {
    if (!words.empty() && c.words[0] != words[0]) continue;
    out += "  " + c.usage + "\n      " + c.summary + "\n";
  }
  out +=
      "\nGlobal options:\n"
      "  --server URL            the server (env DIRBRIDGE_URL; default http://127.0.0.1:8787);\n"
      "                          plain http only to this machine (loopback), https elsewhere\n"
      "  --admin-token-file F    a file holding the admin token (else env DIRBRIDGE_ADMIN_TOKEN);\n"
      "                          a token is never accepted on the command line (ps would show it)\n"
      "  --tenant T              the tenant of tenant-scoped commands (env DIRBRIDGE_TENANT)\n"
      "  --json                  the server's JSON for scripts: one object, or JSON lines for listings\n"
      "  --help                  this text, or a command's (dirbridge connection rotate --help)\n\n";
  out += ExitCodeHelp();
  return out;
}

}  // namespace dirbridge::cli
