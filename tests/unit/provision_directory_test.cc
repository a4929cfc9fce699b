// The provisioning engine's typed commands (provision/directory.h), called the way
// any adapter calls them: who and how are recorded on every event, an update is one
// read and one version check, a failed command commits nothing, a stored record that
// does not parse is `corrupt`, and two sources describing one person end as one user.
#include <catch2/catch.hpp>

#include "engine_fixture.h"

#include "native/native_env.h"
#include "provision/directory.h"
#include "provision/event_log.h"
#include "provision/page_positions.h"
#include "store/key_layout.h"
#include "store/memory_kv_store.h"

using namespace dirbridge;

namespace {

struct Fixture : testing::EngineFixture {
  Directory scim{store, env, "acme", ChangeSource{"entra", "c-entra", ChangeChannel::kScim}};
  Directory hook{store, env, "acme", ChangeSource{"okta", "c-okta", ChangeChannel::kHook}};

  User NewUser(const std::string& name) { return CreateUserNamed(scim, name); }
};

}  // namespace

TEST_CASE("every event records who made the change and how") {
  Fixture f;
  User ada = f.NewUser("ada@example.com");
  REQUIRE(f.hook.SetUserActive(ada.id, false, std::nullopt).ok());
  auto events = f.Events();
  REQUIRE(events.size() == 2);
  CHECK(events[0]["type"] == "user.provisioned");
  CHECK(events[0]["source"] == nlohmann::json({{"kind", "entra"}, {"connection", "c-entra"}, {"via", "scim"}}));
  CHECK(events[1]["type"] == "user.suspended");
  CHECK(events[1]["source"] == nlohmann::json({{"kind", "okta"}, {"connection", "c-okta"}, {"via", "hook"}}));
}

TEST_CASE("two sources that describe one person end as one user") {
  Fixture f;
  User ada = f.NewUser("Ada@Example.com");
  auto found = f.hook.FindUsers(UserIndex::kUserName, "ada@example.COM", 10);
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  CHECK((*found)[0].id == ada.id);
  User again;
  again.user_name = "ada@example.com";
  auto second = f.hook.CreateUser(again);
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().kind == ErrorKind::kConflict);
  CHECK(*f.scim.Count(Collection::kUsers) == 1);
}

TEST_CASE("an update reads the record once and checks its version before the edit runs") {
  Fixture f;
  User ada = f.NewUser("ada@example.com");
  f.store.ResetCounts();
  bool edited = false;
  auto stale = f.scim.UpdateUser(
      ada.id,
      [&](User&) {
        edited = true;
        return Status::Ok();
      },
      ada.meta.version + 1);
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.error().kind == ErrorKind::kPreconditionFailed);
  CHECK_FALSE(edited);
  CHECK(f.store.counts().gets == 1);

  f.store.ResetCounts();
  auto renamed = f.scim.UpdateUser(
      ada.id,
      [](User& u) {
        u.display_name = "Ada Lovelace";
        return Status::Ok();
      },
      ada.meta.version);
  REQUIRE(renamed.ok());
  CHECK(renamed->meta.version == ada.meta.version + 1);
  CHECK(f.store.counts().commits == 1);
}

TEST_CASE("an edit that fails commits nothing and logs nothing") {
  Fixture f;
  User ada = f.NewUser("ada@example.com");
  const auto keys_before = f.store.size();
  f.store.ResetCounts();
  auto failed = f.scim.UpdateUser(
      ada.id,
      [](User& u) -> Status {
        u.display_name = "half-done";
        return InvalidInput("the source sent something wrong");
      },
      std::nullopt);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().detail == "the source sent something wrong");
  CHECK(f.store.counts().commits == 0);
  CHECK(f.store.size() == keys_before);
  CHECK(f.Events().size() == 1);
  CHECK(f.scim.GetUser(ada.id)->display_name.empty());
}

TEST_CASE("an unchanged update writes nothing and logs no event") {
  Fixture f;
  User ada = f.NewUser("ada@example.com");
  f.store.ResetCounts();
  auto same = f.scim.SetUserActive(ada.id, true, std::nullopt);
  REQUIRE(same.ok());
  CHECK(same->meta.version == ada.meta.version);
  CHECK(f.store.counts().commits == 0);
}

TEST_CASE("membership changes keep each member's display and apply replace, remove, add in order") {
  Fixture f;
  User a = f.NewUser("a"), b = f.NewUser("b"), c = f.NewUser("c");
  Group g;
  g.display_name = "Staff";
  auto group = f.scim.CreateGroup(g, {MemberRef{a.id, "A"}, MemberRef{b.id, "B"}});
  REQUIRE(group.ok());

  MembershipChange change;
  change.replace_all = true;
  change.add = {MemberRef{b.id, "Bee"}, MemberRef{c.id, "C"}};
  auto changed = f.hook.ChangeMembership(group->id, change, group->meta.version);
  REQUIRE(changed.ok());
  CHECK(changed->meta.version == group->meta.version + 1);
  auto members = f.scim.Members(group->id, "", 100);
  REQUIRE(members.ok());
  std::map<std::string, std::string> got;
  for (const auto& m : members->items) got[m.user_id] = m.display;
  CHECK(got == std::map<std::string, std::string>{{b.id, "Bee"}, {c.id, "C"}});

  MembershipChange unknown;
  unknown.add = {MemberRef{"no-such-user", ""}};
  const auto keys_before = f.store.size();
  auto refused = f.scim.ChangeMembership(group->id, unknown, std::nullopt);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().scim_type == "invalidValue");
  CHECK(f.store.size() == keys_before);
}

TEST_CASE("deleting a user ends its memberships as changes of their groups") {
  Fixture f;
  User a = f.NewUser("a");
  Group g;
  g.display_name = "Staff";
  auto group = f.scim.CreateGroup(g, {MemberRef{a.id, ""}});
  REQUIRE(group.ok());
  REQUIRE(f.scim.DeleteUser(a.id, std::nullopt).ok());
  CHECK(f.scim.Members(group->id, "", 10)->items.empty());
  CHECK(f.scim.GetGroup(group->id)->meta.version == group->meta.version + 1);
  auto events = f.Events();
  CHECK(events[events.size() - 2]["type"] == "group.member_removed");
  CHECK(events.back()["type"] == "user.archived");
}

TEST_CASE("a stored record that does not parse is corrupt, a 500 that blames the store") {
  Fixture f;
  User a = f.NewUser("a");
  WriteBatch batch;
  batch.Put(keys::User("acme", a.id), "{not json");
  REQUIRE(f.store.Commit(batch).ok());
  auto got = f.scim.GetUser(a.id);
  REQUIRE_FALSE(got.ok());
  CHECK(got.error().kind == ErrorKind::kCorrupt);
  CHECK(HttpStatusFor(got.error().kind) == 500);
  auto listed = f.scim.Users("", 10);
  REQUIRE_FALSE(listed.ok());
  CHECK(listed.error().kind == ErrorKind::kCorrupt);
}

TEST_CASE("index paging resumes from a noted position only while the collection is unchanged") {
  Fixture f;
  PagePositions::OfThisInstance().Clear();
  std::vector<User> users;
  for (int i = 0; i < 5; ++i) users.push_back(f.NewUser("u" + std::to_string(i)));
  REQUIRE(f.scim.NotePosition(Collection::kUsers, 3, users[1].id).ok());
  f.store.ResetCounts();
  CHECK(**f.scim.CursorAt(Collection::kUsers, 3) == users[1].id);
  CHECK(f.store.counts().lists == 0);  // from memory, no skip
  f.NewUser("u5");                     // the collection changed: the position is stale
  f.store.ResetCounts();
  CHECK(**f.scim.CursorAt(Collection::kUsers, 3) == users[1].id);
  CHECK(f.store.counts().lists == 1);  // found again by skipping
  CHECK_FALSE(f.scim.CursorAt(Collection::kUsers, 8)->has_value());  // past the end
  auto far = f.scim.CursorAt(Collection::kUsers, kMaxSkippedResources + 2);
  REQUIRE_FALSE(far.ok());
  CHECK(far.error().scim_type == "tooMany");
}

TEST_CASE("a successful status never becomes an error value silently") {
  Result<int> from_ok = Status::Ok();
  REQUIRE_FALSE(from_ok.ok());
  CHECK(from_ok.error().kind == ErrorKind::kInternal);
}
