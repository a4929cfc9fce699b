// Every command of `dirbridge`, one file per noun of the admin API. Each returns
// the specs of its commands (command_line.h); AllCommands is the order --help lists.
#pragma once

#include <vector>

#include "command_line.h"

namespace dirbridge::cli {

std::vector<CommandSpec> TenantCommands();      // commands/tenant.cc
std::vector<CommandSpec> ConnectionCommands();  // commands/connection.cc
std::vector<CommandSpec> SecretCommands();      // commands/secret.cc
std::vector<CommandSpec> UserCommands();        // commands/user.cc
std::vector<CommandSpec> GroupCommands();       // commands/group.cc
std::vector<CommandSpec> EventCommands();       // commands/events.cc
std::vector<CommandSpec> EffectCommands();      // commands/effects.cc
std::vector<CommandSpec> AuditCommands();       // commands/audit.cc
std::vector<CommandSpec> PendingCommands();     // commands/pending.cc
std::vector<CommandSpec> RuleCommands();        // commands/rules.cc
std::vector<CommandSpec> PrecedenceCommands();  // commands/precedence.cc

std::vector<CommandSpec> AllCommands();

}  // namespace dirbridge::cli
