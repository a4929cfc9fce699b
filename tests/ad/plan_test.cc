// What dirbridge should hold (desired_state.h) and the plan that gets it there
// (sync_plan.h), including the mass-change guardrail.
#include <catch2/catch.hpp>

#include "desired_state.h"
#include "sync_plan.h"

using namespace dirbridge::ad;
using nlohmann::json;

namespace {

const std::string kEnterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

MirrorUser UserAt(const std::string& dn, const std::string& user_name, bool active = true) {
  MirrorUser u;
  u.dn = dn;
  u.scim = json{{"userName", user_name}, {"externalId", "x"}, {"active", active}, {"title", "Engineer"}};
  return u;
}

ConnectorConfig Config() {
  ConnectorConfig c;
  c.ldap.base_dn = "DC=c";
  c.ldap.include_ous = {"OU=Staff,DC=c"};
  c.ldap.exclude_ous = {"OU=Leavers,OU=Staff,DC=c"};
  return c;
}

DirectoryMirror Mirror() {
  DirectoryMirror m;
  m.users["ada"] = UserAt("CN=ada,OU=Staff,DC=c", "ada@c");
  m.users["bob"] = UserAt("CN=bob,OU=Staff,DC=c", "bob@c");
  m.users["cat"] = UserAt("CN=cat,OU=Leavers,OU=Staff,DC=c", "cat@c");
  m.users["dan"] = UserAt("CN=dan,OU=Staff,DC=c", "dan@c", false);
  m.users["bob"].manager_dn = "CN=ada,OU=Staff,DC=c";
  m.groups["eng"] = MirrorGroup{"CN=eng,OU=Staff,DC=c", "Engineering", {"cn=ada,ou=staff,dc=c", "cn=core,ou=staff,dc=c"}, false};
  m.groups["core"] = MirrorGroup{"CN=core,OU=Staff,DC=c", "Core", {"cn=bob,ou=staff,dc=c", "cn=cat,ou=leavers,ou=staff,dc=c"}, false};
  return m;
}

const PlanStep* Find(const SyncPlan& plan, PlanStep::Kind kind, const std::string& guid) {
  for (const auto& s : plan.steps) {
    if (s.kind == kind && s.guid == guid) return &s;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("desired state: OU scope, disabled accounts, nested group members in scope only") {
  auto d = ComputeDesired(Mirror(), Config());
  REQUIRE(d.ok());
  CHECK(d->users.count("ada"));
  CHECK(d->users.count("bob"));
  CHECK(d->users.count("dan"));  // disabled: present, inactive (onDisabled = disable)
  CHECK(d->absent.at("cat") == Absence::kOutOfScope);
  CHECK(d->users.at("bob").manager_guid == "ada");
  CHECK(d->groups.at("eng").members == std::set<std::string>{"ada", "bob"});
  CHECK(d->groups.at("core").members == std::set<std::string>{"bob"});

  auto deleting = Config();
  deleting.sync.on_disabled = AccountAction::kDelete;
  CHECK(ComputeDesired(Mirror(), deleting)->absent.at("dan") == Absence::kDisabled);
}

TEST_CASE("desired state: scope groups, and a scope group that is not there refuses the run") {
  auto c = Config();
  c.ldap.scope_groups = {"CN=core,OU=Staff,DC=c"};
  auto d = ComputeDesired(Mirror(), c);
  REQUIRE(d.ok());
  CHECK(d->users.count("bob"));
  CHECK(d->absent.at("ada") == Absence::kOutOfScope);
  c.ldap.scope_groups = {"CN=missing,OU=Staff,DC=c"};
  auto refused = ComputeDesired(Mirror(), c);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().detail.find("the scope group 'CN=missing,OU=Staff,DC=c' is not among the groups read") == 0);
}

TEST_CASE("the first plan creates users, then groups, managers wait for their ids") {
  auto c = Config();
  auto d = ComputeDesired(Mirror(), c);
  PushedState pushed;
  SyncPlan plan = MakePlan(*d, pushed, c.sync);
  REQUIRE(Find(plan, PlanStep::Kind::kCreateUser, "ada"));
  const PlanStep* bob = Find(plan, PlanStep::Kind::kCreateUser, "bob");
  REQUIRE(bob);
  CHECK_FALSE(bob->scim.contains(kEnterprise));  // ada has no id yet
  const PlanStep* eng = Find(plan, PlanStep::Kind::kCreateGroup, "eng");
  REQUIRE(eng);
  CHECK(eng->add_members == std::vector<std::string>{"ada", "bob"});
  CHECK(plan.Disables() == 0);
  CHECK(plan.steps.back().kind == PlanStep::Kind::kCreateGroup);

  // After the creates, the second plan sends bob's manager, and only that.
  for (const auto& guid : {"ada", "bob", "dan"}) {
    pushed.users[guid] = PushedUser{std::string("id-") + guid, d->users.at(guid).scim};
  }
  pushed.groups["eng"] = PushedGroup{"g1", "Engineering", {"ada", "bob"}};
  pushed.groups["core"] = PushedGroup{"g2", "Core", {"bob"}};
  SyncPlan second = MakePlan(*d, pushed, c.sync);
  REQUIRE(second.steps.size() == 1);
  CHECK(second.steps[0].kind == PlanStep::Kind::kUpdateUser);
  REQUIRE(second.steps[0].changes.size() == 1);
  CHECK(second.steps[0].changes[0].attribute == kEnterprise + ":manager");
  CHECK(second.steps[0].changes[0].after == json{{"value", "id-ada"}});
}

TEST_CASE("updates name the sub-attributes that changed, a cleared one is removed") {
  auto c = Config();
  DirectoryMirror m;
  m.users["ada"] = UserAt("CN=ada,OU=Staff,DC=c", "ada@c");
  m.users["ada"].scim["name"] = json{{"givenName", "Ada"}};
  PushedState pushed;
  json before = UserAt("CN=ada,OU=Staff,DC=c", "ada@c").scim;
  before["name"] = json{{"givenName", "Ada"}, {"familyName", "Lovelace"}};
  before["title"] = "Analyst";
  pushed.users["ada"] = PushedUser{"id-ada", before};
  SyncPlan plan = MakePlan(*ComputeDesired(m, c), pushed, c.sync);
  REQUIRE(plan.steps.size() == 1);
  const auto& changes = plan.steps[0].changes;
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].attribute == "name.familyName");
  CHECK(changes[0].after.is_null());
  CHECK(changes[1].attribute == "title");
  CHECK(changes[1].after == "Engineer");
  CHECK(DescribeStep(plan.steps[0]) ==
        "update user 'ada@c': name.familyName \"Lovelace\" -> (none); title \"Analyst\" -> \"Engineer\"");
}

TEST_CASE("a disabled, deleted or out-of-scope user is disabled or deleted as configured, last") {
  auto c = Config();
  DirectoryMirror m = Mirror();
  m.MarkDeleted("bob");
  PushedState pushed;
  for (const auto& guid : {"ada", "bob", "cat", "dan"}) {
    json scim = UserAt("CN=x,OU=Staff,DC=c", std::string(guid) + "@c").scim;
    pushed.users[guid] = PushedUser{std::string("id-") + guid, scim};
  }
  pushed.users["gone"] = PushedUser{"id-gone", UserAt("CN=g,OU=Staff,DC=c", "gone@c").scim};
  // ada's pushed copy is her current one: no change for her.
  pushed.users["ada"].scim = m.users["ada"].scim;
  SyncPlan plan = MakePlan(*ComputeDesired(m, c), pushed, c.sync);
  CHECK(plan.Disables() == 4);  // bob (deleted), cat (out of scope), dan (disabled), gone (no longer read)
  for (const auto& guid : {"bob", "cat", "dan", "gone"}) {
    const PlanStep* s = Find(plan, PlanStep::Kind::kUpdateUser, guid);
    REQUIRE(s);
    CHECK(s->disables);
    CHECK(s->scim["active"] == false);
  }
  CHECK(Find(plan, PlanStep::Kind::kUpdateUser, "bob")->reason == "deleted in AD");
  CHECK(Find(plan, PlanStep::Kind::kUpdateUser, "cat")->reason == "out of scope");
  CHECK(Find(plan, PlanStep::Kind::kUpdateUser, "dan")->reason == "disabled in AD");
  CHECK(plan.steps.back().disables);

  c.sync.on_deleted = AccountAction::kDelete;
  SyncPlan deleting = MakePlan(*ComputeDesired(m, c), pushed, c.sync);
  REQUIRE(Find(deleting, PlanStep::Kind::kDeleteUser, "bob"));
  CHECK(DescribeStep(*Find(deleting, PlanStep::Kind::kDeleteUser, "bob")) == "delete user 'bob@c' (deleted in AD)");

  // An entry that cannot be normalized is held: nothing happens to what dirbridge has.
  m.users["ada"].invalid = "bad title";
  SyncPlan held = MakePlan(*ComputeDesired(m, c), pushed, c.sync);
  CHECK_FALSE(Find(held, PlanStep::Kind::kUpdateUser, "ada"));
  CHECK_FALSE(Find(held, PlanStep::Kind::kDeleteUser, "ada"));
}

TEST_CASE("group changes: rename, members in and out, deletion") {
  auto c = Config();
  auto d = ComputeDesired(Mirror(), c);
  PushedState pushed;
  for (const auto& guid : {"ada", "bob", "dan"}) pushed.users[guid] = PushedUser{"id", d->users.at(guid).scim};
  pushed.groups["eng"] = PushedGroup{"g1", "Eng", {"bob", "dan"}};
  pushed.groups["old"] = PushedGroup{"g3", "Old", {}};
  pushed.groups["core"] = PushedGroup{"g2", "Core", {"bob"}};
  SyncPlan plan = MakePlan(*d, pushed, c.sync);
  const PlanStep* eng = Find(plan, PlanStep::Kind::kUpdateGroup, "eng");
  REQUIRE(eng);
  CHECK(eng->new_name == "Engineering");
  CHECK(eng->add_members == std::vector<std::string>{"ada"});
  CHECK(eng->remove_members == std::vector<std::string>{"dan"});
  CHECK(DescribeStep(*eng) == "update group 'Eng': rename to 'Engineering'; add 1 members; remove 1 members");
  CHECK(Find(plan, PlanStep::Kind::kDeleteGroup, "old"));
  CHECK_FALSE(Find(plan, PlanStep::Kind::kUpdateGroup, "core"));
}

TEST_CASE("the mass-change guardrail: a share of the active users, never below the minimum") {
  SyncSettings s;
  s.mass_change_max_share = 0.10;
  s.mass_change_min_count = 10;
  CHECK(WithinMassChangeLimit(10, 20, s));
  CHECK_FALSE(WithinMassChangeLimit(11, 20, s));
  CHECK(WithinMassChangeLimit(100, 1000, s));
  CHECK_FALSE(WithinMassChangeLimit(101, 1000, s));
  s.mass_change_min_count = 0;
  CHECK_FALSE(WithinMassChangeLimit(1, 5, s));
  CHECK(WithinMassChangeLimit(0, 0, s));
}
