// Group automation (provision/entitlement_rules.h): a member added to a group whose
// displayName (any case) has a rule gets one entitlement.granted event per entitlement,
// in the batch of the change; a member removed, or a user deleted, one
// entitlement.revoked each; no rule, no event; a bad rule is refused and writes
// nothing; a corrupt stored rule never stops a membership change.
#include <catch2/catch.hpp>

#include "native/native_env.h"
#include "provision/directory.h"
#include "provision/entitlement_rules.h"
#include "provision/event_log.h"
#include "store/key_layout.h"
#include "store/memory_kv_store.h"

using namespace dirbridge;
using nlohmann::json;

namespace {

const ChangeSource kAdmin{"admin", "", ChangeChannel::kAdmin};

struct Fixture {
  NativeEnv env{/*deterministic=*/true};
  MemoryKvStore store;
  Directory scim{store, env, "acme", ChangeSource{"entra", "c-entra", ChangeChannel::kScim}};
  std::string ada, bob, eng;

  Fixture() {
    User a;
    a.user_name = "ada@example.com";
    ada = scim.CreateUser(a)->id;
    User b;
    b.user_name = "bob@example.com";
    bob = scim.CreateUser(b)->id;
    Group g;
    g.display_name = "Engineering";
    eng = scim.CreateGroup(g, {})->id;
  }

  Result<RuleSetOutcome> Set(std::string_view group, json body) {
    return SetRule(store, env, "acme", kAdmin, group, body);
  }
  void SetTwo(std::string_view group) {
    auto r = Set(group, json::parse(R"({"entitlements": [{"type": "role", "name": "Developers"},
                                                         {"type": "sharedFolder", "name": "Eng Secrets"}]})"));
    REQUIRE(r.ok());
  }
  Status Add(const std::string& user) {
    MembershipChange c;
    c.add.push_back(MemberRef{user, ""});
    return scim.ChangeMembership(eng, c, std::nullopt).status();
  }
  Status Remove(const std::string& user) {
    MembershipChange c;
    c.remove.push_back(user);
    return scim.ChangeMembership(eng, c, std::nullopt).status();
  }
  uint64_t Last() {
    auto events = ReadEvents(store, "acme", 0, 100000);
    REQUIRE(events.ok());
    return events->empty() ? 0 : (*events).back()["sequence"].get<uint64_t>();
  }
  std::vector<json> EventsAfter(uint64_t after) {
    auto events = ReadEvents(store, "acme", after, 100000);
    REQUIRE(events.ok());
    return *events;
  }
  std::vector<std::string> TypesAfter(uint64_t after) {
    std::vector<std::string> out;
    for (const auto& e : EventsAfter(after)) out.push_back(e["type"]);
    return out;
  }
  // Everything the store holds, to show that a refused call wrote nothing.
  std::vector<KvEntry> Snapshot() {
    auto all = store.List("t/acme/", "", 1000000);
    REQUIRE(all.ok());
    return *all;
  }
};

bool SameEntries(const std::vector<KvEntry>& a, const std::vector<KvEntry>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].key != b[i].key || a[i].value != b[i].value) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("a member added to a group with a rule is granted its entitlements in one event, in the same batch", "[entitlement]") {
  Fixture f;
  f.SetTwo("Engineering");
  const auto before = f.Last();
  REQUIRE(f.Add(f.ada).ok());
  auto events = f.EventsAfter(before);
  REQUIRE(events.size() == 2);
  CHECK(events[0]["type"] == "group.member_added");
  CHECK(events[1]["type"] == "entitlement.granted");
  CHECK(events[1]["user"] == f.ada);
  CHECK(events[1]["group"] == f.eng);
  CHECK(events[1]["source"]["connection"] == "c-entra");
  CHECK(events[1]["data"]["displayName"] == "Engineering");
  CHECK(events[1]["data"]["userName"] == "ada@example.com");
  CHECK(events[1]["data"]["entitlements"] == json::parse(R"([{"type": "role", "name": "Developers"},
                                                            {"type": "sharedFolder", "name": "Eng Secrets"}])"));

  // Adding an existing member is no change: nothing is granted again.
  const auto again = f.Last();
  REQUIRE(f.Add(f.ada).ok());
  CHECK(f.TypesAfter(again).empty());
}

TEST_CASE("a member removed loses the entitlements, and a group created with members grants at once", "[entitlement]") {
  Fixture f;
  f.SetTwo("Engineering");
  REQUIRE(f.Add(f.ada).ok());
  const auto before = f.Last();
  REQUIRE(f.Remove(f.ada).ok());
  auto events = f.EventsAfter(before);
  REQUIRE(events.size() == 2);
  CHECK(events[0]["type"] == "group.member_removed");
  CHECK(events[1]["type"] == "entitlement.revoked");
  CHECK(events[1]["data"]["entitlements"].size() == 2);
  CHECK(events[1]["data"]["entitlements"][0]["name"] == "Developers");
  // Removing a non-member is no change.
  const auto again = f.Last();
  REQUIRE(f.Remove(f.ada).ok());
  CHECK(f.TypesAfter(again).empty());

  f.SetTwo("Ops");
  const auto created = f.Last();
  Group ops;
  ops.display_name = "Ops";
  REQUIRE(f.scim.CreateGroup(ops, {MemberRef{f.bob, ""}}).ok());
  CHECK(f.TypesAfter(created) ==
        std::vector<std::string>{"group.created", "group.member_added", "entitlement.granted"});
}

TEST_CASE("deleting a user revokes the entitlements of every group it was in", "[entitlement]") {
  Fixture f;
  f.SetTwo("Engineering");
  REQUIRE(f.Add(f.bob).ok());
  const auto before = f.Last();
  REQUIRE(f.scim.DeleteUser(f.bob, std::nullopt).ok());
  auto events = f.EventsAfter(before);
  std::vector<std::string> types;
  for (const auto& e : events) types.push_back(e["type"]);
  CHECK(types == std::vector<std::string>{"group.member_removed", "entitlement.revoked", "user.archived"});
  CHECK(events[1]["user"] == f.bob);
  CHECK(events[1]["data"]["userName"] == "bob@example.com");  // at hand from the user being deleted
}

TEST_CASE("a replace of the members revokes for those who leave and grants for those who join", "[entitlement]") {
  Fixture f;
  f.SetTwo("Engineering");
  REQUIRE(f.Add(f.ada).ok());
  const auto before = f.Last();
  MembershipChange c;
  c.replace_all = true;
  c.add.push_back(MemberRef{f.bob, ""});
  REQUIRE(f.scim.ChangeMembership(f.eng, c, std::nullopt).ok());
  auto events = f.EventsAfter(before);
  REQUIRE(events.size() == 4);
  CHECK(events[1]["type"] == "entitlement.revoked");
  CHECK(events[1]["user"] == f.ada);
  CHECK(events[3]["type"] == "entitlement.granted");
  CHECK(events[3]["user"] == f.bob);
}

TEST_CASE("no rule, no entitlement event", "[entitlement]") {
  Fixture f;
  f.SetTwo("Sales");
  const auto before = f.Last();
  REQUIRE(f.Add(f.ada).ok());
  REQUIRE(f.Remove(f.ada).ok());
  CHECK(f.TypesAfter(before) == std::vector<std::string>{"group.member_added", "group.member_removed"});
}

TEST_CASE("rules match the group's displayName ignoring case, and follow a rename", "[entitlement]") {
  Fixture f;
  f.SetTwo("ENGINEERING");
  const auto before = f.Last();
  REQUIRE(f.Add(f.ada).ok());
  CHECK(f.TypesAfter(before).size() == 2);
  // The rule is one record per name: setting it in another case replaces it.
  auto replaced = f.Set("engineering", json::parse(R"({"entitlements": [{"type": "policy", "name": "MFA"}]})"));
  REQUIRE(replaced.ok());
  CHECK_FALSE(replaced->created);
  Transaction txn(f.store);
  auto loaded = LoadRule(txn, "acme", "EnGiNeErInG");
  REQUIRE(loaded.ok());
  REQUIRE(loaded->has_value());
  CHECK((*loaded)->group == "engineering");
  CHECK((*loaded)->entitlements.size() == 1);

  // Renamed, the group keeps its members (nothing granted or revoked) and its later
  // changes follow the rule of the new name: none.
  const auto renamed = f.Last();
  REQUIRE(f.scim.RenameGroup(f.eng, "Platform", std::nullopt).ok());
  REQUIRE(f.Add(f.bob).ok());
  CHECK(f.TypesAfter(renamed) == std::vector<std::string>{"group.updated", "group.member_added"});
}

TEST_CASE("a bad rule is refused with a precise message and nothing is written", "[entitlement]") {
  Fixture f;
  const auto before = f.Snapshot();
  auto refused = [&](std::string_view group, const std::string& body, const std::string& says) {
    auto r = f.Set(group, json::parse(body));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::kInvalidInput);
    CHECK_THAT(r.error().detail, Catch::Contains(says));
    CHECK(SameEntries(f.Snapshot(), before));
  };
  refused("Eng", R"({})", "no 'entitlements'");
  refused("Eng", R"({"entitlements": {}})", "must be an array");
  refused("Eng", R"({"entitlements": []})", "is empty");
  refused("Eng", R"({"entitlements": [{"type": "admin", "name": "x"}]})", "entitlements[0].type must be");
  refused("Eng", R"({"entitlements": [{"type": "role"}]})", "entitlements[0].name must be a string");
  refused("Eng", R"({"entitlements": [{"type": "role", "name": ""}]})", "entitlements[0].name is empty");
  refused("Eng", R"({"entitlements": [{"type": "role", "name": "a\u0007b"}]})", "control character");
  refused("Eng", json{{"entitlements", json::array({json{{"type", "role"}, {"name", std::string(201, 'x')}}})}}.dump(),
          "entitlements[0].name is 201 bytes; the limit is 200");
  refused("Eng", R"({"entitlements": [{"type": "role", "name": "a", "extra": 1}]})", "does not take");
  refused("Eng", R"({"entitlements": [{"type": "role", "name": "a"}, {"type": "role", "name": "a"}]})",
          "entitlements[1] repeats role 'a'");
  refused("Eng", R"({"entitlements": [{"type": "role", "name": "a"}], "color": "red"})", "does not take");
  refused("Eng", R"({"entitlements": [{"type": "role", "name": "a"}], "by": "x\ny"})", "control character");
  refused("", R"({"entitlements": [{"type": "role", "name": "a"}]})", "the group name is empty");
  refused(std::string(513, 'g'), R"({"entitlements": [{"type": "role", "name": "a"}]})", "513 bytes");
  refused("a\tb", R"({"entitlements": [{"type": "role", "name": "a"}]})", "control character");
  CHECK(DeleteRule(f.store, f.env, "acme", kAdmin, "Eng", "").error().kind == ErrorKind::kNotFound);
}

TEST_CASE("a rule holds at most 50 entitlements, and exactly 50 are granted in one event", "[entitlement]") {
  Fixture f;
  json fifty = json::array();
  for (int i = 0; i < 50; ++i) fifty.push_back({{"type", "role"}, {"name", "r" + std::to_string(i)}});
  json fifty_one = fifty;
  fifty_one.push_back({{"type", "role"}, {"name", "one too many"}});
  auto over = f.Set("Engineering", json{{"entitlements", fifty_one}});
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().detail == "'entitlements' has 51 entries; the limit is 50 per rule");
  REQUIRE(f.Set("Engineering", json{{"entitlements", fifty}}).ok());
  const auto before = f.Last();
  REQUIRE(f.Add(f.ada).ok());
  auto events = f.EventsAfter(before);
  REQUIRE(events.size() == 2);
  CHECK(events[1]["type"] == "entitlement.granted");
  CHECK(events[1]["data"]["entitlements"].size() == 50);
}

TEST_CASE("a tenant holds at most 500 rules, and deleting one makes room", "[entitlement]") {
  Fixture f;
  const json body = json::parse(R"({"entitlements": [{"type": "role", "name": "r"}]})");
  for (std::size_t i = 0; i < kMaxRulesPerTenant; ++i) REQUIRE(f.Set("g" + std::to_string(i), body).ok());
  auto over = f.Set("one more", body);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().detail == "the tenant has 500 rules; the limit is 500 (delete one first)");
  REQUIRE(f.Set("g7", body).ok());  // replacing is not a new rule
  REQUIRE(DeleteRule(f.store, f.env, "acme", kAdmin, "G7", "it-admin").ok());
  REQUIRE(f.Set("one more", body).ok());
  auto page = ListRules(f.store, "acme", "", 200);
  REQUIRE(page.ok());
  CHECK(page->size() == 200);
}

TEST_CASE("a corrupt stored rule does not stop a membership change and can be listed and deleted", "[entitlement]") {
  Fixture f;
  {
    Transaction txn(f.store);
    txn.Put(keys::EntitlementRule("acme", "Engineering"), "{not json");
    REQUIRE(txn.Commit().ok());
  }
  const auto before = f.Last();
  REQUIRE(f.Add(f.ada).ok());
  auto events = f.EventsAfter(before);
  REQUIRE(events.size() == 1);
  CHECK(events[0]["type"] == "group.member_added");
  CHECK_THAT(events[0]["data"]["entitlementRuleError"].get<std::string>(), Catch::Contains("does not parse"));
  REQUIRE(f.Remove(f.ada).ok());

  Transaction txn(f.store);
  auto loaded = LoadRule(txn, "acme", "engineering");
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().kind == ErrorKind::kCorrupt);
  auto listed = ListRules(f.store, "acme", "", 50);
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK((*listed)[0].group == "engineering");
  CHECK_FALSE((*listed)[0].corrupt.empty());

  // A record that parses but is not a rule is corrupt too.
  {
    Transaction put(f.store);
    put.Put(keys::EntitlementRule("acme", "Engineering"), R"({"group":"Engineering","entitlements":[{"type":"x"}]})");
    REQUIRE(put.Commit().ok());
  }
  Transaction again(f.store);
  CHECK(LoadRule(again, "acme", "Engineering").error().kind == ErrorKind::kCorrupt);
  REQUIRE(DeleteRule(f.store, f.env, "acme", kAdmin, "Engineering", "").ok());
  CHECK(f.TypesAfter(f.Last() - 1) == std::vector<std::string>{"rule.deleted"});
}

TEST_CASE("setting and deleting a rule are audit events with the admin's name", "[entitlement]") {
  Fixture f;
  const auto before = f.Last();
  auto set =
      f.Set("Engineering", json::parse(R"({"entitlements": [{"type": "role", "name": "Dev"}], "by": "it-admin"})"));
  REQUIRE(set.ok());
  CHECK(set->created);
  CHECK(set->rule.by == "it-admin");
  REQUIRE(DeleteRule(f.store, f.env, "acme", kAdmin, "engineering", "").ok());
  auto events = f.EventsAfter(before);
  REQUIRE(events.size() == 2);
  CHECK(events[0]["type"] == "rule.set");
  CHECK(events[0]["data"]["by"] == "it-admin");
  CHECK(events[0]["data"]["displayName"] == "Engineering");
  CHECK(events[0]["data"]["created"] == true);
  CHECK(events[0]["source"]["kind"] == "admin");
  CHECK(events[1]["type"] == "rule.deleted");
  CHECK(events[1]["data"]["by"] == "admin");
  CHECK(events[1]["data"]["entitlements"].size() == 1);
}
