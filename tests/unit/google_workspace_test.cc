// shared/normalize/google_workspace.h and tenancy/google_service_account.h: Google's
// documented JSON into the engine's claims, the URLs dirbridge calls, the JWT bearer
// assertion's claims, and the renewal time of a channel (functions/gworkspace).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "channels.h"
#include "normalize/google_workspace.h"
#include "tenancy/google_service_account.h"

using namespace dirbridge;
using nlohmann::json;

namespace {

json GoogleUser(bool suspended = false, const std::string& ou = "/") {
  return {{"kind", "admin#directory#user"},
          {"id", "104250911288437951234"},
          {"primaryEmail", "Ada@Example.com"},
          {"name", {{"givenName", "Ada"}, {"familyName", "Lovelace"}, {"fullName", "Ada Lovelace"}}},
          {"suspended", suspended},
          {"isAdmin", false},
          {"orgUnitPath", ou}};
}

}  // namespace

TEST_CASE("a Google user is an active or suspended claim with its profile, named by its id") {
  auto claim = google::UserClaim(GoogleUser(), 1000, "u1");
  REQUIRE(claim.ok());
  CHECK(claim->kind == SourceEventKind::kUserActivated);
  CHECK(claim->with_profile);
  CHECK(claim->user.source_id == "104250911288437951234");
  CHECK(claim->user.external_id == "104250911288437951234");
  CHECK(claim->user.login == "ada@example.com");
  CHECK(claim->user.email == "ada@example.com");
  CHECK(claim->user.given_name == "Ada");
  CHECK(claim->user.display_name == "Ada Lovelace");
  CHECK(google::UserClaim(GoogleUser(true), 1000, "u2")->kind == SourceEventKind::kUserSuspended);
  json archived = GoogleUser();
  archived["archived"] = true;
  CHECK(google::UserClaim(archived, 1000, "u3")->kind == SourceEventKind::kUserSuspended);
  json no_id = GoogleUser();
  no_id.erase("id");
  CHECK_FALSE(google::UserClaim(no_id, 1000, "u4").ok());
  CHECK_FALSE(google::UserClaim(json::array(), 1000, "u5").ok());
  json huge = GoogleUser();
  huge["name"]["fullName"] = std::string(10'000, 'x');
  CHECK(google::UserClaim(huge, 1000, "u6")->user.display_name.empty());  // too long: dropped
}

TEST_CASE("org unit scope takes a unit and its children only") {
  CHECK(google::InOrgUnits(GoogleUser(false, "/Staff/Eng"), {"/Staff"}));
  CHECK(google::InOrgUnits(GoogleUser(false, "/Staff"), {"/Staff"}));
  CHECK_FALSE(google::InOrgUnits(GoogleUser(false, "/Staffing"), {"/Staff"}));
  CHECK_FALSE(google::InOrgUnits(GoogleUser(false, "/Contractors"), {"/Staff"}));
  CHECK(google::InOrgUnits(GoogleUser(false, "/Contractors"), {}));
  CHECK(google::InOrgUnits(GoogleUser(false, "/Contractors"), {"/"}));
}

TEST_CASE("an admin activity becomes steps, unknown events and missing parameters are ignored") {
  json activity = {
      {"kind", "admin#reports#activity"},
      {"id", {{"time", "2026-11-26T10:00:00.000Z"}, {"uniqueQualifier", "-123"}, {"applicationName", "admin"}}},
      {"events",
       {{{"type", "GROUP_SETTINGS"},
         {"name", "ADD_GROUP_MEMBER"},
         {"parameters", {{{"name", "USER_EMAIL"}, {"value", "Ada@Example.com"}}, {{"name", "GROUP_EMAIL"}, {"value", "eng@example.com"}}}}},
        {{"type", "GROUP_SETTINGS"}, {"name", "REMOVE_GROUP_MEMBER"}, {"parameters", {{{"name", "GROUP_EMAIL"}, {"value", "eng@example.com"}}}}},
        {{"type", "USER_SETTINGS"}, {"name", "SUSPEND_USER"}, {"parameters", {{{"name", "USER_EMAIL"}, {"value", "alan@example.com"}}}}},
        {{"type", "USER_SETTINGS"}, {"name", "CHANGE_LAST_NAME"}}}}};
  auto read = google::ReadActivity(activity);
  REQUIRE(read.ok());
  CHECK(read->uuid == "activity:-123@2026-11-26T10:00:00.000Z");
  REQUIRE(read->steps.size() == 2);
  CHECK(read->steps[0].kind == google::ActivityStep::Kind::kMemberAdded);
  CHECK(read->steps[0].user_email == "ada@example.com");
  CHECK(read->steps[0].group_email == "eng@example.com");
  CHECK(read->steps[1].kind == google::ActivityStep::Kind::kUserChanged);
  CHECK(read->ignored.size() == 2);  // REMOVE_GROUP_MEMBER without USER_EMAIL, CHANGE_LAST_NAME
  json other = activity;
  other["id"]["applicationName"] = "drive";
  CHECK_FALSE(google::ReadActivity(other).ok());
  CHECK_FALSE(google::ReadActivity(json{{"id", {{"time", "yesterday"}, {"uniqueQualifier", "1"}}}}).ok());

  // At most kMaxActivitySteps events acted on; events ignored do not count.
  json many = activity;
  json event = activity["events"][0];
  many["events"] = json::array();
  for (int i = 0; i < 1000; ++i) many["events"].push_back(json{{"name", "SOMETHING_ELSE"}});
  for (std::size_t i = 0; i < google::kMaxActivitySteps; ++i) many["events"].push_back(event);
  auto at_cap = google::ReadActivity(many);
  REQUIRE(at_cap.ok());
  CHECK(at_cap->steps.size() == google::kMaxActivitySteps);
  many["events"].push_back(event);
  auto over = google::ReadActivity(many);
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().detail.find("more than 16 events") != std::string::npos);
}

TEST_CASE("list pages: items, nextPageToken, and refusals") {
  auto page = google::ReadListPage(R"({"kind":"admin#directory#users","users":[{"id":"1"}],"nextPageToken":"t2"})", "users");
  REQUIRE(page.ok());
  CHECK(page->items.size() == 1);
  CHECK(page->next_page_token == "t2");
  auto last = google::ReadListPage(R"({"kind":"admin#directory#users"})", "users");
  REQUIRE(last.ok());
  CHECK(last->items.empty());
  CHECK(last->next_page_token.empty());
  // A page of 500 full users is larger than a request may be (256 KiB): still read.
  json big = {{"users", json::array()}, {"nextPageToken", "t3"}};
  for (int i = 0; i < 500; ++i) big["users"].push_back(json{{"id", std::to_string(i)}, {"note", std::string(1200, 'x')}});
  auto large = google::ReadListPage(big.dump(), "users");
  REQUIRE(large.ok());
  CHECK(large->items.size() == 500);
  CHECK_FALSE(google::ReadListPage("[]", "users").ok());
  CHECK_FALSE(google::ReadListPage(R"({"users":{}})", "users").ok());
  CHECK_FALSE(google::ReadListPage("not json", "users").ok());
}

TEST_CASE("Google's URLs are built with every value percent-encoded") {
  CHECK(google::UsersWatchUrl("https://admin.googleapis.com", "my_customer", "add") ==
        "https://admin.googleapis.com/admin/directory/v1/users/watch?customer=my_customer&event=add&projection=basic");
  CHECK(google::UserGetUrl("https://a", "ada+x@example.com") == "https://a/admin/directory/v1/users/ada%2Bx%40example.com?projection=full");
  CHECK(google::MembersListUrl("https://a", "g1", "p/q") == "https://a/admin/directory/v1/groups/g1/members?maxResults=200&pageToken=p%2Fq");
  CHECK(google::DirectoryChannelsStopUrl("https://a") == "https://a/admin/directory_v1/channels/stop");
  CHECK(google::ReportsChannelsStopUrl("https://a") == "https://a/admin/reports_v1/channels/stop");
  CHECK(google::ActivitiesWatchUrl("https://a") == "https://a/admin/reports/v1/activity/users/all/applications/admin/watch");
}

TEST_CASE("scope group calls: members with nested groups' users, and hasMember's answer") {
  CHECK(google::MembersListUrl("https://a", "staff@x.com", "", google::MemberDepth::kDirectAndNested) ==
        "https://a/admin/directory/v1/groups/staff%40x.com/members?maxResults=200&includeDerivedMembership=true");
  CHECK(google::HasMemberUrl("https://a", "staff@x.com", "u/1") ==
        "https://a/admin/directory/v1/groups/staff%40x.com/hasMember/u%2F1");
  CHECK(google::ReadIsMember(R"({"isMember":true})").value() == true);
  CHECK(google::ReadIsMember(R"({"isMember":false})").value() == false);
  CHECK_FALSE(google::ReadIsMember(R"({"isMember":"true"})").ok());
  CHECK_FALSE(google::ReadIsMember(R"({})").ok());
  CHECK_FALSE(google::ReadIsMember("[true]").ok());
  CHECK_FALSE(google::ReadIsMember("not json").ok());
}

TEST_CASE("a service-account key: only its identity is read, and the assertion's claims") {
  const std::string key = R"({"type":"service_account","client_email":"sync@p.iam.gserviceaccount.com",
    "private_key_id":"abc123","private_key":"-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"})";
  auto parsed = google::ParseServiceAccountKey(key);
  REQUIRE(parsed.ok());
  CHECK(parsed->client_email == "sync@p.iam.gserviceaccount.com");
  CHECK(parsed->private_key_id == "abc123");
  auto claims = google::AssertionClaims(*parsed, "admin@example.com", 1'700'000'000'123);
  CHECK(claims["iss"] == "sync@p.iam.gserviceaccount.com");
  CHECK(claims["sub"] == "admin@example.com");
  CHECK(claims["aud"] == "https://oauth2.googleapis.com/token");
  CHECK(claims["iat"] == 1'700'000'000);
  CHECK(claims["exp"] == 1'700'003'600);
  CHECK(google::AssertionHeader(*parsed) == json{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "abc123"}});
  auto not_sa = google::ParseServiceAccountKey(R"({"type":"authorized_user","private_key":"-----BEGIN PRIVATE KEY-----"})");
  REQUIRE_FALSE(not_sa.ok());
  CHECK(not_sa.error().detail.find("service_account") != std::string::npos);
  auto no_pem = google::ParseServiceAccountKey(R"({"type":"service_account","client_email":"a@b","private_key_id":"k","private_key":"CANARY"})");
  REQUIRE_FALSE(no_pem.ok());
  CHECK(no_pem.error().detail.find("CANARY") == std::string::npos);
}

TEST_CASE("a channel is renewed a quarter of its life before it expires, at most 30 minutes before") {
  CHECK(gworkspace::RenewAt(0, 12'000) == 9'000);
  CHECK(gworkspace::RenewAt(0, 6LL * 3600 * 1000) == 6LL * 3600 * 1000 - 30 * 60 * 1000);
  CHECK(gworkspace::RenewAt(5'000, 5'000) == 5'000);
}
