// The Okta System Log catch-up: Link parsing, X-Rate-Limit-Reset, the request it
// builds, and its continuations driven through the outbox as a host drives them
// (claim, send, resume), with the API token canary kept out of every stored record.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "effects/outbox.h"
#include "effects/retry_policy.h"
#include "normalize/okta_system_log.h"
#include "provision/source_event_applier.h"
#include "scim_test_client.h"
#include "tenancy/sealed_secrets.h"
#include "webhooks_function.h"

using namespace dirbridge;
using dirbridge::testing::ScimTestClient;
using nlohmann::json;

TEST_CASE("Link rel=next is found among entries and parameters") {
  CHECK(okta::NextLink("<https://o.example/api/v1/logs?after=1>; rel=\"next\"") == "https://o.example/api/v1/logs?after=1");
  CHECK(okta::NextLink("<https://o/a?x=1>; rel=\"self\", <https://o/a?after=2>; rel=\"next\"") == "https://o/a?after=2");
  CHECK(okta::NextLink("<https://o/a?after=3>;rel=next") == "https://o/a?after=3");
  CHECK(okta::NextLink("<https://o/a?after=4>; type=\"x,y\"; rel=\"prev next\"") == "https://o/a?after=4");
  CHECK(okta::NextLink("<https://o/a?x=1>; rel=\"self\"") == std::nullopt);
  CHECK(okta::NextLink("") == std::nullopt);
  CHECK(okta::NextLink("garbage; rel=next") == std::nullopt);
  CHECK(okta::NextLink("<https://o/a; rel=next") == std::nullopt);
  CHECK(okta::NextLink("<https://o/a>; rel=\"next") == std::nullopt);
}

TEST_CASE("X-Rate-Limit-Reset (epoch seconds) delays a 429, Retry-After wins when both are given") {
  const int64_t now = 1'700'000'000'000;
  CHECK(effects::RetryAfterMs({{"x-rate-limit-reset", "1700000005"}}, now) == 5000);
  CHECK(effects::RetryAfterMs({{"x-rate-limit-reset", "1600000000"}}, now) == 0);  // already past
  CHECK(effects::RetryAfterMs({{"x-rate-limit-reset", "soon"}}, now) == std::nullopt);
  CHECK(effects::RetryAfterMs({{"x-rate-limit-reset", "1800000000"}}, now) == effects::kRetryAfterCapMs);
  CHECK(effects::RetryAfterMs({{"retry-after", "2"}, {"x-rate-limit-reset", "1700000005"}}, now) == 2000);
}

TEST_CASE("the System Log URL asks for the handled types, ascending, from `since`") {
  const std::string url = okta::BuildLogsUrl("https://acme.okta.example", "2026-01-02T03:04:05.000Z");
  CHECK(url.rfind("https://acme.okta.example/api/v1/logs?since=2026-01-02T03%3A04%3A05.000Z&filter=", 0) == 0);
  CHECK(url.find("eventType%20eq%20%22user.lifecycle.create%22%20or%20") != std::string::npos);
  CHECK(url.find("&limit=100&sortOrder=ASCENDING") != std::string::npos);
  CHECK(okta::NormalizeOrgUrl("https://acme.okta.example/") == "https://acme.okta.example");
  CHECK(okta::NormalizeOrgUrl("http://127.0.0.1:8080") == "http://127.0.0.1:8080");
  CHECK(okta::NormalizeOrgUrl("http://acme.okta.example") == std::nullopt);
  CHECK(okta::NormalizeOrgUrl("https://acme.okta.example/path") == std::nullopt);
  CHECK(okta::IsOnOrg("https://o.example/api/v1/logs?after=1", "https://o.example"));
  CHECK_FALSE(okta::IsOnOrg("https://o.example.evil/api", "https://o.example"));
}

namespace {

constexpr const char* kCanary = "00CANARY-okta-token-7f3a9c";

json UserEvent(const std::string& uuid, const std::string& published, const std::string& id,
               const std::string& login) {
  return {{"uuid", uuid},
          {"published", published},
          {"eventType", "user.lifecycle.create"},
          {"outcome", {{"result", "SUCCESS"}}},
          {"target", json::array({{{"id", id}, {"type", "User"}, {"alternateId", login}, {"displayName", login}}})}};
}

effects::ResumeResult ResumeWith(ScimTestClient& c, const std::string& id, const effects::Outcome& o) {
  auto r = effects::Resume(c.store(), c.env(), "acme", "webhooks", id, o, &webhooks::ResumeOktaCatchup);
  REQUIRE(r.ok());
  return *r;
}

effects::TickResult Claim(ScimTestClient& c) {
  auto t = effects::ClaimDue(c.store(), c.env(), "acme", 0, &ReadConnectionSecret);
  REQUIRE(t.ok());
  return *t;
}

void NoCanaryStored(ScimTestClient& c) {
  auto all = c.store().List("", "", 100000);
  REQUIRE(all.ok());
  for (const auto& e : *all) {
    INFO(e.key);
    CHECK(e.key.find(kCanary) == std::string::npos);
    CHECK(e.value.find(kCanary) == std::string::npos);
  }
}

}  // namespace

TEST_CASE("the catch-up polls, applies through the hook applier, follows Link, honours 429, then sleeps") {
  ScimTestClient c;
  c.env().SetConfig("DIRBRIDGE_OKTA_POLL_MS", "60000");
  auto [base, scim_token] = c.NewTenant("acme", "entra");
  (void)base;
  auto cr = c.Admin("POST", "/admin/v1/tenants/acme/connections", json{{"kind", "okta"}}.dump());
  REQUIRE(cr.status == 201);
  const std::string conn = cr.json()["id"];
  const std::string secrets = "/admin/v1/tenants/acme/connections/" + conn + "/secrets/";

  CHECK(c.Admin("PUT", secrets + "okta-org-url", json{{"value", "http://evil.example"}}.dump()).status == 400);
  auto put1 = c.Admin("PUT", secrets + "okta-org-url", json{{"value", "http://127.0.0.1:9"}}.dump());
  REQUIRE(put1.status == 201);
  CHECK_FALSE(put1.json().contains("catchup"));  // no token yet
  auto put2 = c.Admin("PUT", secrets + "okta-api-token", json{{"value", kCanary}}.dump());
  REQUIRE(put2.status == 201);
  CHECK(put2.json()["catchup"] == "armed");
  CHECK(put2.body.find(kCanary) == std::string::npos);

  // 1. The timer emits the first page's request.
  auto t1 = Claim(c);
  REQUIRE(t1.claimed.size() == 1);
  REQUIRE_FALSE(t1.claimed[0].request.has_value());
  effects::Outcome timer;
  timer.kind = effects::Outcome::Kind::kTimer;
  CHECK(ResumeWith(c, t1.claimed[0].id, timer).result == "delivered");
  NoCanaryStored(c);
  auto t2 = Claim(c);
  REQUIRE(t2.claimed.size() == 1);
  REQUIRE(t2.claimed[0].request.has_value());
  const auto& req = *t2.claimed[0].request;
  CHECK(req.method == "GET");
  CHECK(req.url.rfind("http://127.0.0.1:9/api/v1/logs?since=", 0) == 0);
  CHECK(req.headers.at("authorization") == std::string("SSWS ") + kCanary);  // only in the claim
  NoCanaryStored(c);

  // 2. A page of two events and a next link: both applied, the next page asked for.
  effects::Outcome page;
  page.status = 200;
  page.body = json::array({UserEvent("u-2", "2026-11-26T00:00:02.000Z", "00u2", "bo@example.com"),
                           UserEvent("u-1", "2026-11-26T00:00:01.000Z", "00u1", "al@example.com")})
                  .dump();
  page.headers["link"] = "<http://127.0.0.1:9/api/v1/logs?after=p1>; rel=\"next\"";
  CHECK(ResumeWith(c, t2.claimed[0].id, page).result == "delivered");
  auto stats = ReadSourceStats(c.store(), "acme", conn);
  REQUIRE(stats.ok());
  CHECK((*stats)["outcomes"]["applied"] == 2);
  CHECK((*stats)["lastPublished"] == "2026-11-26T00:00:02.000Z");

  auto t3 = Claim(c);
  REQUIRE(t3.claimed.size() == 1);
  CHECK(t3.claimed[0].request->url == "http://127.0.0.1:9/api/v1/logs?after=p1");

  // 3. A 429: retried after X-Rate-Limit-Reset, not handed to the continuation.
  effects::Outcome limited;
  limited.status = 429;
  const int64_t reset_s = c.env().NowMillis() / 1000 + 30;
  limited.headers["x-rate-limit-reset"] = std::to_string(reset_s);
  auto rr = ResumeWith(c, t3.claimed[0].id, limited);
  CHECK(rr.result == "retry");
  REQUIRE(rr.next_attempt_ms.has_value());
  CHECK(*rr.next_attempt_ms >= reset_s * 1000);
  CHECK(Claim(c).claimed.empty());  // not before the reset
  c.env().AdvanceMillis(*rr.next_attempt_ms - c.env().NowMillis());

  // 4. The retried page repeats an event (dropped as a duplicate) and links to a
  //    foreign host (never followed): the chain sleeps one interval.
  auto t4 = Claim(c);
  REQUIRE(t4.claimed.size() == 1);
  CHECK(t4.claimed[0].request->url == "http://127.0.0.1:9/api/v1/logs?after=p1");
  effects::Outcome last;
  last.status = 200;
  last.body = json::array({UserEvent("u-2", "2026-11-26T00:00:02.000Z", "00u2", "bo@example.com")}).dump();
  last.headers["link"] = "<http://evil.example/api/v1/logs?after=p2>; rel=\"next\"";
  CHECK(ResumeWith(c, t4.claimed[0].id, last).result == "delivered");
  stats = ReadSourceStats(c.store(), "acme", conn);
  CHECK((*stats)["outcomes"]["applied"] == 2);
  CHECK((*stats)["outcomes"]["duplicate"] == 1);
  CHECK(Claim(c).claimed.empty());
  c.env().AdvanceMillis(60000);
  auto t5 = Claim(c);
  REQUIRE(t5.claimed.size() == 1);
  CHECK_FALSE(t5.claimed[0].request.has_value());  // the next poll's timer
  CHECK(ResumeWith(c, t5.claimed[0].id, timer).result == "delivered");
  auto t6 = Claim(c);
  REQUIRE(t6.claimed.size() == 1);
  CHECK(t6.claimed[0].request->url.find("since=2026-11-26T00%3A00%3A02.000Z") != std::string::npos);
  NoCanaryStored(c);

  // 5. A new token arms a new chain; the old one stops at its next step.
  REQUIRE(c.Admin("PUT", secrets + "okta-api-token", json{{"value", std::string(kCanary) + "-2"}}.dump()).status == 200);
  effects::Outcome empty;
  empty.status = 200;
  empty.body = "[]";
  CHECK(ResumeWith(c, t6.claimed[0].id, empty).result == "delivered");
  auto t7 = Claim(c);
  REQUIRE(t7.claimed.size() == 1);  // only the new chain's timer
  CHECK_FALSE(t7.claimed[0].request.has_value());
}

TEST_CASE("a catch-up request whose token is gone is parked, never sent") {
  ScimTestClient c;
  auto [base, scim_token] = c.NewTenant("acme", "entra");
  (void)base;
  auto cr = c.Admin("POST", "/admin/v1/tenants/acme/connections", json{{"kind", "okta"}}.dump());
  const std::string conn = cr.json()["id"];
  const std::string secrets = "/admin/v1/tenants/acme/connections/" + conn + "/secrets/";
  REQUIRE(c.Admin("PUT", secrets + "okta-api-token", json{{"value", kCanary}}.dump()).status == 201);
  REQUIRE(c.Admin("PUT", secrets + "okta-org-url", json{{"value", "https://acme.okta.example"}}.dump()).status == 201);
  auto t1 = Claim(c);
  REQUIRE(t1.claimed.size() == 1);
  effects::Outcome timer;
  timer.kind = effects::Outcome::Kind::kTimer;
  ResumeWith(c, t1.claimed[0].id, timer);
  REQUIRE(c.Admin("DELETE", secrets + "okta-api-token").status < 300);
  auto t2 = Claim(c);
  CHECK(t2.claimed.empty());
  auto parked = effects::ListEntries(c.store(), "acme", "parked", "", 10);
  REQUIRE(parked.ok());
  REQUIRE(parked->entries.size() == 1);
  CHECK(parked->entries[0].dump().find("okta-api-token") != std::string::npos);
}
