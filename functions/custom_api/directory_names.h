// Users and groups by the names the LastPass API speaks: a user is its userName
// (case-insensitive, the engine's unique index), a group its displayName (the first
// group of that name, case-insensitive). Missing groups named by batchadd or
// batchchangegrp's add are created through the engine.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "model/group.h"
#include "model/user.h"
#include "provision/directory.h"

namespace dirbridge::custom_api {

Result<std::optional<User>> FindUserByName(Directory& directory, std::string_view username);
// 404 naming the username when there is no such user.
Result<User> UserNamed(Directory& directory, std::string_view username);
Result<std::optional<Group>> FindGroupByName(Directory& directory, std::string_view name);
Result<Group> FindOrCreateGroup(Directory& directory, const std::string& name);

}  // namespace dirbridge::custom_api
