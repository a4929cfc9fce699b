// provision/source_event_applier.h: pushed events applied once, in the source's
// order, never letting an older claim undo a newer one, matched to the directory's
// users (link, externalId, userName, email), and only through Directory commands
// (so every change is an ordinary logged event with who and how).

#include <catch2/catch.hpp>

#include "native/native_env.h"
#include "provision/directory.h"
#include "provision/event_log.h"
#include "provision/source_event_applier.h"
#include "store/memory_kv_store.h"

using namespace dirbridge;

namespace {

constexpr int64_t kT0 = 1795600800000;  // 2026-11-25T10:00:00Z

SourceEvent UserEvent(SourceEventKind kind, const std::string& uuid, int64_t at, const std::string& id = "00u1",
                      const std::string& login = "ada@example.com") {
  SourceEvent e;
  e.uuid = uuid;
  e.published_ms = kT0 + at;
  e.kind = kind;
  e.user.source_id = id;
  e.user.login = login;
  e.user.email = login.find('@') != std::string::npos ? login : "";
  e.user.display_name = "Ada Lovelace";
  e.source_type = SourceEventKindName(kind);
  return e;
}

SourceEvent MemberEvent(SourceEventKind kind, const std::string& uuid, int64_t at, const std::string& user = "00u1",
                        const std::string& group = "00g1") {
  SourceEvent e = UserEvent(kind, uuid, at, user);
  e.group.source_id = group;
  e.group.display_name = "Engineering";
  return e;
}

SourceEvent Assign(bool add, const std::string& uuid, int64_t at, const std::string& app = "0oavault") {
  SourceEvent e = UserEvent(add ? SourceEventKind::kUserAssigned : SourceEventKind::kUserUnassigned, uuid, at);
  e.app_id = app;
  return e;
}

struct Fixture {
  NativeEnv env{/*deterministic=*/true};
  MemoryKvStore store;
  ChangeSource okta{"okta", "c-okta", ChangeChannel::kHook};
  Directory scim{store, env, "acme", ChangeSource{"okta", "c-okta", ChangeChannel::kScim}};
  bool permanent_ids = true;  // Okta's ids; false: a source that names subjects by userName

  std::vector<SourceOutcome> Deliver(std::vector<SourceEvent> events, const std::string& app_id = "",
                                     std::vector<UntranslatedSourceEvent> untranslated = {}) {
    env.AdvanceMillis(10);
    SourceEventApplier applier(store, env, "acme", okta, SourceApplyOptions{app_id, permanent_ids});
    auto report = applier.ApplyBatch(std::move(events), std::move(untranslated));
    REQUIRE(report.ok());
    std::vector<SourceOutcome> out;
    for (const auto& r : report->results) out.push_back(r.outcome);
    return out;
  }
  std::vector<User> UsersNamed(const std::string& login) {
    auto found = scim.FindUsers(UserIndex::kUserName, login, 10);
    REQUIRE(found.ok());
    return *found;
  }
  User OnlyUser(const std::string& login = "ada@example.com") {
    auto users = UsersNamed(login);
    REQUIRE(users.size() == 1);
    return users[0];
  }
  std::vector<nlohmann::json> Events() {
    auto events = ReadEvents(store, "acme", 0, 1000);
    REQUIRE(events.ok());
    return *events;
  }
  uint64_t UserCount() {
    auto n = scim.Count(Collection::kUsers);
    REQUIRE(n.ok());
    return *n;
  }
};

using O = SourceOutcome;
using K = SourceEventKind;

}  // namespace

TEST_CASE("a created and activated Okta user is provisioned once, however often it is delivered") {
  Fixture f;
  std::vector<SourceEvent> batch = {UserEvent(K::kUserActivated, "e2", 2), UserEvent(K::kUserStaged, "e1", 1)};
  CHECK(f.Deliver(batch) == std::vector<O>{O::kApplied, O::kApplied});  // sorted: create, then activate
  User ada = f.OnlyUser();
  CHECK(ada.active);
  CHECK(ada.external_id == "00u1");
  CHECK(ada.display_name == "Ada Lovelace");
  REQUIRE(ada.emails.size() == 1);
  CHECK(ada.emails[0].value == "ada@example.com");
  const auto events_before = f.Events().size();
  CHECK(f.Deliver(batch) == std::vector<O>{O::kDuplicate, O::kDuplicate});
  CHECK(f.Events().size() == events_before);
  // Twice in one delivery: the second copy is a duplicate.
  CHECK(f.Deliver({UserEvent(K::kUserSuspended, "e3", 3), UserEvent(K::kUserSuspended, "e3", 3)}) ==
        std::vector<O>{O::kApplied, O::kDuplicate});
  CHECK_FALSE(f.OnlyUser().active);
  auto events = f.Events();
  CHECK(events.front()["type"] == "user.provisioned");
  CHECK(events.front()["source"]["via"] == "hook");
  CHECK(events.back()["type"] == "user.suspended");
  CHECK(f.UserCount() == 1);
}

TEST_CASE("an older event never undoes a newer one, whatever the delivery order") {
  Fixture f;
  f.Deliver({UserEvent(K::kUserActivated, "a1", 1)});
  // Suspended at t=5, delivered first; the unsuspend of t=3 arrives late.
  CHECK(f.Deliver({UserEvent(K::kUserSuspended, "s5", 5)}) == std::vector<O>{O::kApplied});
  CHECK(f.Deliver({UserEvent(K::kUserActivated, "u3", 3)}) == std::vector<O>{O::kStale});
  CHECK_FALSE(f.OnlyUser().active);
  // A profile change is another aspect: an older one still applies, and does not touch `active`.
  CHECK(f.Deliver({UserEvent(K::kUserProfileChanged, "p2", 2, "00u1", "ada.l@example.com")}) ==
        std::vector<O>{O::kApplied});
  User ada = f.OnlyUser("ada.l@example.com");
  CHECK_FALSE(ada.active);
  CHECK(f.Deliver({UserEvent(K::kUserProfileChanged, "p1", 1, "00u1", "old@example.com")}) ==
        std::vector<O>{O::kStale});
  CHECK(f.UsersNamed("old@example.com").empty());
}

TEST_CASE("deletion at the source is final: nothing older brings the user back") {
  Fixture f;
  f.Deliver({UserEvent(K::kUserActivated, "a1", 1)});
  CHECK(f.Deliver({UserEvent(K::kUserDeleted, "d9", 9)}) == std::vector<O>{O::kApplied});
  CHECK(f.UserCount() == 0);
  CHECK(f.Deliver({UserEvent(K::kUserActivated, "a5", 5), MemberEvent(K::kMemberAdded, "m6", 6)}) ==
        std::vector<O>{O::kStale, O::kStale});
  CHECK(f.Deliver({UserEvent(K::kUserActivated, "a10", 10)}) == std::vector<O>{O::kStale});
  CHECK(f.UserCount() == 0);
  CHECK(f.Events().back()["type"] == "user.archived");
}

TEST_CASE("an Okta user is matched to a user another source created: one person, one user") {
  Fixture f;
  SECTION("by userName") {
    User u;
    u.user_name = "Ada@Example.com";
    auto created = f.scim.CreateUser(u);
    REQUIRE(created.ok());
    CHECK(f.Deliver({UserEvent(K::kUserSuspended, "s1", 1)}) == std::vector<O>{O::kApplied});
    CHECK(f.UserCount() == 1);
    CHECK_FALSE(f.OnlyUser("ada@example.com").active);
    // Linked: a later rename at the source still finds it.
    CHECK(f.Deliver({UserEvent(K::kUserProfileChanged, "p2", 2, "00u1", "lovelace@example.com")}) ==
          std::vector<O>{O::kApplied});
    CHECK(f.OnlyUser("lovelace@example.com").id == created->id);
  }
  SECTION("by externalId (Okta's SCIM client sends the Okta id)") {
    User u;
    u.user_name = "someone-else";
    u.external_id = "00u1";
    auto created = f.scim.CreateUser(u);
    REQUIRE(created.ok());
    CHECK(f.Deliver({UserEvent(K::kUserSuspended, "s1", 1)}) == std::vector<O>{O::kApplied});
    CHECK(f.UserCount() == 1);
    CHECK_FALSE(f.OnlyUser("someone-else").active);
  }
  SECTION("by email") {
    User u;
    u.user_name = "ada";
    u.emails.push_back(TypedValue{"ADA@example.com", "work", "", true});
    REQUIRE(f.scim.CreateUser(u).ok());
    CHECK(f.Deliver({UserEvent(K::kUserSuspended, "s1", 1)}) == std::vector<O>{O::kApplied});
    CHECK(f.UserCount() == 1);
    CHECK_FALSE(f.OnlyUser("ada").active);
  }
}

TEST_CASE("events for users the directory does not have change nothing and say so") {
  Fixture f;
  CHECK(f.Deliver({UserEvent(K::kUserSuspended, "s1", 1), UserEvent(K::kUserDeleted, "d2", 2, "00u2", "bob@x.io"),
                   UserEvent(K::kUserProfileChanged, "p3", 3, "00u3", "eve@x.io"),
                   MemberEvent(K::kMemberRemoved, "m4", 4)}) ==
        std::vector<O>{O::kUnknownUser, O::kUnknownUser, O::kUnknownUser, O::kUnknownUser});
  CHECK(f.UserCount() == 0);
  CHECK(f.Events().empty());
  // A suspension at t=1 was recorded: an older activation does not create the user active.
  CHECK(f.Deliver({UserEvent(K::kUserActivated, "a0", 0)}) == std::vector<O>{O::kStale});
  CHECK(f.UserCount() == 0);
}

TEST_CASE("memberships: groups created on demand, out-of-order adds and removes, replay when the user appears") {
  Fixture f;
  // The membership arrives before the user exists: remembered.
  CHECK(f.Deliver({MemberEvent(K::kMemberAdded, "m1", 1)}) == std::vector<O>{O::kUnknownUser});
  CHECK(f.Deliver({UserEvent(K::kUserActivated, "a0", 0)}) == std::vector<O>{O::kApplied});
  User ada = f.OnlyUser();
  auto groups = f.scim.FindGroups(GroupIndex::kExternalId, "00g1", 10);
  REQUIRE(groups.ok());
  REQUIRE(groups->size() == 1);
  CHECK((*groups)[0].display_name == "Engineering");
  auto members = f.scim.Members((*groups)[0].id, "", 10);
  REQUIRE(members.ok());
  REQUIRE(members->items.size() == 1);
  CHECK(members->items[0].user_id == ada.id);
  // Removed at t=5 (delivered first), added at t=3 (late): stays removed.
  CHECK(f.Deliver({MemberEvent(K::kMemberRemoved, "r5", 5)}) == std::vector<O>{O::kApplied});
  CHECK(f.Deliver({MemberEvent(K::kMemberAdded, "m3", 3)}) == std::vector<O>{O::kStale});
  CHECK(f.scim.Members((*groups)[0].id, "", 10)->items.empty());
  // group.lifecycle.create after the group exists: linked, not duplicated; delete is final.
  SourceEvent create = MemberEvent(K::kGroupCreated, "g0", 0);
  CHECK(f.Deliver({create}) == std::vector<O>{O::kUnchanged});
  CHECK(f.Deliver({MemberEvent(K::kGroupDeleted, "g9", 9)}) == std::vector<O>{O::kApplied});
  CHECK(f.scim.Count(Collection::kGroups).value() == 0);
  CHECK(f.Deliver({MemberEvent(K::kMemberAdded, "m10", 10)}) == std::vector<O>{O::kStale});
  CHECK(f.scim.Count(Collection::kGroups).value() == 0);
}

TEST_CASE("scoped to the password manager's application: assignment provisions and suspends") {
  Fixture f;
  const std::string app = "0oavault";
  CHECK(f.Deliver({UserEvent(K::kUserActivated, "a1", 1)}, app) == std::vector<O>{O::kUnknownUser});
  CHECK(f.UserCount() == 0);
  CHECK(f.Deliver({Assign(true, "x2", 2, "0oaother")}, app) == std::vector<O>{O::kOutOfScope});
  CHECK(f.UserCount() == 0);
  CHECK(f.Deliver({Assign(true, "x3", 3)}, app) == std::vector<O>{O::kApplied});
  CHECK(f.OnlyUser().active);
  CHECK(f.Deliver({Assign(false, "x5", 5)}, app) == std::vector<O>{O::kApplied});
  CHECK_FALSE(f.OnlyUser().active);
  // Reactivated in Okta later, but still unassigned: stays suspended here.
  CHECK(f.Deliver({UserEvent(K::kUserActivated, "a6", 6)}, app) == std::vector<O>{O::kUnchanged});
  CHECK_FALSE(f.OnlyUser().active);
  CHECK(f.Deliver({Assign(true, "x7", 7)}, app) == std::vector<O>{O::kApplied});
  CHECK(f.OnlyUser().active);
  // Without an application configured, assignments are out of scope.
  CHECK(f.Deliver({Assign(false, "x8", 8)}, "") == std::vector<O>{O::kOutOfScope});
  CHECK(f.OnlyUser().active);
}

TEST_CASE("unknown types are counted, uuids expire after the window, bounded per delivery") {
  Fixture f;
  UntranslatedSourceEvent unknown{"z1", kT0, "user.session.start", false, "event type not handled"};
  CHECK(f.Deliver({UserEvent(K::kUserActivated, "a1", 1)}, "", {unknown}) == std::vector<O>{O::kIgnored, O::kApplied});
  CHECK(f.Deliver({}, "", {unknown}) == std::vector<O>{O::kDuplicate});
  auto stats = ReadSourceStats(f.store, "acme", "c-okta");
  REQUIRE(stats.ok());
  CHECK((*stats)["deliveries"] == 2);
  CHECK((*stats)["outcomes"]["ignored"] == 1);
  CHECK((*stats)["outcomes"]["applied"] == 1);
  CHECK((*stats)["outcomes"]["duplicate"] == 1);
  CHECK((*stats)["unknownTypes"]["user.session.start"] == 1);
  CHECK((*stats)["lastPublished"] == "2026-11-25T10:00:00.001Z");

  // Past the window, the next delivery sweeps the old uuids (and a redelivery of an
  // old event is then stale, not applied twice).
  f.env.AdvanceMillis(kSourceDedupeWindowMs + 1000);
  SourceEventApplier applier(f.store, f.env, "acme", f.okta, {});
  auto report = applier.ApplyBatch({UserEvent(K::kUserActivated, "a1", 1)}, {});
  REQUIRE(report.ok());
  CHECK(report->expired == 2);
  CHECK(report->results[0].outcome == O::kUnchanged);
  CHECK(f.UserCount() == 1);
}

TEST_CASE("a delivery over the cap is refused whole") {
  Fixture f;
  std::vector<SourceEvent> many;
  for (std::size_t i = 0; i <= kMaxSourceEventsPerBatch; ++i)
    many.push_back(UserEvent(K::kUserActivated, "e" + std::to_string(i), 1));
  SourceEventApplier applier(f.store, f.env, "acme", f.okta, {});
  CHECK(applier.ApplyBatch(many, {}).error().kind == ErrorKind::kInvalidInput);
  CHECK(f.UserCount() == 0);
}

TEST_CASE("a source without permanent ids makes up no externalId, a stated one is matched and stored") {
  Fixture f;
  f.permanent_ids = false;  // a signed source: users named by userName
  CHECK(f.Deliver({UserEvent(K::kUserActivated, "a1", 1, "ada@example.com")}) == std::vector<O>{O::kApplied});
  CHECK(f.OnlyUser().external_id.empty());

  SourceEvent bob = UserEvent(K::kUserActivated, "b1", 1, "bob@example.com", "bob@example.com");
  bob.user.external_id = "hr-2";
  CHECK(f.Deliver({bob}) == std::vector<O>{O::kApplied});
  CHECK(f.OnlyUser("bob@example.com").external_id == "hr-2");

  // Found by the stated externalId though the login differs (and then renamed to it).
  User carol;
  carol.user_name = "carol";
  carol.external_id = "hr-3";
  auto created = f.scim.CreateUser(carol);
  REQUIRE(created.ok());
  SourceEvent s = UserEvent(K::kUserProfileChanged, "c1", 1, "carol@example.com", "carol@example.com");
  s.user.external_id = "hr-3";
  CHECK(f.Deliver({s}) == std::vector<O>{O::kApplied});
  CHECK(f.OnlyUser("carol@example.com").id == created->id);
  CHECK(f.UserCount() == 3);
}

TEST_CASE("a profile claim sets every attribute given, a status claim with its profile does too, unless older") {
  Fixture f;
  f.permanent_ids = false;
  CHECK(f.Deliver({UserEvent(K::kUserActivated, "a1", 1, "ada@example.com")}) == std::vector<O>{O::kApplied});
  SourceEvent p = UserEvent(K::kUserProfileChanged, "p2", 2, "ada@example.com", "ADA@example.com");
  p.user.email = "lovelace@example.com";
  p.user.given_name = "Ada";
  p.user.family_name = "Lovelace";
  p.user.external_id = "hr-1";
  CHECK(f.Deliver({p}) == std::vector<O>{O::kApplied});
  User ada = f.OnlyUser();
  CHECK(ada.user_name == "ada@example.com");  // a change of case alone is no change
  CHECK(ada.name.given_name == "Ada");
  CHECK(ada.name.family_name == "Lovelace");
  CHECK(ada.external_id == "hr-1");
  REQUIRE(ada.emails.size() == 2);
  CHECK(ada.emails[0].value == "lovelace@example.com");
  CHECK(ada.emails[0].IsPrimary());
  CHECK_FALSE(ada.emails[1].IsPrimary());

  // A status claim with its profile (a signed user.created) sets the profile of a user found.
  SourceEvent c3 = UserEvent(K::kUserActivated, "c3", 3, "ada@example.com");
  c3.with_profile = true;
  c3.user.display_name = "Countess";
  CHECK(f.Deliver({c3}) == std::vector<O>{O::kApplied});
  CHECK(f.OnlyUser().display_name == "Countess");
  // ... but not over a newer profile claim.
  SourceEvent p5 = UserEvent(K::kUserProfileChanged, "p5", 5, "ada@example.com");
  p5.user.display_name = "Ada L";
  CHECK(f.Deliver({p5}) == std::vector<O>{O::kApplied});
  SourceEvent c4 = UserEvent(K::kUserActivated, "c4", 4, "ada@example.com");
  c4.with_profile = true;
  c4.user.display_name = "Older";
  CHECK(f.Deliver({c4}) == std::vector<O>{O::kUnchanged});
  CHECK(f.OnlyUser().display_name == "Ada L");
}

TEST_CASE("a source without permanent ids: a claim newer than a deletion brings the name back, an older one not") {
  Fixture f;
  f.permanent_ids = false;  // a userName may be reused (a rehire)
  f.Deliver({UserEvent(K::kUserActivated, "a1", 1)});
  CHECK(f.Deliver({UserEvent(K::kUserDeleted, "d5", 5)}) == std::vector<O>{O::kApplied});
  CHECK(f.Deliver({UserEvent(K::kUserActivated, "a3", 3), MemberEvent(K::kMemberAdded, "m4", 4)}) ==
        std::vector<O>{O::kStale, O::kStale});
  CHECK(f.UserCount() == 0);
  CHECK(f.Deliver({UserEvent(K::kUserActivated, "a7", 7)}) == std::vector<O>{O::kApplied});
  CHECK(f.UserCount() == 1);
  CHECK(f.OnlyUser().active);
}

TEST_CASE("a group creation for a group the directory has sets the externalId it states") {
  Fixture f;
  f.permanent_ids = false;
  Group g;
  g.display_name = "Engineering";
  auto created = f.scim.CreateGroup(g, {});
  REQUIRE(created.ok());
  SourceEvent e;
  e.uuid = "g1";
  e.published_ms = kT0;
  e.kind = K::kGroupCreated;
  e.group.source_id = "engineering";
  e.group.display_name = "Engineering";
  e.group.external_id = "hr-g-7";
  CHECK(f.Deliver({e}) == std::vector<O>{O::kApplied});
  e.uuid = "g2";
  CHECK(f.Deliver({e}) == std::vector<O>{O::kUnchanged});
  auto found = f.scim.FindGroups(GroupIndex::kExternalId, "hr-g-7", 10);
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  CHECK((*found)[0].id == created->id);
  CHECK(f.scim.Count(Collection::kGroups).value() == 1);
}
