// The mass-change guardrail (provision/mass_change_guard.h): one source's removals past
// the threshold within the window are held as pending with one change.held event each,
// the rest of the change applies, the admin is never held, and the admin's approval
// applies a held removal while a discard forgets it.
#include <catch2/catch.hpp>

#include "native/native_env.h"
#include "provision/directory.h"
#include "provision/event_log.h"
#include "provision/mass_change_guard.h"
#include "store/memory_kv_store.h"

using namespace dirbridge;

namespace {

struct Fixture {
  NativeEnv env{/*deterministic=*/true};
  MemoryKvStore store;
  Directory scim{store, env, "acme", ChangeSource{"entra", "c-entra", ChangeChannel::kScim}};
  Directory other{store, env, "acme", ChangeSource{"okta", "c-okta", ChangeChannel::kScim}};
  Directory admin{store, env, "acme", ChangeSource{"admin", "", ChangeChannel::kAdmin}};
  std::vector<std::string> ids;

  explicit Fixture(int users, GuardSettings settings = {}) {
    Transaction txn(store);
    PutGuardSettings(txn, "acme", settings);
    REQUIRE(txn.Commit().ok());
    for (int i = 0; i < users; ++i) {
      env.AdvanceMillis(1);
      User u;
      u.user_name = "u" + std::to_string(i) + "@example.com";
      auto created = scim.CreateUser(u);
      REQUIRE(created.ok());
      ids.push_back(created->id);
    }
  }
  std::vector<std::string> TypesFrom(std::size_t first) {
    auto events = ReadEvents(store, "acme", first, 1000);
    REQUIRE(events.ok());
    std::vector<std::string> out;
    for (const auto& e : *events) out.push_back(e["type"]);
    return out;
  }
};

nlohmann::json One(const char* name, nlohmann::json value) {
  nlohmann::json j = nlohmann::json::object();
  j[name] = std::move(value);
  return j;
}

}  // namespace

TEST_CASE("the threshold is the larger of the user count and the share of the tenant") {
  GuardSettings s;
  CHECK(GuardThreshold(s, 10) == 50);
  CHECK(GuardThreshold(s, 500) == 50);
  CHECK(GuardThreshold(s, 501) == 51);  // 10 % rounded up
  CHECK(GuardThreshold(s, 100'000) == 10'000);
}

TEST_CASE("a source's suspensions past the threshold are held, the rest of the change applies") {
  GuardSettings s;
  s.users = 3;
  Fixture f(10, s);
  for (int i = 0; i < 5; ++i) {
    auto r = f.scim.UpdateUser(
        f.ids[i],
        [](User& u) {
          u.active = false;
          u.title = "Gone";
          return Status::Ok();
        },
        std::nullopt);
    REQUIRE(r.ok());
    CHECK(r->active == (i >= 3));
    CHECK(r->title == "Gone");
  }
  auto types = f.TypesFrom(10);
  CHECK(std::count(types.begin(), types.end(), "user.suspended") == 3);
  CHECK(std::count(types.begin(), types.end(), "change.held") == 2);
  auto pending = ListPending(f.store, "acme", "", 100);
  REQUIRE(pending.ok());
  REQUIRE(pending->size() == 2);
  CHECK((*pending)[0].threshold == 3);

  // Another source has its own window; the admin is never held.
  REQUIRE_FALSE(f.other.SetUserActive(f.ids[6], false, std::nullopt)->active);
  REQUIRE_FALSE(f.admin.SetUserActive(f.ids[7], false, std::nullopt)->active);
  // A repeat of a held suspension logs nothing new.
  const auto before = f.TypesFrom(0).size();
  REQUIRE(f.scim.SetUserActive(f.ids[3], false, std::nullopt)->active);
  CHECK(f.TypesFrom(0).size() == before);
}

TEST_CASE("a held deletion leaves the user, approve applies it, discard forgets it") {
  GuardSettings s;
  s.users = 1;
  Fixture f(5, s);
  REQUIRE(f.scim.DeleteUser(f.ids[0], std::nullopt).ok());
  REQUIRE(f.scim.DeleteUser(f.ids[1], std::nullopt).ok());  // held
  REQUIRE(f.scim.DeleteUser(f.ids[2], std::nullopt).ok());  // held
  CHECK(f.scim.GetUser(f.ids[0]).error().kind == ErrorKind::kNotFound);
  REQUIRE(f.scim.GetUser(f.ids[1]).ok());

  auto approved = f.admin.ApprovePending(f.ids[1], "it-admin");
  REQUIRE(approved.ok());
  CHECK(approved->kind == RemovalKind::kDelete);
  CHECK(f.scim.GetUser(f.ids[1]).error().kind == ErrorKind::kNotFound);
  auto discarded = f.admin.DiscardPending(f.ids[2], "it-admin");
  REQUIRE(discarded.ok());
  REQUIRE(f.scim.GetUser(f.ids[2]).ok());
  CHECK(f.admin.DiscardPending(f.ids[2], "it-admin").error().kind == ErrorKind::kNotFound);
  auto types = f.TypesFrom(5);
  // A source's delete archives the user (its connection's default deprovisioning policy).
  CHECK(types == std::vector<std::string>{"user.archived", "change.held", "change.held", "user.archived",
                                          "change.approved", "change.discarded"});
}

TEST_CASE("the window ends and the count starts again, a disabled guardrail holds nothing") {
  GuardSettings s;
  s.users = 1;
  s.window_seconds = 60;
  Fixture f(4, s);
  REQUIRE_FALSE(f.scim.SetUserActive(f.ids[0], false, std::nullopt)->active);
  REQUIRE(f.scim.SetUserActive(f.ids[1], false, std::nullopt)->active);  // held
  f.env.AdvanceMillis(61'000);
  REQUIRE_FALSE(f.scim.SetUserActive(f.ids[2], false, std::nullopt)->active);

  GuardSettings off = s;
  off.enabled = false;
  Transaction txn(f.store);
  PutGuardSettings(txn, "acme", off);
  REQUIRE(txn.Commit().ok());
  REQUIRE_FALSE(f.scim.SetUserActive(f.ids[3], false, std::nullopt)->active);
}

TEST_CASE("guardrail settings: known fields in range only") {
  GuardSettings base;
  CHECK(GuardSettingsFromJson(One("percent", 0), base).error().kind == ErrorKind::kInvalidInput);
  CHECK(GuardSettingsFromJson(One("percent", 101), base).error().kind == ErrorKind::kInvalidInput);
  CHECK(GuardSettingsFromJson(One("users", -1), base).error().kind == ErrorKind::kInvalidInput);
  CHECK(GuardSettingsFromJson(One("windowSeconds", 59), base).error().kind == ErrorKind::kInvalidInput);
  CHECK(GuardSettingsFromJson(One("enabled", "no"), base).error().kind == ErrorKind::kInvalidInput);
  CHECK(GuardSettingsFromJson(One("limit", 5), base).error().kind == ErrorKind::kInvalidInput);
  auto ok = GuardSettingsFromJson(One("users", 7), base);
  REQUIRE(ok.ok());
  CHECK(ok->users == 7);
  CHECK(ok->percent == 10);
}
