// dirbridge: the admin CLI. Parses the command line, resolves where to talk to and
// as whom, runs the command and exits with its code (exit_codes.h). Nothing here
// knows a command; commands/ does.
#include <iostream>
#include <string>
#include <vector>

#include "admin_client.h"
#include "command_line.h"
#include "commands/commands.h"
#include "progress.h"
#include "session.h"
#include "settings.h"

int main(int argc, char** argv) {
  using namespace dirbridge::cli;
  const std::vector<CommandSpec> commands = AllCommands();
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto inv = ParseCommandLine(args, commands);
  if (!inv.ok()) {
    std::cerr << "dirbridge: " << inv.error().detail << "\n";
    return AsInt(ExitCode::kUsage);
  }
  if (inv->help()) {
    std::cout << (inv->command ? CommandHelpText(*inv->command) : HelpText(commands, inv->words));
    return AsInt(ExitCode::kOk);
  }
  auto settings = ResolveSettings(*inv, ProcessEnv, [](const std::string& note) { std::cerr << note << "\n"; });
  if (!settings.ok()) {
    std::cerr << "dirbridge: " << settings.error().detail << "\n";
    return AsInt(ExitCode::kUsage);
  }
  AdminClient client(*settings);
  Session session(*inv, *settings, client, std::cout, std::cerr, StderrIsTerminal());
  const ExitCode code = inv->command->run(session);
  std::cout.flush();
  return AsInt(code);
}
