// batchadd and batchchangegrp (commands.h).
#include <set>

#include "batchadd_fields.h"
#include "commands.h"
#include "directory_names.h"
#include "provision/record_limits.h"

namespace dirbridge::custom_api {
namespace {

Status CheckGroupNames(const std::vector<std::string>& names) {
  for (const auto& name : names) {
    Group g;
    g.display_name = name;
    DB_RETURN_IF_ERROR(CheckGroupLimits(g));
  }
  return Status::Ok();
}

// Adds the user to each named group (created when missing).
Status JoinGroups(Directory& directory, ItemCommands& commands, const User& user,
                  const std::vector<std::string>& names) {
  for (const auto& name : names) {
    DB_ASSIGN_OR_RETURN(auto group, commands.Run(FindOrCreateGroup(directory, name)));
    MembershipChange change;
    change.add.push_back(MemberRef{user.id, user.user_name});
    DB_RETURN_IF_ERROR(commands.Run(directory.ChangeMembership(group.id, std::move(change), std::nullopt).status()));
  }
  return Status::Ok();
}

Status AddOne(Directory& directory, const BatchAddItem& item, std::set<std::string>* ignored) {
  DB_RETURN_IF_ERROR(CheckGroupNames(item.groups));
  DB_ASSIGN_OR_RETURN(auto existing, FindUserByName(directory, item.username));
  ItemCommands commands;
  User user;
  if (existing) {
    auto edit = [&](User& u) {
      ApplyBatchAddItem(item, u, ignored);
      return Status::Ok();
    };
    DB_ASSIGN_OR_RETURN(user, commands.Run(directory.UpdateUser(existing->id, edit, std::nullopt)));
  } else {
    ApplyBatchAddItem(item, user, ignored);
    DB_ASSIGN_OR_RETURN(user, commands.Run(directory.CreateUser(std::move(user))));
  }
  return JoinGroups(directory, commands, user, item.groups);
}

Status ChangeGroupsOfOne(Directory& directory, const GroupChangeItem& item) {
  DB_RETURN_IF_ERROR(CheckGroupNames(item.add));
  DB_ASSIGN_OR_RETURN(auto user, UserNamed(directory, item.username));
  // The groups to leave are looked up before anything is written.
  std::vector<std::string> leave;
  for (const auto& name : item.del) {
    DB_ASSIGN_OR_RETURN(auto group, FindGroupByName(directory, name));
    if (group) leave.push_back(group->id);
  }
  ItemCommands commands;
  for (const auto& group_id : leave) {
    MembershipChange change;
    change.remove.push_back(user.id);
    DB_RETURN_IF_ERROR(commands.Run(directory.ChangeMembership(group_id, std::move(change), std::nullopt).status()));
  }
  return JoinGroups(directory, commands, user, item.add);
}

}  // namespace

Status RunBatchAdd(Directory& directory, const ParsedItems<BatchAddItem>& items, Answer& answer) {
  std::set<std::string> ignored;
  DB_RETURN_IF_ERROR(ForEachItem(items, answer, [&](const BatchAddItem& item) { return AddOne(directory, item, &ignored); }));
  if (!ignored.empty()) answer.body()["ignored_attributes"] = ignored;
  return Status::Ok();
}

Status RunBatchChangeGroups(Directory& directory, const ParsedItems<GroupChangeItem>& items, Answer& answer) {
  return ForEachItem(items, answer, [&](const GroupChangeItem& item) { return ChangeGroupsOfOne(directory, item); });
}

}  // namespace dirbridge::custom_api
