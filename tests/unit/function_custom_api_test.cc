// functions/custom_api (the LastPass-compatible API): the envelope and each command's
// data parsed and checked without a store, then the endpoint through the router,
// in-process: provhash issued once and rotated, per-item errors, retry idempotence by
// the event log, refusals that change nothing, and one user shared with SCIM.

#include <catch2/catch.hpp>

#include "batchadd_fields.h"
#include "envelope.h"
#include "lastpass_commands.h"
#include "scim_test_client.h"

using dirbridge::testing::ScimTestClient;
using nlohmann::json;
namespace ca = dirbridge::custom_api;

TEST_CASE("custom API envelope: cid, provhash, cmd and data") {
  auto e = ca::ParseEnvelope(R"({"cid":"acme","provhash":"p","cmd":"batchadd","data":[{"username":"a"}]})");
  REQUIRE(e.ok());
  CHECK(e->cid == "acme");
  CHECK(e->command == ca::Command::kBatchAdd);
  CHECK(e->data.size() == 1);
  auto numeric = ca::ParseEnvelope(R"({"cid":12103061,"provhash":"p","cmd":"getuserdata"})");
  REQUIRE(numeric.ok());
  CHECK(numeric->cid == "12103061");
  CHECK(numeric->data.is_null());

  auto not_json = ca::ParseEnvelope("{nope");
  REQUIRE(!not_json.ok());
  CHECK(not_json.error().kind == dirbridge::ErrorKind::kInvalidInput);
  auto unknown = ca::ParseEnvelope(R"({"cid":"a","provhash":"p","cmd":"dropall"})");
  REQUIRE(!unknown.ok());
  CHECK(unknown.error().detail.find("'dropall' is unknown") != std::string::npos);
  auto no_hash = ca::ParseEnvelope(R"({"cid":"a","cmd":"getuserdata"})");
  REQUIRE(!no_hash.ok());
  CHECK(no_hash.error().kind == dirbridge::ErrorKind::kUnauthorized);
  CHECK(!ca::ParseEnvelope(R"({"cid":true,"provhash":"p","cmd":"getuserdata"})").ok());
  CHECK(!ca::ParseEnvelope(R"([1,2])").ok());
}

TEST_CASE("custom API batchadd items are parsed one by one, a password is never read") {
  json data = json::array({
      {{"username", "a@x.test"}, {"fullname", "Ada"}, {"groups", {"Eng", "Ops"}},
       {"attribs", {{"Department", "R&D"}, {"objectGUID", "g1"}, {"Shoe", "42"}}}, {"password", "canary-pw"}},
      {{"fullname", "No Name"}},
      {{"username", "b@x.test"}, {"groups", {""}}},
      "c@x.test",
      {{"username", "d@x.test"}, {"attribs", {{"n", 5}}}},
  });
  auto items = ca::ParseBatchAdd(data);
  REQUIRE(items.ok());
  REQUIRE(items->size() == 5);
  REQUIRE((*items)[0].item);
  CHECK((*items)[0].item->groups == std::vector<std::string>{"Eng", "Ops"});
  CHECK((*items)[0].item->attributes.size() == 3);
  CHECK((*items)[1].error == "'username' is required");
  CHECK((*items)[2].error.find("'groups'[0]") != std::string::npos);
  CHECK((*items)[2].username == "b@x.test");
  CHECK((*items)[3].error.find("must be an object") != std::string::npos);
  CHECK((*items)[4].error.find("must be a string") != std::string::npos);

  dirbridge::User user;
  std::set<std::string> ignored;
  ca::ApplyBatchAddItem(*(*items)[0].item, user, &ignored);
  CHECK(user.user_name == "a@x.test");
  CHECK(user.display_name == "Ada");
  CHECK(user.name.formatted == "Ada");
  CHECK(user.enterprise.department == "R&D");
  CHECK(user.external_id == "g1");
  REQUIRE(user.emails.size() == 1);
  CHECK(user.emails[0].value == "a@x.test");
  CHECK(ignored == std::set<std::string>{"Shoe"});
  CHECK(dirbridge::UserToJson(user).dump().find("canary-pw") == std::string::npos);
}

TEST_CASE("custom API caps: too many items refuse the call, too many groups refuse the item") {
  json many = json::array();
  for (std::size_t i = 0; i <= ca::kMaxItemsPerCall; ++i) many.push_back({{"username", "u" + std::to_string(i)}});
  auto over = ca::ParseBatchAdd(many);
  REQUIRE(!over.ok());
  CHECK(over.error().kind == dirbridge::ErrorKind::kPayloadTooLarge);
  CHECK(over.error().detail.find("split the batch") != std::string::npos);
  CHECK(!ca::ParseUsernames(many).ok());

  json groups = json::array();
  for (std::size_t i = 0; i <= ca::kMaxGroupsPerItem; ++i) groups.push_back("g" + std::to_string(i));
  auto item = ca::ParseBatchChangeGroups(json::array({{{"username", "u"}, {"add", groups}}}));
  REQUIRE(item.ok());
  CHECK((*item)[0].error.find("the limit is") != std::string::npos);
  CHECK(!ca::ParseBatchAdd(json::object()).ok());
}

TEST_CASE("custom API deluser, username lists and getuserdata queries") {
  auto one = ca::ParseDeleteUsers(json{{"username", "a"}, {"deleteaction", "2"}});
  REQUIRE(one.ok());
  REQUIRE((*one)[0].item);
  CHECK((*one)[0].item->action == ca::DeleteAction::kDelete);
  auto bad = ca::ParseDeleteUsers(json::array({{{"username", "a"}, {"deleteaction", 7}}}));
  REQUIRE(bad.ok());
  CHECK((*bad)[0].error.find("'deleteaction' must be") != std::string::npos);
  auto dflt = ca::ParseDeleteUsers(json{{"username", "a"}});
  CHECK((*dflt)[0].item->action == ca::DeleteAction::kDeactivate);

  for (const json& shape : {json("a"), json::array({"a", "b"}), json{{"username", "a"}},
                            json{{"usernames", {"a", "b"}}}, json::array({{{"username", "a"}}})}) {
    auto names = ca::ParseUsernames(shape);
    REQUIRE(names.ok());
    REQUIRE(!names->empty());
    CHECK((*names)[0].item == std::optional<std::string>("a"));
  }
  auto mixed = ca::ParseUsernames(json::array({"a", 3}));
  CHECK((*mixed)[1].error.find("must be a username") != std::string::npos);
  CHECK(!ca::ParseUsernames(json(3)).ok());

  CHECK(ca::ParseUserDataQuery(json::object())->kind == ca::UserDataQuery::Kind::kAll);
  CHECK(ca::ParseUserDataQuery(json{{"disabled", 1}})->kind == ca::UserDataQuery::Kind::kDisabled);
  CHECK(ca::ParseUserDataQuery(json{{"admin", "1"}})->kind == ca::UserDataQuery::Kind::kAdmins);
  CHECK(ca::ParseUserDataQuery(json{{"username", "x"}})->username == "x");
  CHECK(!ca::ParseUserDataQuery(json::array()).ok());
}

namespace {

struct CustomApi {
  ScimTestClient& c;
  std::string tenant;
  std::string provhash;
  std::string connection;

  dirbridge::testing::ClientResponse Call(const std::string& cmd, const json& data, const std::string& hash = "",
                                          const std::string& cid = "") {
    json body = {{"cid", cid.empty() ? tenant : cid}, {"provhash", hash.empty() ? provhash : hash}, {"cmd", cmd},
                 {"data", data}};
    return c.Send("POST", "/t/" + tenant + "/enterpriseapi.php", body.dump());
  }
  std::size_t EventCount() {
    auto r = c.Admin("GET", "/admin/v1/tenants/" + tenant + "/events?limit=1000");
    return r.json()["events"].size();
  }
};

CustomApi NewCustomApi(ScimTestClient& c, const std::string& tenant) {
  c.NewTenant(tenant, "entra");
  auto r = c.Admin("POST", "/admin/v1/tenants/" + tenant + "/connections", R"({"kind":"custom"})");
  REQUIRE(r.status == 201);
  auto j = r.json();
  REQUIRE(j["customApi"]["provhash"].is_string());
  CHECK(j["customApi"]["url"] == "http://127.0.0.1:8787/t/" + tenant + "/enterpriseapi.php");
  return CustomApi{c, tenant, j["customApi"]["provhash"], j["id"]};
}

}  // namespace

TEST_CASE("custom API batchadd through the router: per-item errors, idempotent retry, refusals") {
  ScimTestClient c;
  CustomApi api = NewCustomApi(c, "acme");
  json batch = json::array({{{"username", "ada@x.test"}, {"fullname", "Ada L"}, {"groups", {"Eng"}}},
                            {{"username", "bob@x.test"}, {"password", "canary-pw-7"}},
                            {{"username", std::string(600, 'z')}}});
  auto r = api.Call("batchadd", batch);
  REQUIRE(r.status == 200);
  auto j = r.json();
  CHECK(j["status"] == "WARN");
  REQUIRE(j["errors"].size() == 1);
  CHECK(j["errors"][0].get<std::string>().rfind("item 2 (", 0) == 0);
  const std::size_t events = api.EventCount();
  CHECK(events >= 4);  // two users, a group, a membership

  auto again = api.Call("batchadd", batch);
  CHECK(again.json()["status"] == "WARN");
  CHECK(api.EventCount() == events);

  auto stored = c.store().List("", "", 100000);
  REQUIRE(stored.ok());
  for (const auto& e : *stored) CHECK(e.value.find("canary-pw-7") == std::string::npos);

  auto wrong = api.Call("batchadd", json::array({{{"username", "eve@x.test"}}}), "0000");
  CHECK(wrong.status == 401);
  CHECK(wrong.json()["status"] == "FAIL");
  auto wrong_cid = api.Call("batchadd", json::array({{{"username", "eve@x.test"}}}), "", "other");
  CHECK(wrong_cid.status == 401);
  CHECK(wrong_cid.body == wrong.body);
  CHECK(api.EventCount() == events);

  auto data = api.Call("getuserdata", json::object()).json();
  CHECK(data["status"] == "OK");
  CHECK(data["Users"].size() == 2);
  CHECK(data["Groups"]["Eng"] == json::array({"ada@x.test"}));

  auto rotated = c.Admin("POST", "/admin/v1/tenants/acme/connections/" + api.connection + "/provhash");
  REQUIRE(rotated.status == 200);
  const std::string old = api.provhash;
  api.provhash = rotated.json()["provhash"];
  CHECK(api.Call("getuserdata", json::object()).status == 200);
  CHECK(api.Call("getuserdata", json::object(), old).status == 401);
}
