#include "provision/group_directory.h"

#include <set>

#include "core/json_input.h"
#include "core/timestamp.h"
#include "provision/event_log.h"
#include "provision/page_hints.h"
#include "provision/resource_ids.h"
#include "provision/user_directory.h"
#include "store/counter.h"
#include "store/key_layout.h"
#include "store/record_text.h"
#include "store/transaction.h"

namespace dirbridge {

GroupDirectory::GroupDirectory(KvStore& store, Env& env, std::string tenant, ChangeSource source)
    : store_(store), env_(env), tenant_(std::move(tenant)), source_(std::move(source)) {}

Result<std::optional<Group>> GroupDirectory::Load(Transaction& txn, std::string_view id) {
  DB_ASSIGN_OR_RETURN(auto raw, txn.Get(keys::Group(tenant_, id)));
  if (!raw) return std::optional<Group>();
  DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(*raw));
  auto group = GroupFromJson(doc);
  if (!group.ok()) return Internal("stored group " + std::string(id) + " is corrupt: " + group.error().detail);
  return std::optional<Group>(std::move(group).value());
}

LifecycleEvent GroupDirectory::NewEvent(EventType type, const Group& g) {
  LifecycleEvent e;
  e.type = type;
  e.at = FormatRfc3339Millis(env_.NowMillis());
  e.source = source_;
  e.group_id = g.id;
  e.data["displayName"] = g.display_name;
  return e;
}

Status GroupDirectory::StageAddMember(Transaction& txn, const Group& group, const GroupMember& member, bool* changed) {
  DB_ASSIGN_OR_RETURN(auto user, txn.Get(keys::User(tenant_, member.user_id)));
  if (!user) {
    return InvalidInput("member '" + member.user_id + "' is not a user of this tenant", "invalidValue");
  }
  const std::string key = keys::Member(tenant_, group.id, member.user_id);
  DB_ASSIGN_OR_RETURN(auto existing, txn.Get(key));
  nlohmann::json value = nlohmann::json::object();
  if (!member.display.empty()) value["display"] = member.display;
  if (existing) {
    // Already a member: refresh a changed display, but it is no membership change.
    if (!member.display.empty() && *existing != value.dump()) txn.Put(key, value.dump());
    return Status::Ok();
  }
  txn.Put(key, value.dump());
  txn.Put(keys::MemberOf(tenant_, member.user_id, group.id), "");
  auto event = NewEvent(EventType::kGroupMemberAdded, group);
  event.user_id = member.user_id;
  DB_RETURN_IF_ERROR(EventLog(txn, tenant_).Append(event));
  *changed = true;
  return Status::Ok();
}

Status GroupDirectory::StageRemoveMember(Transaction& txn, const Group& group, std::string_view user_id,
                                         bool* changed) {
  const std::string key = keys::Member(tenant_, group.id, user_id);
  DB_ASSIGN_OR_RETURN(auto existing, txn.Get(key));
  if (!existing) return Status::Ok();
  txn.Delete(key);
  txn.Delete(keys::MemberOf(tenant_, user_id, group.id));
  auto event = NewEvent(EventType::kGroupMemberRemoved, group);
  event.user_id = std::string(user_id);
  DB_RETURN_IF_ERROR(EventLog(txn, tenant_).Append(event));
  *changed = true;
  return Status::Ok();
}

Result<Group> GroupDirectory::Create(Group group, const std::vector<GroupMember>& members) {
  Transaction txn(store_);
  group.id = NewResourceId(env_);
  const std::string now = FormatRfc3339Millis(env_.NowMillis());
  group.meta = ResourceMeta{now, now, 1};
  txn.Put(keys::Group(tenant_, group.id), EncodeRecordText(GroupToJson(group), group.meta));
  txn.Put(keys::GroupNameIndex(tenant_, group.display_name, group.id), "");
  if (!group.external_id.empty()) txn.Put(keys::GroupExternalIdIndex(tenant_, group.external_id), group.id);
  DB_RETURN_IF_ERROR(AddToCounter(txn, keys::GroupCount(tenant_), 1).status());
  DB_RETURN_IF_ERROR(BumpCollectionGeneration(txn, tenant_, "groups"));
  auto event = NewEvent(EventType::kGroupCreated, group);
  DB_RETURN_IF_ERROR(EventLog(txn, tenant_).Append(event));
  bool changed = false;
  for (const auto& m : members) DB_RETURN_IF_ERROR(StageAddMember(txn, group, m, &changed));
  DB_RETURN_IF_ERROR(txn.Commit());
  return group;
}

Result<Group> GroupDirectory::Get(std::string_view id) {
  Transaction txn(store_);
  DB_ASSIGN_OR_RETURN(auto group, Load(txn, id));
  if (!group) return NotFound("no group with id '" + std::string(id) + "'");
  return std::move(*group);
}

Result<std::vector<Group>> GroupDirectory::FindByDisplayName(std::string_view name, std::size_t limit) {
  std::vector<Group> out;
  DB_ASSIGN_OR_RETURN(auto entries, store_.List(keys::GroupNameIndexPrefix(tenant_, name), "", limit));
  Transaction txn(store_);
  for (const auto& e : entries) {
    DB_ASSIGN_OR_RETURN(auto group, Load(txn, keys::LastSegment(e.key)));
    if (group) out.push_back(std::move(*group));
  }
  return out;
}

Result<std::vector<Group>> GroupDirectory::FindByExternalId(std::string_view external_id) {
  std::vector<Group> out;
  DB_ASSIGN_OR_RETURN(auto id, store_.Get(keys::GroupExternalIdIndex(tenant_, external_id)));
  if (!id) return out;
  Transaction txn(store_);
  DB_ASSIGN_OR_RETURN(auto group, Load(txn, *id));
  if (group && group->external_id == external_id) out.push_back(std::move(*group));
  return out;
}

Result<GroupPage> GroupDirectory::List(std::string_view cursor, std::size_t limit) {
  GroupPage page;
  const std::string start_after = cursor.empty() ? std::string() : keys::Group(tenant_, cursor);
  DB_ASSIGN_OR_RETURN(auto entries, store_.List(keys::GroupPrefix(tenant_), start_after, limit));
  for (const auto& e : entries) {
    DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(e.value));
    auto group = GroupFromJson(doc);
    if (!group.ok()) return Internal("stored group is corrupt: " + group.error().detail);
    page.groups.push_back(std::move(group).value());
  }
  if (entries.size() == limit && !page.groups.empty()) page.next_cursor = page.groups.back().id;
  return page;
}

Result<MemberPage> GroupDirectory::ListMembers(std::string_view group_id, std::string_view cursor, std::size_t limit) {
  MemberPage page;
  const std::string start_after = cursor.empty() ? std::string() : keys::Member(tenant_, group_id, cursor);
  DB_ASSIGN_OR_RETURN(auto entries, store_.List(keys::MemberPrefix(tenant_, group_id), start_after, limit));
  for (const auto& e : entries) {
    GroupMember m;
    m.user_id = std::string(keys::LastSegment(e.key));
    auto value = nlohmann::json::parse(e.value, nullptr, false);
    if (value.is_object()) {
      if (auto d = value.find("display"); d != value.end() && d->is_string()) m.display = d->get<std::string>();
    }
    page.members.push_back(std::move(m));
  }
  if (entries.size() == limit && !page.members.empty()) page.next_cursor = page.members.back().user_id;
  return page;
}

Result<bool> GroupDirectory::IsMember(std::string_view group_id, std::string_view user_id) {
  DB_ASSIGN_OR_RETURN(auto v, store_.Get(keys::Member(tenant_, group_id, user_id)));
  return v.has_value();
}

Result<Group> GroupDirectory::Update(std::string_view id, const std::optional<Group>& attributes,
                                     const MemberChanges& changes, std::optional<uint64_t> expected_version) {
  Transaction txn(store_);
  DB_ASSIGN_OR_RETURN(auto current, Load(txn, id));
  if (!current) return NotFound("no group with id '" + std::string(id) + "'");
  DB_RETURN_IF_ERROR(CheckVersion(expected_version, current->meta.version));
  Group updated = *current;
  bool changed = false;

  if (attributes) {
    if (attributes->display_name != current->display_name) {
      txn.Delete(keys::GroupNameIndex(tenant_, current->display_name, current->id));
      txn.Put(keys::GroupNameIndex(tenant_, attributes->display_name, current->id), "");
      updated.display_name = attributes->display_name;
      changed = true;
    }
    if (attributes->external_id != current->external_id) {
      if (!current->external_id.empty()) txn.Delete(keys::GroupExternalIdIndex(tenant_, current->external_id));
      if (!attributes->external_id.empty()) {
        txn.Put(keys::GroupExternalIdIndex(tenant_, attributes->external_id), current->id);
      }
      updated.external_id = attributes->external_id;
      changed = true;
    }
    if (changed) {
      auto event = NewEvent(EventType::kGroupUpdated, updated);
      DB_RETURN_IF_ERROR(EventLog(txn, tenant_).Append(event));
    }
  }

  std::set<std::string> keep;  // with remove_all: members that are re-added stay, without churn
  if (changes.remove_all) {
    for (const auto& m : changes.add) keep.insert(m.user_id);
    std::string cursor;
    for (;;) {
      DB_ASSIGN_OR_RETURN(auto page, txn.List(keys::MemberPrefix(tenant_, current->id), cursor, 500));
      for (const auto& e : page) {
        const std::string user_id(keys::LastSegment(e.key));
        if (!keep.count(user_id)) DB_RETURN_IF_ERROR(StageRemoveMember(txn, updated, user_id, &changed));
      }
      if (page.size() < 500) break;
      cursor = page.back().key;
    }
  }
  for (const auto& user_id : changes.remove) DB_RETURN_IF_ERROR(StageRemoveMember(txn, updated, user_id, &changed));
  for (const auto& m : changes.add) DB_RETURN_IF_ERROR(StageAddMember(txn, updated, m, &changed));

  if (!changed) return *current;
  updated.meta.version = current->meta.version + 1;
  updated.meta.last_modified = FormatRfc3339Millis(env_.NowMillis());
  txn.Put(keys::Group(tenant_, updated.id), EncodeRecordText(GroupToJson(updated), updated.meta));
  DB_RETURN_IF_ERROR(txn.Commit());
  return updated;
}

Status GroupDirectory::Delete(std::string_view id, std::optional<uint64_t> expected_version) {
  Transaction txn(store_);
  DB_ASSIGN_OR_RETURN(auto current, Load(txn, id));
  if (!current) return NotFound("no group with id '" + std::string(id) + "'");
  DB_RETURN_IF_ERROR(CheckVersion(expected_version, current->meta.version));
  txn.Delete(keys::Group(tenant_, current->id));
  txn.Delete(keys::GroupNameIndex(tenant_, current->display_name, current->id));
  if (!current->external_id.empty()) txn.Delete(keys::GroupExternalIdIndex(tenant_, current->external_id));
  std::string cursor;
  for (;;) {
    DB_ASSIGN_OR_RETURN(auto page, txn.List(keys::MemberPrefix(tenant_, current->id), cursor, 500));
    for (const auto& e : page) {
      txn.Delete(e.key);
      txn.Delete(keys::MemberOf(tenant_, keys::LastSegment(e.key), current->id));
    }
    if (page.size() < 500) break;
    cursor = page.back().key;
  }
  DB_RETURN_IF_ERROR(AddToCounter(txn, keys::GroupCount(tenant_), -1).status());
  DB_RETURN_IF_ERROR(BumpCollectionGeneration(txn, tenant_, "groups"));
  auto event = NewEvent(EventType::kGroupDeleted, *current);
  DB_RETURN_IF_ERROR(EventLog(txn, tenant_).Append(event));
  return txn.Commit();
}

Status GroupDirectory::StageUserRemoval(Transaction& txn, std::string_view user_id) {
  std::string cursor;
  const std::string now = FormatRfc3339Millis(env_.NowMillis());
  for (;;) {
    DB_ASSIGN_OR_RETURN(auto page, txn.List(keys::MemberOfPrefix(tenant_, user_id), cursor, 500));
    for (const auto& e : page) {
      DB_ASSIGN_OR_RETURN(auto group, Load(txn, keys::LastSegment(e.key)));
      if (!group) {  // a dangling reverse key: drop it
        txn.Delete(e.key);
        continue;
      }
      bool changed = false;
      DB_RETURN_IF_ERROR(StageRemoveMember(txn, *group, user_id, &changed));
      group->meta.version += 1;
      group->meta.last_modified = now;
      txn.Put(keys::Group(tenant_, group->id), EncodeRecordText(GroupToJson(*group), group->meta));
    }
    if (page.size() < 500) break;
    cursor = page.back().key;
  }
  return Status::Ok();
}

Result<uint64_t> GroupDirectory::Count() { return ReadCounter(store_, keys::GroupCount(tenant_)); }

Result<std::vector<std::string>> GroupDirectory::ListIds(std::string_view cursor, std::size_t limit) {
  const std::string start_after = cursor.empty() ? std::string() : keys::Group(tenant_, cursor);
  DB_ASSIGN_OR_RETURN(auto entries, store_.List(keys::GroupPrefix(tenant_), start_after, limit));
  std::vector<std::string> ids;
  ids.reserve(entries.size());
  for (const auto& e : entries) ids.emplace_back(keys::LastSegment(e.key));
  return ids;
}

}  // namespace dirbridge
