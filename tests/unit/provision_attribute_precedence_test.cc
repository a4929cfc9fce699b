// Several sources for one person (model/attribute_precedence.h,
// provision/attribute_ownership.h): under the tenant's precedence rules a source that
// ranks below an attribute's owner does not overwrite it; the value is kept, the
// conflict is logged once per (attribute, source, value) and counted after that; a
// stronger source takes an attribute over; without rules the last writer wins.
#include <catch2/catch.hpp>

#include "engine_fixture.h"

#include "native/native_env.h"
#include "provision/attribute_ownership.h"
#include "provision/directory.h"
#include "provision/event_log.h"
#include "provision/precedence_admin.h"
#include "store/memory_kv_store.h"

using namespace dirbridge;

namespace {

struct Fixture : testing::EngineFixture {
  Directory entra{store, env, "acme", ChangeSource{"entra", "c-entra", ChangeChannel::kScim}};
  Directory google{store, env, "acme", ChangeSource{"google", "c-google", ChangeChannel::kPush}};
  Directory okta{store, env, "acme", ChangeSource{"okta", "c-okta", ChangeChannel::kHook}};

  void Rules(const char* text) { REQUIRE(SetPrecedence(store, env, "acme", nlohmann::json::parse(text), "it").ok()); }
  User NewUser(Directory& d) {
    User u;
    u.user_name = "ada@example.com";
    u.title = "Engineer";
    u.display_name = "Ada";
    auto created = d.CreateUser(u);
    REQUIRE(created.ok());
    return *created;
  }
  Result<User> SetTitle(Directory& d, const std::string& id, const std::string& title) {
    return d.UpdateUser(
        id,
        [&](User& u) {
          u.title = title;
          return Status::Ok();
        },
        std::nullopt);
  }
  std::size_t Conflicts() {
    std::size_t n = 0;
    for (const auto& e : Events()) n += e["type"] == "user.attribute_conflict";
    return n;
  }
};

}  // namespace

TEST_CASE("without rules the last writer wins and nothing is recorded") {
  Fixture f;
  User ada = f.NewUser(f.entra);
  REQUIRE(f.SetTitle(f.google, ada.id, "Manager").ok());
  CHECK(f.entra.GetUser(ada.id)->title == "Manager");
  CHECK(f.Conflicts() == 0);
  auto owners = ReadAttributeOwners(f.store, "acme", ada.id);
  REQUIRE(owners.ok());
  CHECK((*owners)["owners"].empty());
}

TEST_CASE("a weaker source does not overwrite the owner's attribute: the value is kept, the conflict logged once") {
  Fixture f;
  f.Rules(R"({"attributes": {"title": ["entra", "google"]}})");
  User ada = f.NewUser(f.entra);

  auto offered = f.SetTitle(f.google, ada.id, "Manager");
  REQUIRE(offered.ok());
  CHECK(offered->title == "Engineer");
  CHECK(offered->meta.version == ada.meta.version);  // nothing else changed: no write
  auto events = f.Events();
  const auto& e = events.back();
  CHECK(e["type"] == "user.attribute_conflict");
  CHECK(e["user"] == ada.id);
  CHECK(e["source"]["connection"] == "c-google");
  REQUIRE(e["data"]["conflicts"].size() == 1);
  CHECK(e["data"]["conflicts"][0]["attribute"] == "title");
  CHECK(e["data"]["conflicts"][0]["ownedBy"]["connection"] == "c-entra");
  CHECK(e["data"]["conflicts"][0]["offered"] == "Manager");
  CHECK(e["data"]["conflicts"][0]["kept"] == "Engineer");

  // the same offer again (a sync): counted, not logged
  REQUIRE(f.SetTitle(f.google, ada.id, "Manager").ok());
  CHECK(f.Conflicts() == 1);
  auto owners = ReadAttributeOwners(f.store, "acme", ada.id);
  REQUIRE(owners.ok());
  CHECK((*owners)["conflicts"]["title"]["count"] == 2);
  CHECK((*owners)["owners"]["title"]["connection"] == "c-entra");
  // a different value is a new conflict
  REQUIRE(f.SetTitle(f.google, ada.id, "Director").ok());
  CHECK(f.Conflicts() == 2);
  CHECK(f.entra.GetUser(ada.id)->title == "Engineer");
}

TEST_CASE("the weaker source's other attributes still apply, in the same change") {
  Fixture f;
  f.Rules(R"({"attributes": {"title": ["entra"]}})");
  User ada = f.NewUser(f.entra);
  auto changed = f.google.UpdateUser(
      ada.id,
      [](User& u) {
        u.title = "Manager";
        u.display_name = "Ada L";
        return Status::Ok();
      },
      std::nullopt);
  REQUIRE(changed.ok());
  CHECK(changed->title == "Engineer");
  CHECK(changed->display_name == "Ada L");
  auto events = f.Events();
  CHECK(events[events.size() - 2]["type"] == "user.attribute_conflict");
  CHECK(events.back()["type"] == "user.updated");
  CHECK(events.back()["data"]["changed"] == nlohmann::json::array({"displayName"}));
}

TEST_CASE("a stronger source takes an attribute over, an unnamed source ranks last, '*' covers the rest") {
  Fixture f;
  f.Rules(R"({"attributes": {"*": ["c-entra", "google"]}})");
  User ada = f.NewUser(f.google);  // google created it: owns everything
  REQUIRE(f.SetTitle(f.entra, ada.id, "Manager").ok());  // entra outranks google
  CHECK(f.entra.GetUser(ada.id)->title == "Manager");
  CHECK(f.Conflicts() == 0);
  REQUIRE(f.SetTitle(f.okta, ada.id, "Intern").ok());  // okta is not named: below both
  CHECK(f.entra.GetUser(ada.id)->title == "Manager");
  CHECK(f.Conflicts() == 1);
  REQUIRE(f.SetTitle(f.entra, ada.id, "Director").ok());  // the owner itself
  CHECK(f.entra.GetUser(ada.id)->title == "Director");
}

TEST_CASE("a removed value stays owned: a weaker source cannot put one back") {
  Fixture f;
  f.Rules(R"({"attributes": {"title": ["entra", "google"]}})");
  User ada = f.NewUser(f.entra);
  REQUIRE(f.SetTitle(f.entra, ada.id, "").ok());
  CHECK(f.entra.GetUser(ada.id)->title.empty());
  REQUIRE(f.SetTitle(f.google, ada.id, "Manager").ok());
  CHECK(f.entra.GetUser(ada.id)->title.empty());
  CHECK(f.Conflicts() == 1);
}

TEST_CASE("the rules are checked, each error precise, and a bad PUT changes nothing") {
  Fixture f;
  f.Rules(R"({"attributes": {"title": ["entra"]}})");
  auto bad = [&](const char* text) {
    auto r = SetPrecedence(f.store, f.env, "acme", nlohmann::json::parse(text), "it");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::kInvalidInput);
    return r.error().detail;
  };
  CHECK(bad(R"({"title": ["entra"]})").find("must be {\"attributes\"") != std::string::npos);
  CHECK(bad(R"({"attributes": {"title": []}})") == "the precedence of 'title' must be a non-empty array of sources");
  CHECK(bad(R"({"attributes": {"title": ["entra", "entra"]}})") == "the precedence of 'title' names a source twice");
  CHECK(bad(R"({"attributes": {"active": ["entra"]}})").find("'active' has no precedence") == 0);
  CHECK(bad(R"({"attributes": {"id": ["entra"]}})").find("'id' has no precedence") == 0);
  CHECK(bad(R"({"attributes": {"title": [1]}})").find("must name sources as strings") != std::string::npos);
  CHECK(bad(R"({"attributes": {"title": ["a\u0001"]}})") == "source names must not hold control characters");
  nlohmann::json many = {{"attributes", nlohmann::json::object()}};
  for (int i = 0; i < 51; ++i) many["attributes"]["a" + std::to_string(i)] = {"entra"};
  CHECK(bad(many.dump().c_str()) == "at most 50 attributes have a precedence");
  nlohmann::json long_list = {{"attributes", {{"title", nlohmann::json::array()}}}};
  for (int i = 0; i < 11; ++i) long_list["attributes"]["title"].push_back("s" + std::to_string(i));
  CHECK(bad(long_list.dump().c_str()) == "the precedence of 'title' names more than 10 sources");

  auto kept = ReadPrecedence(f.store, "acme");
  REQUIRE(kept.ok());
  CHECK(PrecedenceRulesToJson(*kept) == nlohmann::json::parse(R"({"attributes": {"title": ["entra"]}})"));
  CHECK(f.Events().back()["type"] == "precedence.set");
  REQUIRE(ClearPrecedence(f.store, f.env, "acme", "it").ok());
  CHECK(ClearPrecedence(f.store, f.env, "acme", "it").error().kind == ErrorKind::kNotFound);
  CHECK(f.Events().back()["data"]["rules"].is_null());
}
