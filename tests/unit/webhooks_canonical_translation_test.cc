// functions/webhooks/canonical_translation.h: signed canonical events become the
// engine's SourceEvents, named so that the applier's matching meets SCIM's users.
#include <catch2/catch.hpp>
#include <cctype>
#include <nlohmann/json.hpp>

#include "canonical_events.h"
#include "canonical_translation.h"
#include "core/timestamp.h"

using namespace dirbridge;
using namespace dirbridge::webhooks;
using nlohmann::json;

namespace {

SourceEventBatch Translate(const json& body) {
  auto parsed = ParseDelivery(body.dump());
  REQUIRE(parsed.ok());
  return TranslateCanonicalEvents(std::move(*parsed));
}

json Event(const std::string& id, const std::string& type) {
  return json{{"id", id},
              {"type", type},
              {"occurredAt", "2026-11-26T04:00:00Z"},
              {"user", {{"userName", "Ada@Example.com"}}},
              {"group", {{"displayName", "Engineering"}}}};
}

}  // namespace

TEST_CASE("every canonical type maps to its SourceEvent kind, unknown types stay untranslated") {
  const std::pair<const char*, SourceEventKind> table[] = {
      {"user.created", SourceEventKind::kUserActivated},         {"user.updated", SourceEventKind::kUserProfileChanged},
      {"user.suspended", SourceEventKind::kUserSuspended},       {"user.reactivated", SourceEventKind::kUserActivated},
      {"user.deleted", SourceEventKind::kUserDeleted},           {"group.created", SourceEventKind::kGroupCreated},
      {"group.deleted", SourceEventKind::kGroupDeleted},         {"group.member_added", SourceEventKind::kMemberAdded},
      {"group.member_removed", SourceEventKind::kMemberRemoved},
  };
  json events = json::array();
  for (const auto& [type, kind] : table) events.push_back(Event(std::string("e-") + type, type));
  events.push_back(json{{"id", "x1"}, {"type", "user.teleported"}});
  auto batch = Translate({{"events", events}});
  REQUIRE(batch.events.size() == std::size(table));
  for (std::size_t i = 0; i < std::size(table); ++i) {
    INFO(table[i].first);
    const SourceEvent& e = batch.events[i];
    CHECK(e.kind == table[i].second);
    CHECK(e.uuid == std::string("e-") + table[i].first);
    CHECK(e.source_type == table[i].first);
    CHECK(e.published_ms == *ParseRfc3339Millis("2026-11-26T04:00:00Z"));
    CHECK(e.with_profile == (std::string(table[i].first) == "user.created"));
  }
  REQUIRE(batch.untranslated.size() == 1);
  CHECK(batch.untranslated[0].uuid == "x1");
  CHECK(batch.untranslated[0].source_type == "user.teleported");
  CHECK_FALSE(batch.untranslated[0].malformed);
}

TEST_CASE("a canonical user is named by its userName, its profile is carried, no externalId made up") {
  auto batch = Translate(json{{"id", "e1"},
                              {"type", "user.created"},
                              {"occurredAt", "2026-11-26T04:00:00Z"},
                              {"user",
                               {{"userName", "Ada@Example.com"},
                                {"email", "ada@example.com"},
                                {"displayName", "Ada Lovelace"},
                                {"givenName", "Ada"},
                                {"familyName", "Lovelace"}}}});
  REQUIRE(batch.events.size() == 1);
  const SourceSubject& u = batch.events[0].user;
  CHECK(u.source_id == "ada@example.com");  // the userName index's form: one subject whatever the case
  CHECK(u.login == "Ada@Example.com");
  CHECK(u.email == "ada@example.com");
  CHECK(u.display_name == "Ada Lovelace");
  CHECK(u.given_name == "Ada");
  CHECK(u.family_name == "Lovelace");
  CHECK(u.external_id.empty());

  auto with_id = Translate(json{{"id", "e2"},
                                {"type", "group.member_added"},
                                {"occurredAt", "2026-11-26T04:00:00Z"},
                                {"user", {{"userName", "ada@example.com"}, {"externalId", "hr-1"}}},
                                {"group", {{"displayName", "Engineering"}, {"externalId", "hr-g-7"}}}});
  REQUIRE(with_id.events.size() == 1);
  CHECK(with_id.events[0].user.external_id == "hr-1");
  CHECK(with_id.events[0].group.source_id == "engineering");
  CHECK(with_id.events[0].group.display_name == "Engineering");
  CHECK(with_id.events[0].group.external_id == "hr-g-7");
}

TEST_CASE("a name too long for a source id, or shaped like a digest, is named by its digest") {
  const std::string long_name = std::string(200, 'A') + "@example.com";
  auto batch = Translate(json{{"id", "e1"},
                              {"type", "user.suspended"},
                              {"occurredAt", "2026-11-26T04:00:00Z"},
                              {"user", {{"userName", long_name}}}});
  REQUIRE(batch.events.size() == 1);
  const std::string& id = batch.events[0].user.source_id;
  CHECK(id.rfind("sha256:", 0) == 0);
  CHECK(id.size() == 7 + 64);
  CHECK(batch.events[0].user.login == long_name);
  // The same name in another case is the same subject.
  std::string lower = long_name;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto again = Translate(json{{"id", "e2"},
                              {"type", "user.suspended"},
                              {"occurredAt", "2026-11-26T04:00:00Z"},
                              {"user", {{"userName", lower}}}});
  CHECK(again.events[0].user.source_id == id);
  // A literal name cannot pose as another's digest.
  auto posing = Translate(json{
      {"id", "e3"}, {"type", "user.suspended"}, {"occurredAt", "2026-11-26T04:00:00Z"}, {"user", {{"userName", id}}}});
  CHECK(posing.events[0].user.source_id != id);
  CHECK(posing.events[0].user.source_id.size() <= kMaxSourceIdBytes);
}
