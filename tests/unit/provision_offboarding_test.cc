// Offboarding and the audit trail in the engine (provision/directory.h,
// offboarding_hold.h, attribute_changes.h, audit_query.h, connection_activity.h):
// the hold keeps an offboarded user suspended against every source but the admin, is
// logged once and counted, and the audit query filters and bounds its work.
#include <catch2/catch.hpp>

#include "engine_fixture.h"

#include "native/native_env.h"
#include "provision/attribute_changes.h"
#include "provision/audit_query.h"
#include "provision/connection_activity.h"
#include "provision/directory.h"
#include "provision/event_log.h"
#include "store/memory_kv_store.h"

using namespace dirbridge;

namespace {

struct Fixture : testing::EngineFixture {
  Directory scim{store, env, "acme", ChangeSource{"entra", "c-entra", ChangeChannel::kScim}};
  Directory hook{store, env, "acme", ChangeSource{"okta", "c-okta", ChangeChannel::kHook}};
  Directory admin{store, env, "acme", ChangeSource{"admin", "", ChangeChannel::kAdmin}};

  User NewUser(const std::string& name) { return CreateUserNamed(scim, name, "Engineer"); }
};

}  // namespace

TEST_CASE("offboarding suspends and holds, a repeat writes nothing") {
  Fixture f;
  User ada = f.NewUser("ada@example.com");
  f.env.SetRequestId("req-1");
  auto done = f.admin.OffboardUser(ada.id, "it-admin", "left");
  REQUIRE(done.ok());
  CHECK_FALSE(done->user.active);
  CHECK_FALSE(done->already);
  auto events = f.Events();
  REQUIRE(events.size() == 2);
  CHECK(events[1]["type"] == "user.offboarded");
  CHECK(events[1]["request"] == "req-1");
  CHECK(events[1]["data"]["by"] == "it-admin");
  CHECK(events[1]["data"]["wasActive"] == true);

  auto again = f.admin.OffboardUser(ada.id, "other", "");
  REQUIRE(again.ok());
  CHECK(again->already);
  CHECK(again->hold.by == "it-admin");
  CHECK(f.Events().size() == 2);
}

TEST_CASE("a held user stays suspended against every source, the attempt is logged once, counted, other changes apply") {
  Fixture f;
  User ada = f.NewUser("ada@example.com");
  REQUIRE(f.admin.OffboardUser(ada.id, "it-admin", "").ok());
  for (int i = 0; i < 3; ++i) {
    auto r = f.hook.UpdateUser(
        ada.id,
        [](User& u) {
          u.active = true;
          u.title = "Lead";
          return Status::Ok();
        },
        std::nullopt);
    REQUIRE(r.ok());
    CHECK_FALSE(r->active);
    CHECK(r->title == "Lead");
  }
  auto events = f.Events();
  REQUIRE(events.size() == 4);  // provisioned, offboarded, held (once), updated (title, once)
  CHECK(events[2]["type"] == "user.reactivation_held");
  CHECK(events[2]["source"]["connection"] == "c-okta");
  CHECK(events[3]["type"] == "user.updated");
  CHECK(events[3]["data"]["changed"] == nlohmann::json::array({"title"}));
  auto hold = f.admin.HoldOf(ada.id);
  REQUIRE(hold.ok());
  REQUIRE(hold->has_value());
  CHECK((*hold)->held_reactivations == 3);

  // Only the admin's restore reactivates; then the sources act as before.
  auto restored = f.admin.RestoreUser(ada.id, "it-admin");
  REQUIRE(restored.ok());
  CHECK(restored->active);
  CHECK(f.admin.RestoreUser(ada.id, "it-admin").error().kind == ErrorKind::kConflict);
  REQUIRE(f.hook.SetUserActive(ada.id, false, std::nullopt).ok());
  auto back = f.hook.SetUserActive(ada.id, true, std::nullopt);
  REQUIRE(back.ok());
  CHECK(back->active);
}

TEST_CASE("offboarding refuses bad text and unknown users, writing nothing") {
  Fixture f;
  User ada = f.NewUser("ada@example.com");
  CHECK(f.admin.OffboardUser(ada.id, std::string(201, 'x'), "").error().kind == ErrorKind::kInvalidInput);
  CHECK(f.admin.OffboardUser(ada.id, "a\x01", "").error().kind == ErrorKind::kInvalidInput);
  CHECK(f.admin.OffboardUser("nobody", "it", "").error().kind == ErrorKind::kNotFound);
  CHECK(f.Events().size() == 1);
  auto still = f.scim.GetUser(ada.id);
  REQUIRE(still.ok());
  CHECK(still->active);
}

TEST_CASE("a held user its source deletes stays held: provisioned again, it comes back suspended") {
  Fixture f;
  User ada = f.NewUser("ada@example.com");
  REQUIRE(f.admin.OffboardUser(ada.id, "it", "").ok());
  REQUIRE(f.scim.DeleteUser(ada.id, std::nullopt).ok());
  auto hold = f.admin.HoldOf(ada.id);
  REQUIRE(hold.ok());
  CHECK(hold->has_value());
  User again;
  again.user_name = "ada@example.com";
  again.active = true;
  auto revived = f.scim.CreateUser(again);
  REQUIRE(revived.ok());
  CHECK(revived->id == ada.id);
  CHECK_FALSE(revived->active);
}

TEST_CASE("attribute changes name what changed, with small values only") {
  nlohmann::json before = {{"userName", "a"}, {"title", "x"}, {"meta", {{"version", 1}}}, {"emails", "long"}};
  nlohmann::json after = {{"userName", "a"}, {"title", "y"}, {"meta", {{"version", 2}}}, {"nickName", "n"},
                          {"emails", std::string(300, 'e')}};
  auto c = AttributeChanges(before, after);
  CHECK(c["changed"] == nlohmann::json::array({"emails", "nickName", "title"}));
  CHECK(c["changes"]["title"] == nlohmann::json({{"from", "x"}, {"to", "y"}}));
  CHECK(c["changes"]["nickName"] == nlohmann::json({{"to", "n"}}));
  CHECK(c["changes"]["emails"] == nlohmann::json::object());
}

TEST_CASE("the audit query filters, stops at until, and bounds what one call reads") {
  Fixture f;
  User ada = f.NewUser("ada@example.com");
  for (int i = 0; i < 10; ++i) f.NewUser("u" + std::to_string(i) + "@example.com");
  REQUIRE(f.admin.OffboardUser(ada.id, "it-admin", "").ok());

  AuditFilter by_actor;
  by_actor.actor = "it-admin";
  auto page = QueryAudit(f.store, "acme", by_actor, 0, 100);
  REQUIRE(page.ok());
  REQUIRE(page->entries.size() == 1);
  CHECK(page->entries[0]["type"] == "user.offboarded");
  CHECK_FALSE(page->next.has_value());

  AuditFilter by_name;
  by_name.user = "ada@example.com";
  page = QueryAudit(f.store, "acme", by_name, 0, 1);
  REQUIRE(page.ok());
  REQUIRE(page->entries.size() == 1);
  REQUIRE(page->next.has_value());
  auto rest = QueryAudit(f.store, "acme", by_name, *page->next, 100);
  REQUIRE(rest.ok());
  CHECK(rest->entries.size() == 1);

  AuditFilter until_start;
  until_start.until_ms = 0;
  page = QueryAudit(f.store, "acme", until_start, 0, 100);
  REQUIRE(page.ok());
  CHECK(page->entries.empty());
  CHECK(page->scanned == 1);  // the first event is after `until`: done
}

TEST_CASE("the audit query reads at most kMaxAuditScanned events per call and says where to go on") {
  Fixture f;
  for (std::size_t i = 0; i < kMaxAuditScanned + 10; ++i) {
    Transaction txn(f.store);
    auto e = NewEvent(EventType::kUserUpdated, ChangeSource{"entra", "c-entra", ChangeChannel::kScim}, f.env);
    REQUIRE(EventLog(txn, f.env, "acme").Append(e).ok());
    REQUIRE(txn.Commit().ok());
  }
  AuditFilter none_match;
  none_match.actor = "nobody";
  auto page = QueryAudit(f.store, "acme", none_match, 0, 100);
  REQUIRE(page.ok());
  CHECK(page->entries.empty());
  CHECK(page->scanned == kMaxAuditScanned);
  REQUIRE(page->next.has_value());
  CHECK(*page->next == kMaxAuditScanned);
  auto activity = ReadConnectionActivity(f.store, "acme", "c-entra");
  REQUIRE(activity.ok());
  CHECK((*activity)["lastEvent"] == kMaxAuditScanned + 10);
}
