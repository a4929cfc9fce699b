// Directory: the group and membership commands (provision/directory.h). A group
// record never holds its members (provision/membership_staging.h).
#include "core/timestamp.h"
#include "provision/directory.h"
#include "provision/event_log.h"
#include "provision/membership_staging.h"
#include "provision/record_limits.h"
#include "provision/resource_ids.h"
#include "provision/stored_records.h"
#include "store/counter.h"
#include "store/key_layout.h"
#include "store/transaction.h"

namespace dirbridge {
namespace {

LifecycleEvent GroupEvent(EventType type, const Group& g, const ChangeSource& source, Env& env) {
  auto e = NewEvent(type, source, env);
  e.group_id = g.id;
  e.data["displayName"] = g.display_name;
  return e;
}

// Moves the index keys of displayName and externalId from `before` to `after`.
// Returns whether an attribute changed.
bool RestageGroupIndexes(Transaction& txn, std::string_view tenant, const Group& before, const Group& after) {
  bool changed = false;
  if (after.display_name != before.display_name) {
    txn.Delete(keys::GroupNameIndex(tenant, before.display_name, before.id));
    txn.Put(keys::GroupNameIndex(tenant, after.display_name, after.id), "");
    changed = true;
  }
  if (after.external_id != before.external_id) {
    if (!before.external_id.empty()) txn.Delete(keys::GroupExternalIdIndex(tenant, before.external_id, before.id));
    if (!after.external_id.empty()) txn.Put(keys::GroupExternalIdIndex(tenant, after.external_id, after.id), "");
    changed = true;
  }
  return changed;
}

}  // namespace

Result<Group> Directory::CreateGroup(Group group, const std::vector<MemberRef>& members) {
  DB_RETURN_IF_ERROR(CheckGroupLimits(group));
  Transaction txn(store_);
  group.id = NewResourceId(env_);
  const std::string now = FormatRfc3339Millis(env_.NowMillis());
  group.meta = ResourceMeta{now, now, 1};
  DB_RETURN_IF_ERROR(stored::PutGroup(txn, tenant_, group));
  txn.Put(keys::GroupNameIndex(tenant_, group.display_name, group.id), "");
  if (!group.external_id.empty()) txn.Put(keys::GroupExternalIdIndex(tenant_, group.external_id, group.id), "");
  DB_RETURN_IF_ERROR(AddToCounter(txn, keys::GroupCount(tenant_), 1).status());
  DB_RETURN_IF_ERROR(AddToCounter(txn, keys::CollectionGeneration(tenant_, "groups"), 1).status());
  auto event = GroupEvent(EventType::kGroupCreated, group, source_, env_);
  DB_RETURN_IF_ERROR(EventLog(txn, env_, tenant_).Append(event));
  MembershipChange initial;
  initial.add = members;
  bool changed = false;
  DB_RETURN_IF_ERROR((MembershipStaging{txn, tenant_, source_, env_}.Apply(group, initial, &changed)));
  DB_RETURN_IF_ERROR(txn.Commit());
  return group;
}

Result<Group> Directory::GetGroup(std::string_view id) {
  Transaction txn(store_);
  DB_ASSIGN_OR_RETURN(auto group, stored::LoadGroup(txn, tenant_, id));
  if (!group) return NotFound("no group with id '" + std::string(id) + "'");
  return std::move(*group);
}

Result<Group> Directory::UpdateGroup(std::string_view id, const GroupEdit& edit,
                                     std::optional<uint64_t> expected_version) {
  Transaction txn(store_);
  DB_ASSIGN_OR_RETURN(auto current, stored::LoadGroup(txn, tenant_, id));
  if (!current) return NotFound("no group with id '" + std::string(id) + "'");
  DB_RETURN_IF_ERROR(stored::CheckVersion(expected_version, current->meta.version));
  Group next = *current;
  MembershipChange members;
  DB_RETURN_IF_ERROR(edit(next, members));
  next.id = current->id;
  next.meta = current->meta;
  DB_RETURN_IF_ERROR(CheckGroupLimits(next));

  bool changed = RestageGroupIndexes(txn, tenant_, *current, next);
  if (changed) {
    auto event = GroupEvent(EventType::kGroupUpdated, next, source_, env_);
    DB_RETURN_IF_ERROR(EventLog(txn, env_, tenant_).Append(event));
  }
  DB_RETURN_IF_ERROR((MembershipStaging{txn, tenant_, source_, env_}.Apply(next, members, &changed)));
  if (!changed) return *current;
  next.meta.version = current->meta.version + 1;
  next.meta.last_modified = FormatRfc3339Millis(env_.NowMillis());
  DB_RETURN_IF_ERROR(stored::PutGroup(txn, tenant_, next));
  DB_RETURN_IF_ERROR(txn.Commit());
  return next;
}

Result<Group> Directory::RenameGroup(std::string_view id, std::string display_name,
                                     std::optional<uint64_t> expected_version) {
  return UpdateGroup(
      id,
      [&display_name](Group& g, MembershipChange&) {
        g.display_name = std::move(display_name);
        return Status::Ok();
      },
      expected_version);
}

Result<Group> Directory::ChangeMembership(std::string_view id, MembershipChange change,
                                          std::optional<uint64_t> expected_version) {
  return UpdateGroup(
      id,
      [&change](Group&, MembershipChange& members) {
        members = std::move(change);
        return Status::Ok();
      },
      expected_version);
}

Status Directory::DeleteGroup(std::string_view id, std::optional<uint64_t> expected_version) {
  Transaction txn(store_);
  DB_ASSIGN_OR_RETURN(auto current, stored::LoadGroup(txn, tenant_, id));
  if (!current) return NotFound("no group with id '" + std::string(id) + "'");
  DB_RETURN_IF_ERROR(stored::CheckVersion(expected_version, current->meta.version));
  txn.Delete(keys::Group(tenant_, current->id));
  txn.Delete(keys::GroupNameIndex(tenant_, current->display_name, current->id));
  if (!current->external_id.empty()) {
    txn.Delete(keys::GroupExternalIdIndex(tenant_, current->external_id, current->id));
  }
  std::string after;
  for (;;) {
    DB_ASSIGN_OR_RETURN(auto page, txn.List(keys::MemberPrefix(tenant_, current->id), after, 500));
    for (const auto& e : page) {
      txn.Delete(e.key);
      txn.Delete(keys::MemberOf(tenant_, keys::LastSegment(e.key), current->id));
    }
    if (page.size() < 500) break;
    after = page.back().key;
  }
  DB_RETURN_IF_ERROR(AddToCounter(txn, keys::GroupCount(tenant_), -1).status());
  DB_RETURN_IF_ERROR(AddToCounter(txn, keys::CollectionGeneration(tenant_, "groups"), 1).status());
  auto event = GroupEvent(EventType::kGroupDeleted, *current, source_, env_);
  DB_RETURN_IF_ERROR(EventLog(txn, env_, tenant_).Append(event));
  return txn.Commit();
}

Result<std::vector<Group>> Directory::FindGroups(GroupIndex index, std::string_view value, std::size_t limit) {
  std::vector<Group> out;
  if (limit == 0) return out;
  Transaction txn(store_);
  auto load_into_out = [&](std::string_view id) -> Status {
    DB_ASSIGN_OR_RETURN(auto group, stored::LoadGroup(txn, tenant_, id));
    if (group) out.push_back(std::move(*group));
    return Status::Ok();
  };
  switch (index) {
    case GroupIndex::kId:
      DB_RETURN_IF_ERROR(load_into_out(value));
      break;
    case GroupIndex::kDisplayName:
    case GroupIndex::kExternalId: {
      const std::string prefix = index == GroupIndex::kDisplayName ? keys::GroupNameIndexPrefix(tenant_, value)
                                                                   : keys::GroupExternalIdIndexPrefix(tenant_, value);
      DB_ASSIGN_OR_RETURN(auto entries, store_.List(prefix, "", limit));
      for (const auto& e : entries) DB_RETURN_IF_ERROR(load_into_out(keys::LastSegment(e.key)));
      break;
    }
  }
  return out;
}

Result<Page<MemberRef>> Directory::Members(std::string_view group_id, std::string_view after, std::size_t limit) {
  Page<MemberRef> page;
  const std::string start_after = after.empty() ? std::string() : keys::Member(tenant_, group_id, after);
  DB_ASSIGN_OR_RETURN(auto entries, store_.List(keys::MemberPrefix(tenant_, group_id), start_after, limit));
  for (const auto& e : entries) {
    MemberRef m;
    m.user_id = std::string(keys::LastSegment(e.key));
    auto value = nlohmann::json::parse(e.value, nullptr, false);
    if (value.is_object()) {
      if (auto d = value.find("display"); d != value.end() && d->is_string()) m.display = d->get<std::string>();
    }
    page.items.push_back(std::move(m));
  }
  if (entries.size() == limit && !page.items.empty()) page.next_cursor = page.items.back().user_id;
  return page;
}

Result<Page<std::string>> Directory::GroupsOf(std::string_view user_id, std::string_view after, std::size_t limit) {
  Page<std::string> page;
  const std::string start_after = after.empty() ? std::string() : keys::MemberOf(tenant_, user_id, after);
  DB_ASSIGN_OR_RETURN(auto entries, store_.List(keys::MemberOfPrefix(tenant_, user_id), start_after, limit));
  for (const auto& e : entries) page.items.emplace_back(keys::LastSegment(e.key));
  if (entries.size() == limit && !page.items.empty()) page.next_cursor = page.items.back();
  return page;
}

}  // namespace dirbridge
