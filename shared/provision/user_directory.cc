#include "provision/user_directory.h"

#include "core/json_input.h"
#include "core/timestamp.h"
#include "provision/event_log.h"
#include "provision/group_directory.h"
#include "provision/page_hints.h"
#include "provision/resource_ids.h"
#include "store/counter.h"
#include "store/key_layout.h"
#include "store/record_text.h"
#include "store/transaction.h"

namespace dirbridge {

Status CheckVersion(std::optional<uint64_t> expected, uint64_t actual) {
  if (expected && *expected != actual) {
    return Error{ErrorKind::kPreconditionFailed,
                 "resource version is " + std::to_string(actual) + ", not " + std::to_string(*expected), {}};
  }
  return Status::Ok();
}

namespace {
// What the store keeps: the user's SCIM JSON with its schemas (meta is added by
// EncodeRecordText), so a list page can be spliced from the text.
nlohmann::json StoredBody(const User& user) {
  nlohmann::json body = UserToJson(user);
  body["schemas"] = UserSchemas(user);
  return body;
}
}  // namespace

UserDirectory::UserDirectory(KvStore& store, Env& env, std::string tenant, ChangeSource source)
    : store_(store), env_(env), tenant_(std::move(tenant)), source_(std::move(source)) {}

Result<std::optional<User>> UserDirectory::Load(Transaction& txn, std::string_view id) {
  DB_ASSIGN_OR_RETURN(auto raw, txn.Get(keys::User(tenant_, id)));
  if (!raw) return std::optional<User>();
  DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(*raw));
  auto user = UserFromJson(doc);
  if (!user.ok()) return Internal("stored user " + std::string(id) + " is corrupt: " + user.error().detail);
  return std::optional<User>(std::move(user).value());
}

Status UserDirectory::CheckUserNameFree(Transaction& txn, std::string_view user_name, std::string_view own_id) {
  DB_ASSIGN_OR_RETURN(auto holder, txn.Get(keys::UserNameIndex(tenant_, user_name)));
  if (holder && *holder != own_id) {
    return Conflict("userName '" + std::string(user_name) + "' is already taken by another user");
  }
  return Status::Ok();
}

void UserDirectory::StageIndexes(Transaction& txn, const User& u) {
  txn.Put(keys::UserNameIndex(tenant_, u.user_name), u.id);
  if (!u.external_id.empty()) txn.Put(keys::UserExternalIdIndex(tenant_, u.external_id), u.id);
  for (const auto& e : u.emails) {
    if (!e.value.empty()) txn.Put(keys::UserEmailIndex(tenant_, e.value, u.id), "");
  }
}

void UserDirectory::UnstageIndexes(Transaction& txn, const User& u) {
  txn.Delete(keys::UserNameIndex(tenant_, u.user_name));
  if (!u.external_id.empty()) txn.Delete(keys::UserExternalIdIndex(tenant_, u.external_id));
  for (const auto& e : u.emails) {
    if (!e.value.empty()) txn.Delete(keys::UserEmailIndex(tenant_, e.value, u.id));
  }
}

LifecycleEvent UserDirectory::NewEvent(EventType type, const User& u) {
  LifecycleEvent e;
  e.type = type;
  e.at = FormatRfc3339Millis(env_.NowMillis());
  e.source = source_;
  e.user_id = u.id;
  e.data["userName"] = u.user_name;
  if (!u.external_id.empty()) e.data["externalId"] = u.external_id;
  return e;
}

Result<User> UserDirectory::Create(User user) {
  Transaction txn(store_);
  DB_RETURN_IF_ERROR(CheckUserNameFree(txn, user.user_name, ""));
  user.id = NewResourceId(env_);
  const std::string now = FormatRfc3339Millis(env_.NowMillis());
  user.meta = ResourceMeta{now, now, 1};
  txn.Put(keys::User(tenant_, user.id), EncodeRecordText(StoredBody(user), user.meta));
  StageIndexes(txn, user);
  DB_RETURN_IF_ERROR(AddToCounter(txn, keys::UserCount(tenant_), 1).status());
  DB_RETURN_IF_ERROR(BumpCollectionGeneration(txn, tenant_, "users"));
  auto event = NewEvent(EventType::kUserProvisioned, user);
  event.data["active"] = user.active;
  DB_RETURN_IF_ERROR(EventLog(txn, tenant_).Append(event));
  DB_RETURN_IF_ERROR(txn.Commit());
  return user;
}

Result<User> UserDirectory::Get(std::string_view id) {
  Transaction txn(store_);
  DB_ASSIGN_OR_RETURN(auto user, Load(txn, id));
  if (!user) return NotFound("no user with id '" + std::string(id) + "'");
  return std::move(*user);
}

Result<std::optional<User>> UserDirectory::FindByUserName(std::string_view user_name) {
  DB_ASSIGN_OR_RETURN(auto id, store_.Get(keys::UserNameIndex(tenant_, user_name)));
  if (!id) return std::optional<User>();
  Transaction txn(store_);
  return Load(txn, *id);
}

Result<std::vector<User>> UserDirectory::FindByExternalId(std::string_view external_id) {
  std::vector<User> out;
  DB_ASSIGN_OR_RETURN(auto id, store_.Get(keys::UserExternalIdIndex(tenant_, external_id)));
  if (!id) return out;
  Transaction txn(store_);
  DB_ASSIGN_OR_RETURN(auto user, Load(txn, *id));
  // The index is exact; externalId is caseExact, so re-check the stored value.
  if (user && user->external_id == external_id) out.push_back(std::move(*user));
  return out;
}

Result<std::vector<User>> UserDirectory::FindByEmail(std::string_view email, std::size_t limit) {
  std::vector<User> out;
  DB_ASSIGN_OR_RETURN(auto entries, store_.List(keys::UserEmailIndexPrefix(tenant_, email), "", limit));
  Transaction txn(store_);
  for (const auto& e : entries) {
    DB_ASSIGN_OR_RETURN(auto user, Load(txn, keys::LastSegment(e.key)));
    if (user) out.push_back(std::move(*user));
  }
  return out;
}

Result<User> UserDirectory::Replace(std::string_view id, User replacement, std::optional<uint64_t> expected_version) {
  Transaction txn(store_);
  DB_ASSIGN_OR_RETURN(auto current, Load(txn, id));
  if (!current) return NotFound("no user with id '" + std::string(id) + "'");
  DB_RETURN_IF_ERROR(CheckVersion(expected_version, current->meta.version));
  DB_RETURN_IF_ERROR(CheckUserNameFree(txn, replacement.user_name, current->id));
  replacement.id = current->id;
  replacement.meta = current->meta;
  if (UserToJson(replacement) == UserToJson(*current)) return *current;  // nothing changed: no event

  replacement.meta.version = current->meta.version + 1;
  replacement.meta.last_modified = FormatRfc3339Millis(env_.NowMillis());
  UnstageIndexes(txn, *current);
  StageIndexes(txn, replacement);
  txn.Put(keys::User(tenant_, replacement.id), EncodeRecordText(StoredBody(replacement), replacement.meta));

  EventType type = EventType::kUserUpdated;
  if (current->active && !replacement.active) type = EventType::kUserSuspended;
  if (!current->active && replacement.active) type = EventType::kUserReactivated;
  auto event = NewEvent(type, replacement);
  event.data["version"] = replacement.meta.version;
  DB_RETURN_IF_ERROR(EventLog(txn, tenant_).Append(event));
  DB_RETURN_IF_ERROR(txn.Commit());
  return replacement;
}

Status UserDirectory::Delete(std::string_view id, std::optional<uint64_t> expected_version) {
  Transaction txn(store_);
  DB_ASSIGN_OR_RETURN(auto current, Load(txn, id));
  if (!current) return NotFound("no user with id '" + std::string(id) + "'");
  DB_RETURN_IF_ERROR(CheckVersion(expected_version, current->meta.version));
  UnstageIndexes(txn, *current);
  txn.Delete(keys::User(tenant_, current->id));
  // Memberships end with the user, each as a change of its group (event, version).
  DB_RETURN_IF_ERROR(GroupDirectory(store_, env_, tenant_, source_).StageUserRemoval(txn, current->id));
  DB_RETURN_IF_ERROR(AddToCounter(txn, keys::UserCount(tenant_), -1).status());
  DB_RETURN_IF_ERROR(BumpCollectionGeneration(txn, tenant_, "users"));
  auto event = NewEvent(EventType::kUserDeprovisioned, *current);
  DB_RETURN_IF_ERROR(EventLog(txn, tenant_).Append(event));
  return txn.Commit();
}

Result<uint64_t> UserDirectory::Count() { return ReadCounter(store_, keys::UserCount(tenant_)); }

Result<UserPage> UserDirectory::List(std::string_view cursor, std::size_t limit) {
  UserPage page;
  const std::string prefix = keys::UserPrefix(tenant_);
  const std::string start_after = cursor.empty() ? std::string() : keys::User(tenant_, cursor);
  DB_ASSIGN_OR_RETURN(auto entries, store_.List(prefix, start_after, limit));
  for (const auto& e : entries) {
    DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(e.value));
    auto user = UserFromJson(doc);
    if (!user.ok()) return Internal("stored user is corrupt: " + user.error().detail);
    page.users.push_back(std::move(user).value());
  }
  if (entries.size() == limit && !page.users.empty()) page.next_cursor = page.users.back().id;
  return page;
}

Result<std::vector<KvEntry>> UserDirectory::ListRecords(std::string_view cursor, std::size_t limit) {
  const std::string start_after = cursor.empty() ? std::string() : keys::User(tenant_, cursor);
  return store_.List(keys::UserPrefix(tenant_), start_after, limit);
}

Result<std::vector<std::string>> UserDirectory::ListIds(std::string_view cursor, std::size_t limit) {
  const std::string start_after = cursor.empty() ? std::string() : keys::User(tenant_, cursor);
  DB_ASSIGN_OR_RETURN(auto entries, store_.List(keys::UserPrefix(tenant_), start_after, limit));
  std::vector<std::string> ids;
  ids.reserve(entries.size());
  for (const auto& e : entries) ids.emplace_back(keys::LastSegment(e.key));
  return ids;
}

}  // namespace dirbridge
