#include "getuserdata.h"

#include <map>

#include "directory_names.h"
#include "remote/oauth_calls.h"

namespace dirbridge::custom_api {
namespace {

using nlohmann::json;

// Builds "Users" and "Groups", reading each group's name once per call.
class UserDataWriter {
 public:
  explicit UserDataWriter(Directory& directory) : directory_(directory) {}

  Status Add(const User& user) {
    DB_ASSIGN_OR_RETURN(auto group_ids, directory_.GroupsOf(user.id, "", kMaxGroupsListedPerUser));
    json names = json::array();
    for (const auto& id : group_ids.items) {
      DB_ASSIGN_OR_RETURN(auto name, GroupName(id));
      if (!name) continue;  // removed meanwhile
      names.push_back(*name);
      json& members = groups_[*name];
      if (!members.is_array()) members = json::array();
      members.push_back(user.user_name);
    }
    users_[user.id] = {{"username", user.user_name},
                       {"fullname", user.display_name.empty() ? user.name.formatted : user.display_name},
                       {"disabled", !user.active},
                       {"created", user.meta.created},
                       {"groups", std::move(names)}};
    return Status::Ok();
  }

  void Write(Answer& answer) {
    answer.body()["Users"] = std::move(users_);
    answer.body()["Groups"] = std::move(groups_);
  }

 private:
  Result<std::optional<std::string>> GroupName(const std::string& id) {
    if (auto it = names_.find(id); it != names_.end()) return std::optional<std::string>(it->second);
    auto group = directory_.GetGroup(id);
    if (!group.ok()) {
      if (group.error().kind == ErrorKind::kNotFound) return std::optional<std::string>();
      return group.error();
    }
    names_[id] = group->display_name;
    return std::optional<std::string>(group->display_name);
  }

  Directory& directory_;
  std::map<std::string, std::string> names_;
  json users_ = json::object();
  json groups_ = json::object();
};

}  // namespace

Status RunGetUserData(Directory& directory, const UserDataQuery& query, Answer& answer) {
  UserDataWriter writer(directory);
  switch (query.kind) {
    case UserDataQuery::Kind::kAdmins:
      break;
    case UserDataQuery::Kind::kUser: {
      DB_ASSIGN_OR_RETURN(auto user, FindUserByName(directory, query.username));
      if (user) {
        DB_RETURN_IF_ERROR(writer.Add(*user));
      } else {
        answer.Error("no user '" + remote::Excerpt(query.username, 128) + "'");
      }
      break;
    }
    case UserDataQuery::Kind::kAll:
    case UserDataQuery::Kind::kDisabled: {
      DB_ASSIGN_OR_RETURN(auto page, directory.Users(query.after, kMaxUsersPerCall));
      for (const auto& user : page.items) {
        if (query.kind == UserDataQuery::Kind::kDisabled && user.active) continue;
        DB_RETURN_IF_ERROR(writer.Add(user));
      }
      if (!page.next_cursor.empty()) answer.body()["next"] = page.next_cursor;
      break;
    }
  }
  writer.Write(answer);
  return Status::Ok();
}

}  // namespace dirbridge::custom_api
