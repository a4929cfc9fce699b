// The command list, in the order `dirbridge --help` shows it.
#include "commands/commands.h"

namespace dirbridge::cli {

std::vector<CommandSpec> AllCommands() {
  std::vector<CommandSpec> all;
  for (auto group : {TenantCommands, ConnectionCommands, SecretCommands, UserCommands, GroupCommands, EventCommands, EffectCommands,
                     AuditCommands, PendingCommands, RuleCommands, PrecedenceCommands}) {
    auto specs = group();
    all.insert(all.end(), std::make_move_iterator(specs.begin()), std::make_move_iterator(specs.end()));
  }
  return all;
}

}  // namespace dirbridge::cli
