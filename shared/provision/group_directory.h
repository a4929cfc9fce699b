// The provisioning engine for groups and memberships. A group record never holds
// its members: each membership is a pair of keys (group -> user and user -> group),
// so adding or removing one member of a 50,000-member group costs O(1) store
// operations: read the group, check the user, write two keys, bump the group's
// version, append one event. Like UserDirectory, each call is one atomic batch.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/env.h"
#include "core/result.h"
#include "model/group.h"
#include "model/lifecycle_event.h"
#include "store/kv_store.h"

namespace dirbridge {

class Transaction;

struct GroupMember {
  std::string user_id;
  std::string display;  // as the IdP sent it, echoed back; never trusted for anything
};

struct GroupPage {
  std::vector<Group> groups;
  std::string next_cursor;
};

struct MemberPage {
  std::vector<GroupMember> members;
  std::string next_cursor;
};

// A change to a group's members, as PATCH or PUT expresses it.
struct MemberChanges {
  std::vector<GroupMember> add;
  std::vector<std::string> remove;
  bool remove_all = false;  // applied before `add`: a replace of the whole set
};

class GroupDirectory {
 public:
  GroupDirectory(KvStore& store, Env& env, std::string tenant, ChangeSource source);

  Result<Group> Create(Group group, const std::vector<GroupMember>& members);
  Result<Group> Get(std::string_view id);
  Result<std::vector<Group>> FindByDisplayName(std::string_view display_name, std::size_t limit);
  Result<std::vector<Group>> FindByExternalId(std::string_view external_id);
  Result<GroupPage> List(std::string_view cursor, std::size_t limit);
  // Just the ids of the next `limit` records after `cursor`, without reading them:
  // how index paging skips ahead.
  Result<std::vector<std::string>> ListIds(std::string_view cursor, std::size_t limit);
  Result<MemberPage> ListMembers(std::string_view group_id, std::string_view cursor, std::size_t limit);
  Result<bool> IsMember(std::string_view group_id, std::string_view user_id);

  // Replaces displayName / externalId (when `attributes` is set) and applies member
  // changes, all in one batch. Members that do not exist as users are refused
  // (400 invalidValue) before anything is written. Removing a non-member and
  // adding an existing member are no-ops. Returns the group after the change.
  Result<Group> Update(std::string_view id, const std::optional<Group>& attributes, const MemberChanges& changes,
                       std::optional<uint64_t> expected_version);
  Status Delete(std::string_view id, std::optional<uint64_t> expected_version);

  // Stages, in the caller's transaction, the end of every membership of a user who
  // is being deleted: one member_removed event and a new version per group.
  Status StageUserRemoval(Transaction& txn, std::string_view user_id);

  // Counts, for list totals: maintained in the same batches as the records.
  Result<uint64_t> Count();

 private:
  Result<std::optional<Group>> Load(Transaction& txn, std::string_view id);
  Status StageAddMember(Transaction& txn, const Group& group, const GroupMember& member, bool* changed);
  Status StageRemoveMember(Transaction& txn, const Group& group, std::string_view user_id, bool* changed);
  LifecycleEvent NewEvent(EventType type, const Group& group);

  KvStore& store_;
  Env& env_;
  std::string tenant_;
  ChangeSource source_;
};

}  // namespace dirbridge
