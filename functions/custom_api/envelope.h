// The custom API's request envelope: every call is one JSON object posted to
// /t/{tenant}/enterpriseapi.php, as LastPass's enterpriseapi.php takes it:
//
//   {"cid": <company id>, "provhash": "<provisioning hash>", "cmd": "<command>", "data": ...}
//
// cid is the tenant id here (a string; a number is read as its decimal text, so a
// script that sends LastPass's integer cid is refused like any other wrong cid).
// provhash is the custom connection's provisioning hash (tenancy/provisioning_hash.h).
// A body that is not such an object is refused whole (400), before any credential is
// looked at; lastpass_commands.h reads `data`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace dirbridge::custom_api {

enum class Command { kBatchAdd, kBatchChangeGroups, kDeleteUser, kDisableUser, kEnableUser, kReinviteUser, kGetUserData };

// "batchadd", "batchchangegrp", "deluser", "disableuser", "enableuser", "reinviteuser", "getuserdata".
const char* CommandName(Command command);
std::optional<Command> ParseCommand(std::string_view name);

struct Envelope {
  std::string cid;
  std::string provhash;
  Command command = Command::kGetUserData;
  nlohmann::json data;  // null when absent
};

// 400 for a body that is not JSON or not an object, an unknown or missing cmd, a cid or
// provhash of the wrong type; 401 when cid or provhash is missing or empty (the same
// refusal as a wrong one).
Result<Envelope> ParseEnvelope(std::string_view body);

}  // namespace dirbridge::custom_api
