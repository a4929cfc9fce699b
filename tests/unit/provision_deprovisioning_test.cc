// A connection's deprovisioning policy in the engine (model/deprovisioning_policy.h,
// provision/deprovisioning.h): a source's delete archives (never erases) by default,
// the same userName provisioned again revives the account under its id, and a remove
// or delete policy erases only when its purge fires after the grace period, unless a
// reactivation or a revival cancelled it.
#include <catch2/catch.hpp>

#include "engine_fixture.h"

#include "effects/outbox.h"
#include "model/deprovisioning_policy.h"
#include "native/native_env.h"
#include "provision/directory.h"
#include "provision/event_log.h"
#include "store/memory_kv_store.h"

using namespace dirbridge;

namespace {

DeprovisioningPolicy Policy(DeprovisionAction on_deactivate, DeprovisionAction on_delete, int64_t grace) {
  DeprovisioningPolicy p;
  p.on_deactivate = on_deactivate;
  p.on_delete = on_delete;
  p.grace_seconds = grace;
  return p;
}

struct Fixture : testing::EngineFixture {
  Directory Source(DeprovisioningPolicy policy = {}) {
    return Directory(store, env, "acme", ChangeSource{"entra", "c-entra", ChangeChannel::kScim, policy});
  }
  Directory policy_runner{store, env, "acme", ChangeSource{"policy", "", ChangeChannel::kAdmin}};

  User NewUser(Directory& d, const std::string& name) { return CreateUserNamed(d, name, "Engineer"); }
  uint64_t Users(Directory& d) {
    auto n = d.Count(Collection::kUsers);
    REQUIRE(n.ok());
    return *n;
  }
  std::string RunOf(Directory& d, const std::string& id) {
    auto p = d.PurgeOf(id);
    REQUIRE(p.ok());
    REQUIRE(p->has_value());
    return (*p)->run;
  }
};

}  // namespace

TEST_CASE("by default a source's delete archives the user, suspended, nothing is erased") {
  Fixture f;
  auto scim = f.Source();
  User ada = f.NewUser(scim, "ada@example.com");
  REQUIRE(scim.DeleteUser(ada.id, std::nullopt).ok());

  CHECK(scim.GetUser(ada.id).error().kind == ErrorKind::kNotFound);
  auto found = scim.FindUsers(UserIndex::kUserName, "ada@example.com", 2);
  REQUIRE(found.ok());
  CHECK(found->empty());
  CHECK(f.Users(scim) == 0);
  auto archived = scim.Archived(ada.id);
  REQUIRE(archived.ok());
  REQUIRE(archived->has_value());
  CHECK_FALSE((*archived)->user.active);
  CHECK((*archived)->user.meta.version == ada.meta.version + 1);
  CHECK((*archived)->action == DeprovisionAction::kSuspend);
  auto purge = scim.PurgeOf(ada.id);
  REQUIRE(purge.ok());
  CHECK_FALSE(purge->has_value());
  auto stored_effects = effects::StoredEffects(f.store, "acme");
  REQUIRE(stored_effects.ok());
  CHECK(*stored_effects == 0);  // no timer: nothing will erase it

  const auto e = f.Events().back();
  CHECK(e["type"] == "user.archived");
  CHECK(e["user"] == ada.id);
  CHECK(e["data"]["state"] == "archived");
  CHECK(e["data"]["policy"] == "suspend");
  CHECK(e["data"]["wasActive"] == true);
  CHECK_FALSE(e["data"].contains("purge"));
}

TEST_CASE("the same userName provisioned again revives the archived user under its id") {
  Fixture f;
  auto scim = f.Source();
  User ada = f.NewUser(scim, "ada@example.com");
  REQUIRE(scim.DeleteUser(ada.id, std::nullopt).ok());
  User again;
  again.user_name = "ADA@example.com";
  again.active = true;
  auto revived = scim.CreateUser(again);
  REQUIRE(revived.ok());
  CHECK(revived->id == ada.id);
  CHECK(revived->active);
  CHECK(revived->meta.created == ada.meta.created);
  CHECK(revived->meta.version == ada.meta.version + 2);
  CHECK(revived->title.empty());  // the new provisioning's attributes, not the old ones
  CHECK(f.Users(scim) == 1);
  auto archived = scim.Archived(ada.id);
  REQUIRE(archived.ok());
  CHECK_FALSE(archived->has_value());
  const auto e = f.Events().back();
  CHECK(e["type"] == "user.provisioned");
  CHECK(e["data"]["revived"] == true);

  // and it is an ordinary user again: deleted again, archived again
  REQUIRE(scim.DeleteUser(ada.id, std::nullopt).ok());
  CHECK(f.Events().back()["type"] == "user.archived");
}

TEST_CASE("a delete policy erases the archived user when its purge fires, once") {
  Fixture f;
  auto scim = f.Source(Policy(DeprovisionAction::kSuspend, DeprovisionAction::kDelete, 60));
  User ada = f.NewUser(scim, "ada@example.com");
  REQUIRE(scim.DeleteUser(ada.id, std::nullopt).ok());
  const auto archived_event = f.Events().back();
  CHECK(archived_event["type"] == "user.archived");
  CHECK(archived_event["data"]["policy"] == "delete");
  CHECK(archived_event["data"]["purge"]["action"] == "delete");
  CHECK(archived_event["data"]["purge"]["reason"] == "deleted");
  CHECK_FALSE(archived_event["data"]["purge"].contains("run"));
  auto purge = scim.PurgeOf(ada.id);
  REQUIRE(purge.ok());
  REQUIRE(purge->has_value());
  CHECK((*purge)->due_ms == f.env.NowMillis() + 60'000);
  auto stored_effects = effects::StoredEffects(f.store, "acme");
  REQUIRE(stored_effects.ok());
  CHECK(*stored_effects == 1);  // the timer
  const std::string run = f.RunOf(scim, ada.id);

  const std::size_t before = f.Events().size();
  auto stale = f.policy_runner.PurgeUser(ada.id, "not-the-run");
  REQUIRE(stale.ok());
  CHECK_FALSE(*stale);
  CHECK(f.Events().size() == before);

  auto purged = f.policy_runner.PurgeUser(ada.id, run);
  REQUIRE(purged.ok());
  CHECK(*purged);
  auto archived = scim.Archived(ada.id);
  REQUIRE(archived.ok());
  CHECK_FALSE(archived->has_value());
  const auto e = f.Events().back();
  CHECK(e["type"] == "user.deprovisioned");
  CHECK(e["data"]["state"] == "deprovisioned");
  CHECK(e["data"]["policy"] == "delete");
  CHECK(e["data"]["reason"] == "deleted");

  auto again = f.policy_runner.PurgeUser(ada.id, run);  // a timer resumed twice
  REQUIRE(again.ok());
  CHECK_FALSE(*again);
  CHECK(f.Events().size() == before + 1);

  // the userName is free and has no archive: a new provisioning is a new user
  User fresh;
  fresh.user_name = "ada@example.com";
  auto created = scim.CreateUser(fresh);
  REQUIRE(created.ok());
  CHECK(created->id != ada.id);
}

TEST_CASE("a remove policy ends in user.removed") {
  Fixture f;
  auto scim = f.Source(Policy(DeprovisionAction::kSuspend, DeprovisionAction::kRemove, 0));
  User ada = f.NewUser(scim, "ada@example.com");
  REQUIRE(scim.DeleteUser(ada.id, std::nullopt).ok());
  auto purged = f.policy_runner.PurgeUser(ada.id, f.RunOf(scim, ada.id));
  REQUIRE(purged.ok());
  CHECK(*purged);
  const auto e = f.Events().back();
  CHECK(e["type"] == "user.removed");
  CHECK(e["data"]["state"] == "removed");
}

TEST_CASE("a deactivate policy schedules a purge that a reactivation cancels") {
  Fixture f;
  auto scim = f.Source(Policy(DeprovisionAction::kDelete, DeprovisionAction::kSuspend, 3600));
  User ada = f.NewUser(scim, "ada@example.com");
  REQUIRE(scim.SetUserActive(ada.id, false, std::nullopt).ok());
  auto suspended = f.Events().back();
  CHECK(suspended["type"] == "user.suspended");
  CHECK(suspended["data"]["purge"]["action"] == "delete");
  CHECK(suspended["data"]["purge"]["reason"] == "deactivated");
  const std::string run = f.RunOf(scim, ada.id);

  REQUIRE(scim.SetUserActive(ada.id, true, std::nullopt).ok());
  auto reactivated = f.Events().back();
  CHECK(reactivated["type"] == "user.reactivated");
  CHECK(reactivated["data"]["purgeCancelled"] == true);
  auto purge = scim.PurgeOf(ada.id);
  REQUIRE(purge.ok());
  CHECK_FALSE(purge->has_value());

  auto late = f.policy_runner.PurgeUser(ada.id, run);  // the cancelled purge's timer fires
  REQUIRE(late.ok());
  CHECK_FALSE(*late);
  auto still = scim.GetUser(ada.id);
  REQUIRE(still.ok());
  CHECK(still->active);
}

TEST_CASE("a deactivated user is erased when the purge fires, memberships and all") {
  Fixture f;
  auto scim = f.Source(Policy(DeprovisionAction::kDelete, DeprovisionAction::kSuspend, 10));
  User ada = f.NewUser(scim, "ada@example.com");
  Group staff;
  staff.display_name = "Staff";
  auto group = scim.CreateGroup(staff, {MemberRef{ada.id, ""}});
  REQUIRE(group.ok());
  REQUIRE(scim.SetUserActive(ada.id, false, std::nullopt).ok());
  auto purged = f.policy_runner.PurgeUser(ada.id, f.RunOf(scim, ada.id));
  REQUIRE(purged.ok());
  CHECK(*purged);
  CHECK(scim.GetUser(ada.id).error().kind == ErrorKind::kNotFound);
  auto members = scim.Members(group->id, "", 10);
  REQUIRE(members.ok());
  CHECK(members->items.empty());
  CHECK(f.Users(scim) == 0);
  auto events = f.Events();
  CHECK(events[events.size() - 2]["type"] == "group.member_removed");
  CHECK(events.back()["type"] == "user.deprovisioned");
  CHECK(events.back()["data"]["reason"] == "deactivated");
}

TEST_CASE("re-provisioning within the grace period cancels the delete policy's purge") {
  Fixture f;
  auto scim = f.Source(Policy(DeprovisionAction::kSuspend, DeprovisionAction::kDelete, 60));
  User ada = f.NewUser(scim, "ada@example.com");
  REQUIRE(scim.DeleteUser(ada.id, std::nullopt).ok());
  const std::string run = f.RunOf(scim, ada.id);
  User again;
  again.user_name = "ada@example.com";
  auto revived = scim.CreateUser(again);
  REQUIRE(revived.ok());
  auto late = f.policy_runner.PurgeUser(ada.id, run);
  REQUIRE(late.ok());
  CHECK_FALSE(*late);
  CHECK(scim.GetUser(ada.id).ok());
}

TEST_CASE("the policy reads only its three fields, each with a precise error") {
  auto read = [](const char* text) { return DeprovisioningPolicyFromJson(nlohmann::json::parse(text)); };
  auto ok = read(R"({"onDelete":"delete","graceSeconds":0})");
  REQUIRE(ok.ok());
  CHECK(ok->on_delete == DeprovisionAction::kDelete);
  CHECK(ok->on_deactivate == DeprovisionAction::kSuspend);  // unnamed fields keep the base
  CHECK(ok->grace_seconds == 0);
  CHECK(read("{}")->grace_seconds == kDefaultGraceSeconds);

  auto detail = [&](const char* text) {
    auto r = read(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::kInvalidInput);
    return r.error().detail;
  };
  CHECK(detail(R"({"onDelete":"erase"})") == "'onDelete' must be \"suspend\", \"remove\" or \"delete\"");
  CHECK(detail(R"({"onDeactivate":1})") == "'onDeactivate' must be \"suspend\", \"remove\" or \"delete\"");
  CHECK(detail(R"({"graceSeconds":-1})").find("'graceSeconds' must be an integer from 0 to 31536000") == 0);
  CHECK(detail(R"({"graceSeconds":31536001})").find("'graceSeconds'") == 0);
  CHECK(detail(R"({"graceSeconds":18446744073709551615})").find("'graceSeconds'") == 0);
  CHECK(detail(R"({"graceSeconds":1.5})").find("'graceSeconds'") == 0);
  CHECK(detail(R"({"purge":true})") == "the deprovisioning policy takes only 'onDeactivate', 'onDelete' and 'graceSeconds'");
  CHECK(detail("[]") == "the deprovisioning policy must be a JSON object");

  auto round = DeprovisioningPolicyFromJson(DeprovisioningPolicyToJson(*ok));
  REQUIRE(round.ok());
  CHECK(*round == *ok);
}
