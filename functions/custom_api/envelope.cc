#include "envelope.h"

#include "core/json_input.h"
#include "model/json_fields.h"
#include "remote/oauth_calls.h"

namespace dirbridge::custom_api {
namespace {

struct NamedCommand {
  Command command;
  const char* name;
};
constexpr NamedCommand kCommands[] = {
    {Command::kBatchAdd, "batchadd"},         {Command::kBatchChangeGroups, "batchchangegrp"},
    {Command::kDeleteUser, "deluser"},        {Command::kDisableUser, "disableuser"},
    {Command::kEnableUser, "enableuser"},     {Command::kReinviteUser, "reinviteuser"},
    {Command::kGetUserData, "getuserdata"},
};

std::string KnownCommands() {
  std::string out;
  for (const auto& c : kCommands) out += (out.empty() ? "" : ", ") + std::string(c.name);
  return out;
}

}  // namespace

const char* CommandName(Command command) {
  for (const auto& c : kCommands) {
    if (c.command == command) return c.name;
  }
  return "unknown";
}

std::optional<Command> ParseCommand(std::string_view name) {
  for (const auto& c : kCommands) {
    if (name == c.name) return c.command;
  }
  return std::nullopt;
}

Result<Envelope> ParseEnvelope(std::string_view body) {
  DB_ASSIGN_OR_RETURN(auto doc, ParseJson(body));
  if (!doc.is_object()) return InvalidInput("the body must be a JSON object {cid, provhash, cmd, data}", "invalidSyntax");
  Envelope e;
  const nlohmann::json* cid = json_fields::Find(doc, "cid");
  if (cid != nullptr && cid->is_number_unsigned()) {
    e.cid = std::to_string(cid->get<uint64_t>());
  } else if (cid != nullptr && !cid->is_null() && !cid->is_string()) {
    return InvalidInput("'cid' must be a string (the tenant id) or a number");
  } else if (auto s = json_fields::ReadString(doc, "cid", "", &e.cid); !s.ok()) {
    return s.error();
  }
  if (auto s = json_fields::ReadString(doc, "provhash", "", &e.provhash); !s.ok()) return s.error();
  std::string cmd;
  if (auto s = json_fields::ReadString(doc, "cmd", "", &cmd); !s.ok()) return s.error();
  if (cmd.empty()) return InvalidInput("'cmd' is required: one of " + KnownCommands());
  auto command = ParseCommand(cmd);
  if (!command) return InvalidInput("'cmd' '" + remote::Excerpt(cmd, 64) + "' is unknown; use one of " + KnownCommands());
  e.command = *command;
  if (nlohmann::json* data = json_fields::Find(doc, "data"); data != nullptr) e.data = std::move(*data);
  if (e.cid.empty() || e.provhash.empty()) return Unauthorized("'cid' and 'provhash' are required");
  return e;
}

}  // namespace dirbridge::custom_api
