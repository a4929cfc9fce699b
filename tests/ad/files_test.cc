// The configuration file (every key checked, secrets from the environment or a file)
// and the state file (atomic, refused when broken).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

#include "connector_config.h"
#include "sync_state.h"

using namespace dirbridge::ad;

namespace {

std::optional<std::string> TestEnv(const char* name) {
  if (std::string(name) == "AD_PASSWORD") return std::string("s3cret");
  if (std::string(name) == "SCIM_TOKEN") return std::string("tok-123");
  return std::nullopt;
}

std::string Folder() {
  static std::string folder = [] {
    char templ[] = "/tmp/dirbridge-ad-test-XXXXXX";
    std::string f = mkdtemp(templ);
    std::ofstream(f + "/ca.pem") << "not checked here\n";
    std::ofstream(f + "/token") << "  tok-from-file\n";
    return f;
  }();
  return folder;
}

nlohmann::json Valid() {
  return nlohmann::json::parse(R"({
    "ldap": {"url": "ldaps://dc1.corp.example", "caFile": "ca.pem", "bindDn": "svc@corp.example",
             "passwordEnv": "AD_PASSWORD", "baseDn": "DC=corp,DC=example"},
    "target": {"scimUrl": "https://edge.example/t/acme/scim/v2/", "tokenEnv": "SCIM_TOKEN"},
    "sync": {"stateFile": "state.json"}
  })");
}

std::string ErrorOf(const nlohmann::json& j) {
  auto r = ParseConfig(j.dump(), Folder(), TestEnv);
  REQUIRE_FALSE(r.ok());
  return r.error().detail;
}

}  // namespace

TEST_CASE("a minimal configuration takes the documented defaults") {
  auto c = ParseConfig(Valid().dump(), Folder(), TestEnv);
  REQUIRE(c.ok());
  CHECK(c->ldap.password == "s3cret");
  CHECK(c->ldap.ca_file == Folder() + "/ca.pem");
  CHECK(c->ldap.page_size == 1000);
  CHECK(c->ldap.range_size == 1500);
  CHECK(c->target.scim_url == "https://edge.example/t/acme/scim/v2");
  CHECK(c->target.token == "tok-123");
  CHECK(c->sync.state_file == Folder() + "/state.json");
  CHECK(c->sync.interval_seconds == 300);
  CHECK(c->sync.on_deleted == AccountAction::kDisable);
  CHECK(c->sync.on_disabled == AccountAction::kDisable);
  CHECK(c->mapping.source.at(dirbridge::ad::Target::kUserName) == "userPrincipalName");
  CHECK(c->ldap.change_tracking == LdapSettings::ChangeTracking::kUsn);
  auto dirsync = Valid();
  dirsync["ldap"]["changeTracking"] = "dirsync";
  CHECK(ParseConfig(dirsync.dump(), Folder(), TestEnv)->ldap.change_tracking == LdapSettings::ChangeTracking::kDirSync);

  auto j = Valid();
  j["target"].erase("tokenEnv");
  j["target"]["tokenFile"] = "token";
  CHECK(ParseConfig(j.dump(), Folder(), TestEnv)->target.token == "tok-from-file");
}

TEST_CASE("every bad configuration is a precise error") {
  auto with = [](const std::string& section, const std::string& key, nlohmann::json value) {
    auto j = Valid();
    if (value.is_null()) {
      j[section].erase(key);
    } else {
      j[section][key] = value;
    }
    return ErrorOf(j);
  };
  CHECK(ErrorOf(nlohmann::json::array()) == "configuration: '(top level)' must be an object");
  CHECK(with("ldap", "pasword", "x").find("unknown key 'ldap.pasword'") != std::string::npos);
  CHECK(with("ldap", "url", "http://dc1").find("must start with ldaps:// or ldap://") != std::string::npos);
  CHECK(with("ldap", "url", "ldap://dc1").find("the bind password would cross the network in clear") !=
        std::string::npos);
  CHECK(with("ldap", "caFile", "missing.pem").find("cannot read 'ldap.caFile'") != std::string::npos);
  CHECK(with("ldap", "passwordEnv", "NOT_SET").find("the environment variable NOT_SET") != std::string::npos);
  CHECK(with("ldap", "passwordFile", "token").find("give exactly one of 'ldap.passwordEnv' and 'ldap.passwordFile'") !=
        std::string::npos);
  CHECK(with("ldap", "pageSize", 5000).find("'ldap.pageSize' must be an integer from 1 to 1000") != std::string::npos);
  CHECK(with("ldap", "userFilter", "objectClass=user").find("must be in parentheses") != std::string::npos);
  CHECK(with("ldap", "baseDn", nullptr).find("'ldap.baseDn' is required") != std::string::npos);
  CHECK(with("target", "scimUrl", "http://edge.example/scim").find("must be https://") != std::string::npos);
  CHECK(with("sync", "onDeleted", "erase").find("'sync.onDeleted' must be \"disable\" or \"delete\"") !=
        std::string::npos);
  CHECK(with("sync", "massChangeMaxShare", 2).find("from 0 to 1") != std::string::npos);
  CHECK(with("ldap", "changeTracking", "whenChanged").find("'ldap.changeTracking' must be \"usn\" or \"dirsync\"") !=
        std::string::npos);
  auto j = Valid();
  j["attributes"] = {{"password", "userPassword"}};
  CHECK(ErrorOf(j).find("unknown SCIM attribute 'password'") != std::string::npos);
  j["attributes"] = {{"userName", ""}};
  CHECK(ErrorOf(j).find("'attributes.userName' cannot be empty") != std::string::npos);
  CHECK(ParseConfig("{", Folder(), TestEnv).error().detail == "configuration: the file is not valid JSON");
}

TEST_CASE("the state file round-trips, starts empty, and a broken one is refused") {
  std::string path = Folder() + "/state-roundtrip.json";
  auto empty = LoadState(path);
  REQUIRE(empty.ok());
  CHECK(empty->watermark.usn == 0);

  SyncState s;
  s.watermark = Watermark{"CN=NTDS Settings,CN=DC1", "inv-1", 4242, 1700000000, std::string("\x01\x00\xff", 3)};
  s.mirror.users["g1"] = MirrorUser{"CN=a,DC=c", nlohmann::json{{"userName", "a@c"}}, "CN=m,DC=c", false, ""};
  s.mirror.users["g2"].deleted = true;
  s.mirror.groups["g3"] = MirrorGroup{"CN=G,DC=c", "G", {"cn=a,dc=c"}, false};
  s.pushed.users["g1"] = PushedUser{"id-1", nlohmann::json{{"userName", "a@c"}}};
  s.pushed.groups["g3"] = PushedGroup{"id-3", "G", {"g1"}};
  REQUIRE(SaveState(path, s).ok());
  auto back = LoadState(path);
  REQUIRE(back.ok());
  CHECK(back->watermark.usn == 4242);
  CHECK(back->watermark.invocation_id == "inv-1");
  CHECK(back->watermark.dirsync_cookie == std::string("\x01\x00\xff", 3));
  CHECK(back->mirror.users.at("g1").manager_dn == "CN=m,DC=c");
  CHECK(back->mirror.users.at("g2").deleted);
  CHECK(back->mirror.groups.at("g3").member_keys == std::vector<std::string>{"cn=a,dc=c"});
  CHECK(back->pushed.users.at("g1").id == "id-1");
  CHECK(back->pushed.groups.at("g3").members == std::vector<std::string>{"g1"});
  CHECK(access((path + ".tmp").c_str(), F_OK) != 0);

  std::ofstream(path) << "{\"version\": 1, \"mirror\": {\"users\": 3}}";
  auto broken = LoadState(path);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().detail.find("the state file " + path + " holds a broken mirror") == 0);
  std::ofstream(path) << "not json";
  CHECK(LoadState(path).error().detail.find("is not JSON") != std::string::npos);
}

TEST_CASE("the README's example configuration is valid") {
  std::ifstream in(DIRBRIDGE_AD_EXAMPLE_CONFIG);
  REQUIRE(in);
  auto j = nlohmann::json::parse(in);
  // Its files live on the connector's host; here they are test files.
  j["ldap"]["caFile"] = Folder() + "/ca.pem";
  j["ldap"]["passwordFile"] = Folder() + "/token";
  auto env = [](const char* name) -> std::optional<std::string> {
    return std::string(name) == "DIRBRIDGE_SCIM_TOKEN" ? std::optional<std::string>("tok") : std::nullopt;
  };
  auto c = ParseConfig(j.dump(), Folder(), env);
  REQUIRE(c.ok());
  CHECK(c->ldap.scope_groups.size() == 1);
  CHECK(c->sync.mass_change_min_count == 10);
  CHECK(c->target.token == "tok");
}
