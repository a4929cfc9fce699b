// The provisioning engine for users: applies lifecycle changes to a tenant's
// directory of record. It does not know which source called it (SCIM dialect,
// webhook, custom API or the AD connector all arrive here as canonical Users).
// Each mutating call is one Transaction: the record, its index keys and one event
// in the tenant's log commit together or not at all.
//
// Lookups by userName (case-insensitive, unique), externalId and email go through
// index keys, never a scan.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/env.h"
#include "core/result.h"
#include "model/lifecycle_event.h"
#include "model/user.h"
#include "store/kv_store.h"

namespace dirbridge {

struct UserPage {
  std::vector<User> users;
  std::string next_cursor;  // empty at the end
};

class UserDirectory {
 public:
  UserDirectory(KvStore& store, Env& env, std::string tenant, ChangeSource source);

  // Assigns id and meta; 409 uniqueness when the userName is taken.
  Result<User> Create(User user);
  Result<User> Get(std::string_view id);
  Result<std::optional<User>> FindByUserName(std::string_view user_name);
  Result<std::vector<User>> FindByExternalId(std::string_view external_id);
  Result<std::vector<User>> FindByEmail(std::string_view email, std::size_t limit);
  // Replaces all attributes (id and meta.created are kept). `expected_version`, when
  // set, must equal the stored version (If-Match), else 412.
  Result<User> Replace(std::string_view id, User replacement, std::optional<uint64_t> expected_version);
  // Removes the user, its index keys and its memberships.
  Status Delete(std::string_view id, std::optional<uint64_t> expected_version);
  // Users in creation order, starting after `cursor` (an id; empty = first page).
  Result<UserPage> List(std::string_view cursor, std::size_t limit);
  // Just the ids of the next `limit` records after `cursor`, without reading them:
  // how index paging skips ahead.
  Result<std::vector<std::string>> ListIds(std::string_view cursor, std::size_t limit);
  // The stored records after `cursor`, as text (store/record_text.h), unparsed.
  Result<std::vector<KvEntry>> ListRecords(std::string_view cursor, std::size_t limit);
  // How many users the tenant has (a counter kept in the same batches as the users).
  Result<uint64_t> Count();

 private:
  Result<std::optional<User>> Load(class Transaction& txn, std::string_view id);
  Status CheckUserNameFree(class Transaction& txn, std::string_view user_name, std::string_view own_id);
  void StageIndexes(class Transaction& txn, const User& user);
  void UnstageIndexes(class Transaction& txn, const User& user);
  LifecycleEvent NewEvent(EventType type, const User& user);

  KvStore& store_;
  Env& env_;
  std::string tenant_;
  ChangeSource source_;
};

// 412 when `expected` is set and differs from `actual`.
Status CheckVersion(std::optional<uint64_t> expected, uint64_t actual);

}  // namespace dirbridge
