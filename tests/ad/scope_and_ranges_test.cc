// DN scope, range retrieval names, nested groups.
#include <catch2/catch.hpp>

#include "dn_scope.h"
#include "membership_graph.h"
#include "ranged_attribute.h"

using namespace dirbridge::ad;

TEST_CASE("a DN is within a container RDN by RDN, whatever the case and spacing") {
  CHECK(DnWithin("CN=Ada,OU=Staff,DC=corp,DC=example", "ou=staff, dc=corp, dc=example"));
  CHECK(DnWithin("OU=Staff,DC=corp,DC=example", "OU=Staff,DC=corp,DC=example"));
  CHECK_FALSE(DnWithin("CN=Ada,OU=Staff,DC=corp,DC=example", "U=Staff,DC=corp,DC=example"));
  CHECK_FALSE(DnWithin("CN=Ada,OU=OldStaff,DC=corp,DC=example", "OU=Staff,DC=corp,DC=example"));
  CHECK_FALSE(DnWithin("CN=a\\,OU=Staff,DC=corp,DC=example", "OU=Staff,DC=corp,DC=example"));
  CHECK(DnKey("CN=Ada Lovelace , OU=Staff") == "cn=ada lovelace,ou=staff");
}

TEST_CASE("OU scope: under the base, in an included OU, not in an excluded one") {
  OuScope scope{"DC=corp,DC=example", {"OU=Staff,DC=corp,DC=example"}, {"OU=Leavers,OU=Staff,DC=corp,DC=example"}};
  CHECK(scope.Contains("CN=a,OU=Staff,DC=corp,DC=example"));
  CHECK_FALSE(scope.Contains("CN=a,OU=Leavers,OU=Staff,DC=corp,DC=example"));
  CHECK_FALSE(scope.Contains("CN=a,OU=Vendors,DC=corp,DC=example"));
  CHECK_FALSE(scope.Contains("CN=a,DC=other,DC=example"));
  OuScope everything{"DC=corp,DC=example", {}, {}};
  CHECK(everything.Contains("CN=a,OU=Vendors,DC=corp,DC=example"));
}

TEST_CASE("range options parse as AD writes them") {
  auto r = ParseRangeOption("member;range=0-1499");
  REQUIRE(r);
  CHECK(r->attribute == "member");
  CHECK(r->first == 0);
  CHECK(r->last == 1499);
  CHECK_FALSE(r->final());
  auto last = ParseRangeOption("Member;Range=1500-*");
  REQUIRE(last);
  CHECK(last->final());
  CHECK(last->attribute == "member");
  CHECK_FALSE(ParseRangeOption("member"));
  CHECK_FALSE(ParseRangeOption("member;range=9-3"));
  CHECK_FALSE(ParseRangeOption("member;range=-3"));
  CHECK_FALSE(ParseRangeOption("member;binary"));
  CHECK(RangeRequest("member", 1500, 1500) == "member;range=1500-2999");
  CHECK(RangeRequest("member", 3000, 0) == "member;range=3000-*");
}

TEST_CASE("nested groups flatten to users, a cycle ends the walk") {
  DirectoryMirror m;
  m.users["u1"] = MirrorUser{"CN=u1,OU=S,DC=c", {}, "", false, ""};
  m.users["u2"] = MirrorUser{"CN=u2,OU=S,DC=c", {}, "", false, ""};
  m.users["u3"] = MirrorUser{"CN=u3,OU=S,DC=c", {}, "", false, ""};
  m.groups["a"] = MirrorGroup{"CN=A,OU=G,DC=c", "A", {"cn=u1,ou=s,dc=c", "cn=b,ou=g,dc=c"}, false};
  m.groups["b"] = MirrorGroup{"CN=B,OU=G,DC=c", "B", {"cn=u2,ou=s,dc=c", "cn=a,ou=g,dc=c", "cn=c,ou=g,dc=c"}, false};
  m.groups["c"] = MirrorGroup{"CN=C,OU=G,DC=c", "C", {"cn=u3,ou=s,dc=c", "cn=nobody,ou=s,dc=c"}, false};
  MembershipGraph graph(m);
  CHECK(graph.UsersOf("a") == std::set<std::string>{"u1", "u2", "u3"});
  CHECK(graph.UsersOf("b") == std::set<std::string>{"u1", "u2", "u3"});
  CHECK(graph.UsersOf("c") == std::set<std::string>{"u3"});
  CHECK(graph.GroupWithDn("cn=b, ou=g, dc=c") == std::optional<std::string>("b"));

  // A user renamed: groups that listed the old DN list the new one.
  m.PutUser("u3", MirrorUser{"CN=u3 renamed,OU=S,DC=c", {}, "", false, ""});
  CHECK(m.groups["c"].member_keys[0] == "cn=u3 renamed,ou=s,dc=c");
  CHECK(MembershipGraph(m).UsersOf("c") == std::set<std::string>{"u3"});
}
