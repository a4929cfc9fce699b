#include "directory_names.h"

#include "remote/oauth_calls.h"

namespace dirbridge::custom_api {

Result<std::optional<User>> FindUserByName(Directory& directory, std::string_view username) {
  DB_ASSIGN_OR_RETURN(auto found, directory.FindUsers(UserIndex::kUserName, username, 1));
  if (found.empty()) return std::optional<User>();
  return std::optional<User>(std::move(found.front()));
}

Result<User> UserNamed(Directory& directory, std::string_view username) {
  DB_ASSIGN_OR_RETURN(auto user, FindUserByName(directory, username));
  if (!user) return NotFound("no user '" + remote::Excerpt(username, 128) + "'");
  return std::move(*user);
}

Result<std::optional<Group>> FindGroupByName(Directory& directory, std::string_view name) {
  DB_ASSIGN_OR_RETURN(auto found, directory.FindGroups(GroupIndex::kDisplayName, name, 1));
  if (found.empty()) return std::optional<Group>();
  return std::optional<Group>(std::move(found.front()));
}

Result<Group> FindOrCreateGroup(Directory& directory, const std::string& name) {
  DB_ASSIGN_OR_RETURN(auto group, FindGroupByName(directory, name));
  if (group) return std::move(*group);
  Group created;
  created.display_name = name;
  return directory.CreateGroup(std::move(created), {});
}

}  // namespace dirbridge::custom_api
