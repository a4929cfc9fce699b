// The LastPass Enterprise API's commands, as typed values: what each command's `data`
// says, parsed and checked without touching the store (the shapes of
// support.lastpass.com's "... via LastPass API" pages, with the spellings scripts use).
//
//   batchadd        [{username, fullname?, groups?[], attribs? | attributes?{name: string}}]
//                   (password, password_reset_required, duousername, securidusername are
//                   accepted and ignored: a password is never read, zero knowledge)
//   batchchangegrp  [{username, add?[], del?[]}]
//   deluser         {username, deleteaction?} or an array of them; deleteaction 0..3 as a
//                   number or a digit string, 0 when absent
//   disableuser, enableuser, reinviteuser
//                   a list of users: "u", ["u", ...], {username: "u"}, {usernames: [...]}
//                   or [{username: "u"}, ...]
//   getuserdata     {} (every user), {username}, {disabled: 1}, {admin: 1}; dirbridge adds
//                   {after: "<cursor>"} to page on (see getuserdata.h)
//
// A `data` of the wrong shape, or with more items than kMaxItemsPerCall, refuses the whole
// call (nothing applied). Inside a well-shaped list each item is parsed on its own: an
// item that is wrong gets its own error (naming its index and username) and the others
// still run.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "provision/record_limits.h"

namespace dirbridge::custom_api {

// Items (users) one call may name, for every list command.
inline constexpr std::size_t kMaxItemsPerCall = 1000;
// Groups one batchadd or batchchangegrp item may name (add and del together).
inline constexpr std::size_t kMaxGroupsPerItem = kMaxValuesPerAttribute;
// Attributes one batchadd item may carry, and the length of an attribute's name.
inline constexpr std::size_t kMaxAttributesPerItem = 50;
inline constexpr std::size_t kMaxAttributeNameBytes = 128;

// An item of a list, parsed: `item` when it is well-formed, else `error`.
template <typename T>
struct ParsedItem {
  std::size_t index = 0;
  std::string username;  // as sent (untrusted; excerpt it in messages), "" when missing
  std::optional<T> item;
  std::string error;
};
template <typename T>
using ParsedItems = std::vector<ParsedItem<T>>;

struct BatchAddItem {
  std::string username;
  std::optional<std::string> fullname;
  std::vector<std::string> groups;
  std::vector<std::pair<std::string, std::string>> attributes;  // in the order sent
};

struct GroupChangeItem {
  std::string username;
  std::vector<std::string> add;
  std::vector<std::string> del;
};

// LastPass's deleteaction values.
enum class DeleteAction { kDeactivate = 0, kRemoveFromCompany = 1, kDelete = 2, kUninvite = 3 };

struct DeleteItem {
  std::string username;
  DeleteAction action = DeleteAction::kDeactivate;
};

struct UserDataQuery {
  enum class Kind { kAll, kUser, kDisabled, kAdmins };
  Kind kind = Kind::kAll;
  std::string username;  // kUser
  std::string after;     // the cursor of the previous page (kAll, kDisabled)
};

Result<ParsedItems<BatchAddItem>> ParseBatchAdd(const nlohmann::json& data);
Result<ParsedItems<GroupChangeItem>> ParseBatchChangeGroups(const nlohmann::json& data);
Result<ParsedItems<DeleteItem>> ParseDeleteUsers(const nlohmann::json& data);
Result<ParsedItems<std::string>> ParseUsernames(const nlohmann::json& data);
Result<UserDataQuery> ParseUserDataQuery(const nlohmann::json& data);

}  // namespace dirbridge::custom_api
