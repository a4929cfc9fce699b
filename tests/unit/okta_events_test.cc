// shared/normalize/okta_events.h: Okta's event objects (System Log shape, as Event
// Hooks deliver them) into the canonical SourceEvent; what is not handled is
// untranslated and says why. And core/timestamp.h's RFC 3339 reader it relies on.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "normalize/okta_events.h"

#include "core/timestamp.h"

using namespace dirbridge;
using nlohmann::json;

namespace {

json UserTarget(const std::string& id, const std::string& login, const std::string& name = "Ada Lovelace") {
  return {{"id", id}, {"type", "User"}, {"alternateId", login}, {"displayName", name}, {"detailEntry", nullptr}};
}
json GroupTarget(const std::string& id, const std::string& name) {
  return {{"id", id}, {"type", "UserGroup"}, {"alternateId", "unknown"}, {"displayName", name}};
}
json AppTarget(const std::string& id) {
  return {{"id", id}, {"type", "AppInstance"}, {"alternateId", "Vault"}, {"displayName", "Vault"}};
}
json Event(const std::string& type, const std::string& uuid, const std::string& published, json targets) {
  return {{"uuid", uuid},
          {"published", published},
          {"eventType", type},
          {"version", "0"},
          {"severity", "INFO"},
          {"actor", UserTarget("00uadmin", "admin@example.com", "Admin")},
          {"outcome", {{"result", "SUCCESS"}, {"reason", nullptr}}},
          {"target", std::move(targets)}};
}
json Delivery(json events) {
  return {{"eventType", "com.okta.event_hook"},
          {"eventTypeVersion", "1.0"},
          {"cloudEventsVersion", "0.1"},
          {"source", "https://example.okta.com/api/v1/eventHooks/who1"},
          {"eventId", "b5a188b9-5ece-4636-b041-482ffda96311"},
          {"data", {{"events", std::move(events)}}}};
}

}  // namespace

TEST_CASE("RFC 3339 times are read to milliseconds, and nothing else is") {
  CHECK(ParseRfc3339Millis("1970-01-01T00:00:00Z") == 0);
  CHECK(ParseRfc3339Millis("2019-07-08T20:43:39.066Z") == 1562618619066);
  CHECK(ParseRfc3339Millis("2019-07-08T22:43:39.066+02:00") == 1562618619066);
  CHECK(ParseRfc3339Millis("2019-07-08T20:43:39.0661234Z") == 1562618619066);
  CHECK(ParseRfc3339Millis("2019-07-08T20:43:39.5Z") == 1562618619500);
  CHECK(ParseRfc3339Millis(FormatRfc3339Millis(1764000000123)) == 1764000000123);
  CHECK(ParseRfc3339Millis("2024-02-29T00:00:00Z").has_value());
  for (const char* bad :
       {"", "2019-07-08", "2019-07-08T20:43:39", "2019-13-08T20:43:39Z", "2023-02-29T00:00:00Z", "2019-07-08T24:00:00Z",
        "2019-07-08T20:43:39.Z", "2019-07-08T20:43:39Zjunk", "1969-12-31T23:59:59Z", "2019-07-08 20:43:39Z"}) {
    INFO(bad);
    CHECK_FALSE(ParseRfc3339Millis(bad).has_value());
  }
}

TEST_CASE("each handled Okta event type becomes one canonical event") {
  struct Case {
    const char* type;
    SourceEventKind kind;
  };
  const Case cases[] = {
      {"user.lifecycle.create", SourceEventKind::kUserStaged},
      {"user.lifecycle.activate", SourceEventKind::kUserActivated},
      {"user.lifecycle.reactivate", SourceEventKind::kUserActivated},
      {"user.lifecycle.unsuspend", SourceEventKind::kUserActivated},
      {"user.lifecycle.deactivate", SourceEventKind::kUserSuspended},
      {"user.lifecycle.suspend", SourceEventKind::kUserSuspended},
      {"user.lifecycle.delete.initiated", SourceEventKind::kUserDeleted},
      {"user.account.update_profile", SourceEventKind::kUserProfileChanged},
      {"group.user_membership.add", SourceEventKind::kMemberAdded},
      {"group.user_membership.remove", SourceEventKind::kMemberRemoved},
      {"group.lifecycle.create", SourceEventKind::kGroupCreated},
      {"group.lifecycle.delete", SourceEventKind::kGroupDeleted},
      {"application.user_membership.add", SourceEventKind::kUserAssigned},
      {"application.user_membership.remove", SourceEventKind::kUserUnassigned},
  };
  CHECK(okta::HandledEventTypes().size() == std::size(cases));
  for (const auto& c : cases) {
    INFO(c.type);
    json targets =
        json::array({UserTarget("00u1", "ada@example.com"), GroupTarget("00g1", "Engineering"), AppTarget("0oa1")});
    okta::Translation t;
    okta::TranslateEvent(Event(c.type, "uuid-1", "2026-11-25T10:00:00.123Z", targets), &t);
    REQUIRE(t.events.size() == 1);
    CHECK(t.untranslated.empty());
    const auto& e = t.events[0];
    CHECK(e.kind == c.kind);
    CHECK(e.uuid == "uuid-1");
    CHECK(e.published_ms == 1795600800123);
    CHECK(e.source_type == c.type);
    if (IsUserEvent(c.kind)) {
      CHECK(e.user.source_id == "00u1");
      CHECK(e.user.login == "ada@example.com");
      CHECK(e.user.email == "ada@example.com");
      CHECK(e.user.display_name == "Ada Lovelace");
    }
    if (IsGroupEvent(c.kind)) {
      CHECK(e.group.source_id == "00g1");
      CHECK(e.group.display_name == "Engineering");
      CHECK(e.group.login.empty());  // Okta's "unknown" alternateId is no name
    }
    if (c.kind == SourceEventKind::kUserAssigned || c.kind == SourceEventKind::kUserUnassigned) {
      CHECK(e.app_id == "0oa1");
    }
  }
}

TEST_CASE("unknown, failed and malformed Okta events are untranslated, with a reason") {
  okta::Translation t;
  okta::TranslateEvent(
      Event("user.session.start", "u-1", "2026-11-25T10:00:00Z", json::array({UserTarget("00u1", "ada@example.com")})),
      &t);
  auto failed = Event("user.lifecycle.deactivate", "u-2", "2026-11-25T10:00:00Z",
                      json::array({UserTarget("00u1", "ada@example.com")}));
  failed["outcome"]["result"] = "FAILURE";
  okta::TranslateEvent(failed, &t);
  okta::TranslateEvent(Event("user.lifecycle.activate", "", "2026-11-25T10:00:00Z",
                             json::array({UserTarget("00u1", "ada@example.com")})),
                       &t);
  okta::TranslateEvent(
      Event("user.lifecycle.activate", "u-4", "yesterday", json::array({UserTarget("00u1", "ada@example.com")})), &t);
  okta::TranslateEvent(Event("group.user_membership.add", "u-5", "2026-11-25T10:00:00Z",
                             json::array({UserTarget("00u1", "ada@example.com")})),
                       &t);
  okta::TranslateEvent(Event("user.lifecycle.activate", "u-6", "2026-11-25T10:00:00Z",
                             json::array({UserTarget(std::string(200, 'x'), "ada@example.com")})),
                       &t);
  okta::TranslateEvent(json("not an object"), &t);
  CHECK(t.events.empty());
  REQUIRE(t.untranslated.size() == 7);
  CHECK_FALSE(t.untranslated[0].malformed);
  CHECK(t.untranslated[0].source_type == "user.session.start");
  CHECK(t.untranslated[0].uuid == "u-1");
  CHECK_FALSE(t.untranslated[1].malformed);
  CHECK(t.untranslated[1].detail.find("FAILURE") != std::string::npos);
  for (std::size_t i = 2; i < 7; ++i) {
    INFO(i);
    CHECK(t.untranslated[i].malformed);
  }
}

TEST_CASE("a delivery body must be Okta's shape, and at most the cap of events") {
  CHECK(okta::TranslateHookDelivery(json::array(), 100).error().kind == ErrorKind::kInvalidInput);
  CHECK(okta::TranslateHookDelivery(json{{"data", 1}}, 100).error().kind == ErrorKind::kInvalidInput);
  CHECK(okta::TranslateHookDelivery(json{{"data", {{"events", "x"}}}}, 100).error().kind == ErrorKind::kInvalidInput);
  json many = json::array();
  for (int i = 0; i < 101; ++i) many.push_back(json::object());
  CHECK(okta::TranslateHookDelivery(Delivery(many), 100).error().kind == ErrorKind::kPayloadTooLarge);
  auto ok =
      okta::TranslateHookDelivery(Delivery(json::array({Event("user.lifecycle.activate", "u-1", "2026-11-25T10:00:00Z",
                                                              json::array({UserTarget("00u1", "ada@example.com")}))})),
                                  100);
  REQUIRE(ok.ok());
  CHECK(ok->events.size() == 1);
  CHECK(okta::TranslateHookDelivery(Delivery(json::array()), 100)->events.empty());
}
