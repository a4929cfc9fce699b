// deluser, disableuser / enableuser and reinviteuser (commands.h).
#include "commands.h"
#include "directory_names.h"

namespace dirbridge::custom_api {
namespace {

using nlohmann::json;

Status EndMemberships(Directory& directory, ItemCommands& commands, const User& user,
                      const std::vector<std::string>& group_ids) {
  for (const auto& group_id : group_ids) {
    MembershipChange change;
    change.remove.push_back(user.id);
    DB_RETURN_IF_ERROR(commands.Run(directory.ChangeMembership(group_id, std::move(change), std::nullopt).status()));
  }
  return Status::Ok();
}

Status DeleteOne(Directory& directory, const DeleteItem& item) {
  DB_ASSIGN_OR_RETURN(auto user, UserNamed(directory, item.username));
  ItemCommands commands;
  switch (item.action) {
    case DeleteAction::kDeactivate:
      return directory.SetUserActive(user.id, false, std::nullopt).status();
    case DeleteAction::kRemoveFromCompany: {
      DB_ASSIGN_OR_RETURN(auto groups, directory.GroupsOf(user.id, "", kMaxMembershipsEndedPerUser + 1));
      if (groups.items.size() > kMaxMembershipsEndedPerUser) {
        return InvalidInput("the user is a member of more than " + std::to_string(kMaxMembershipsEndedPerUser) +
                            " groups, more than deleteaction 1 ends in one call; use deleteaction 2 (delete)");
      }
      DB_RETURN_IF_ERROR(commands.Run(directory.SetUserActive(user.id, false, std::nullopt).status()));
      return EndMemberships(directory, commands, user, groups.items);
    }
    case DeleteAction::kDelete:
      return directory.DeleteUser(user.id, std::nullopt);
    case DeleteAction::kUninvite:
      if (user.active) {
        return Conflict("the user is active; deleteaction 3 (uninvite) only removes a user who is not active: "
                        "disable the user first, or use deleteaction 2 (delete)",
                        "mutability");
      }
      return directory.DeleteUser(user.id, std::nullopt);
  }
  return InvalidInput("unknown deleteaction");
}

}  // namespace

Status RunDeleteUsers(Directory& directory, const ParsedItems<DeleteItem>& items, Answer& answer) {
  return ForEachItem(items, answer, [&](const DeleteItem& item) { return DeleteOne(directory, item); });
}

Status RunSetActive(Directory& directory, const ParsedItems<std::string>& usernames, bool active, Answer& answer) {
  json changed = json::array();
  json unchanged = json::array();
  DB_RETURN_IF_ERROR(ForEachItem(usernames, answer, [&](const std::string& username) -> Status {
    DB_ASSIGN_OR_RETURN(auto user, UserNamed(directory, username));
    if (user.active == active) {
      unchanged.push_back(user.user_name);
      return Status::Ok();
    }
    DB_RETURN_IF_ERROR(directory.SetUserActive(user.id, active, std::nullopt).status());
    changed.push_back(user.user_name);
    return Status::Ok();
  }));
  answer.body()[active ? "enabled_users" : "disabled_users"] = std::move(changed);
  answer.body()["unchanged_users"] = std::move(unchanged);
  return Status::Ok();
}

Status RunReinvite(Directory& directory, const ParsedItems<std::string>& usernames, Answer& answer) {
  json reinvited = json::array();
  DB_RETURN_IF_ERROR(ForEachItem(usernames, answer, [&](const std::string& username) -> Status {
    DB_ASSIGN_OR_RETURN(auto user, UserNamed(directory, username));
    DB_RETURN_IF_ERROR(directory.RequestReinvite(user.id));
    reinvited.push_back(user.user_name);
    return Status::Ok();
  }));
  answer.body()["reinvited_users"] = std::move(reinvited);
  return Status::Ok();
}

}  // namespace dirbridge::custom_api
