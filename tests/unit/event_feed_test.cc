// The event feed (provision/event_feed.h, functions/admin/event_feed_api.h): batches
// bounded by count and size, Standard Webhooks signatures a receiver verifies, and
// the delivery state machine driven through the real outbox on the in-memory store
// (the trigger in the event's batch, one delivery in flight, the cursor on 2xx,
// retries with a fresh signature that never park, stale runs that do nothing, bad
// configurations that change nothing). The clock and randomness are NativeEnv's.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/json_input.h"
#include "effects/outbox.h"
#include "event_feed_api.h"
#include "effects_api.h"
#include "native/native_env.h"
#include "provision/directory.h"
#include "provision/event_feed.h"
#include "provision/event_log.h"
#include "standard_webhooks.h"
#include "store/memory_kv_store.h"
#include "tenancy/sealed_secrets.h"

using namespace dirbridge;
using nlohmann::json;

namespace {

constexpr const char* kTenant = "acme";
constexpr const char* kReceiver = "http://127.0.0.1:9/feed";

NativeEnv FeedEnv() {
  NativeEnv env(/*deterministic=*/true);
  env.SetSecretKey(std::string(32, '\x11'));
  env.SetConfig("DIRBRIDGE_TEST_EFFECTS", "1");
  return env;
}

HttpResponse Call(KvStore& store, Env& env, std::string method, std::string body = "", std::string tail = "") {
  HttpRequest r;
  r.method = std::move(method);
  r.path = "/admin/v1/tenants/acme/events/delivery" + (tail.empty() ? "" : "/" + tail);
  r.tenant = kTenant;
  r.route = {"tenants", kTenant, "events", "delivery"};
  if (!tail.empty()) r.route.push_back(tail);
  r.body = std::move(body);
  return admin::HandleEventDelivery(r, store, env);
}

json BodyOf(const HttpResponse& r) {
  auto doc = ParseJson(r.body);
  REQUIRE(doc.ok());
  return *doc;
}

User NewUser(const std::string& name) {
  User u;
  u.user_name = name;
  u.emails.push_back(TypedValue{name + "@example.com", "work", "", true});
  return u;
}

Directory Dir(KvStore& store, Env& env) { return Directory(store, env, kTenant, ChangeSource{"entra", "c1"}); }

std::vector<effects::Claim> ClaimAll(KvStore& store, Env& env) {
  auto r = effects::ClaimDue(store, env, kTenant, effects::kMaxClaimPerTick);
  REQUIRE(r.ok());
  return r->claimed;
}

effects::ResumeResult ResumeWith(KvStore& store, Env& env, const effects::Claim& c, effects::Outcome o) {
  auto r = effects::Resume(store, env, kTenant, c.module, c.id, o, &admin::Resume);
  REQUIRE(r.ok());
  return *r;
}

effects::Outcome Answer(int status) {
  effects::Outcome o;
  o.status = status;
  return o;
}

effects::Outcome Timer() {
  effects::Outcome o;
  o.kind = effects::Outcome::Kind::kTimer;
  return o;
}

// Runs due timers until a request is claimed (nullopt: nothing more is due).
std::optional<effects::Claim> NextRequest(KvStore& store, Env& env) {
  for (int round = 0; round < 4; ++round) {
    auto claimed = ClaimAll(store, env);
    if (claimed.empty()) return std::nullopt;
    REQUIRE(claimed.size() == 1);  // one delivery in flight per tenant
    if (claimed[0].request) return claimed[0];
    CHECK(ResumeWith(store, env, claimed[0], Timer()).result == "delivered");
  }
  FAIL("no request after four timers");
  return std::nullopt;
}

// A feed configured for new events only, one user created: its delivery, claimed.
std::optional<effects::Claim> FirstDelivery(KvStore& store, Env& env, Directory& dir) {
  REQUIRE(Call(store, env, "PUT", json{{"url", kReceiver}}.dump()).status == 201);
  REQUIRE(dir.CreateUser(NewUser("a")).ok());
  auto req = NextRequest(store, env);
  REQUIRE(req);
  return req;
}

json FeedView(KvStore& store, Env& env) {
  auto r = Call(store, env, "GET");
  REQUIRE(r.status == 200);
  return BodyOf(r);
}

std::vector<uint64_t> Sequences(const json& body) {
  std::vector<uint64_t> out;
  for (const auto& e : body["events"]) out.push_back(e["sequence"].get<uint64_t>());
  return out;
}

}  // namespace

TEST_CASE("a delivery is signed so that a Standard Webhooks receiver verifies it") {
  feed::Batch b{7, 9, 3, R"({"tenant":"acme","events":[]})"};
  const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  auto key = webhooks::DecodeSigningSecret(secret);
  REQUIRE(key.ok());
  const int64_t now = 1764000000000;
  auto e = admin::SignedDelivery("acme", b, "https://receiver.example/feed", *key, now, 5);
  CHECK(e.request.method == "POST");
  CHECK(e.request.headers.at("webhook-id") == "acme.7-9");
  CHECK(e.request.headers.at("webhook-timestamp") == "1764000000");
  CHECK(e.request.headers.at("content-type") == "application/json");
  webhooks::SignedHeaders h{e.request.headers.at("webhook-id"), e.request.headers.at("webhook-timestamp"),
                            e.request.headers.at("webhook-signature")};
  CHECK(webhooks::VerifyDelivery(*key, h, e.request.body, now).ok());
  CHECK_FALSE(webhooks::VerifyDelivery(*key, h, e.request.body + " ", now).ok());
  auto other = webhooks::DecodeSigningSecret("whsec_QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB");
  REQUIRE(other.ok());
  CHECK_FALSE(webhooks::VerifyDelivery(*other, h, e.request.body, now).ok());
  CHECK(e.state["run"] == 5);
  CHECK(e.state["last"] == 9);
  CHECK(e.exhausted_to_continuation);
  CHECK(effects::ValidateEffect(e).ok());
}

TEST_CASE("a batch holds the events after the cursor, in order, bounded by count and size") {
  MemoryKvStore store;
  NativeEnv env = FeedEnv();
  auto dir = Dir(store, env);
  for (int i = 0; i < 130; ++i) REQUIRE(dir.CreateUser(NewUser("u" + std::to_string(i))).ok());
  auto b = feed::NextBatch(store, kTenant, 0);
  REQUIRE(b.ok());
  REQUIRE(*b);
  CHECK((*b)->first == 1);
  CHECK((*b)->last == feed::kMaxBatchEvents);
  CHECK((*b)->count == feed::kMaxBatchEvents);
  auto doc = ParseJson((*b)->body);
  REQUIRE(doc.ok());
  CHECK((*doc)["tenant"] == kTenant);
  CHECK(Sequences(*doc).front() == 1);
  CHECK(Sequences(*doc).back() == 100);
  auto rest = feed::NextBatch(store, kTenant, 100);
  REQUIRE(rest.ok());
  CHECK((*rest)->first == 101);
  CHECK((*rest)->last == 130);
  auto none = feed::NextBatch(store, kTenant, 130);
  REQUIRE(none.ok());
  CHECK_FALSE(*none);

  // Large events: the body stays under the byte bound (one event always goes).
  MemoryKvStore big_store;
  auto big = Dir(big_store, env);
  for (int i = 0; i < 100; ++i) {
    User u = NewUser(std::string(480, 'a' + (i % 26)) + std::to_string(i));
    u.external_id = std::string(480, 'x') + std::to_string(i);
    u.emails[0].value = std::string(480, 'e') + std::to_string(i) + "@example.com";
    REQUIRE(big.CreateUser(u).ok());
  }
  auto bounded = feed::NextBatch(big_store, kTenant, 0);
  REQUIRE(bounded.ok());
  CHECK((*bounded)->body.size() <= feed::kMaxBatchBodyBytes);
  CHECK((*bounded)->count < 100);
  CHECK((*bounded)->count > 1);
}

TEST_CASE("user events carry id, userName, email, state and the user's groups, never a secret") {
  MemoryKvStore store;
  NativeEnv env = FeedEnv();
  auto dir = Dir(store, env);
  auto alice = dir.CreateUser(NewUser("alice"));
  REQUIRE(alice.ok());
  Group g;
  g.display_name = "Engineering";
  REQUIRE(dir.CreateGroup(g, {MemberRef{alice->id, ""}}).ok());
  REQUIRE(dir.SetUserActive(alice->id, false, std::nullopt).ok());
  auto events = ReadEvents(store, kTenant, 0, 10);
  REQUIRE(events.ok());
  const json& created = events->front();
  CHECK(created["type"] == "user.provisioned");
  CHECK(created["data"]["email"] == "alice@example.com");
  CHECK(created["data"]["state"] == "active");
  CHECK(created["data"]["groups"] == json::array());
  const json& suspended = events->back();
  CHECK(suspended["type"] == "user.suspended");
  CHECK(suspended["user"] == alice->id);
  CHECK(suspended["data"]["userName"] == "alice");
  CHECK(suspended["data"]["state"] == "suspended");
  REQUIRE(suspended["data"]["groups"].size() == 1);
  CHECK(suspended["data"]["groups"][0]["displayName"] == "Engineering");
  CHECK_FALSE(suspended["data"].contains("groupsTruncated"));
}

TEST_CASE("the feed delivers in order, one batch in flight, and wakes on new events") {
  MemoryKvStore store;
  NativeEnv env = FeedEnv();
  auto dir = Dir(store, env);
  for (int i = 0; i < 3; ++i) REQUIRE(dir.CreateUser(NewUser("pre" + std::to_string(i))).ok());

  auto put = Call(store, env, "PUT", json{{"url", kReceiver}, {"from", 1}}.dump());
  REQUIRE(put.status == 201);
  const json configured = BodyOf(put);
  const std::string secret = configured["secret"];
  CHECK(secret.rfind("whsec_", 0) == 0);
  CHECK(configured["cursor"] == 1);
  CHECK(configured["lastSequence"] == 3);
  CHECK(FeedView(store, env).dump().find(secret) == std::string::npos);
  auto key = webhooks::DecodeSigningSecret(secret);
  REQUIRE(key.ok());

  auto first = NextRequest(store, env);
  REQUIRE(first);
  CHECK(first->module == "admin");
  const auto& req = *first->request;
  CHECK(req.url == kReceiver);
  CHECK(req.headers.at("webhook-id") == "acme.2-3");
  webhooks::SignedHeaders h{req.headers.at("webhook-id"), req.headers.at("webhook-timestamp"),
                            req.headers.at("webhook-signature")};
  CHECK(webhooks::VerifyDelivery(*key, h, req.body, env.NowMillis()).ok());
  CHECK(Sequences(*ParseJson(req.body)) == std::vector<uint64_t>{2, 3});
  CHECK(FeedView(store, env)["inFlight"]["first"] == 2);

  // While it is in flight, new events stage no second delivery.
  auto stored_before = effects::StoredEffects(store, kTenant);
  REQUIRE(dir.CreateUser(NewUser("during")).ok());
  CHECK(*effects::StoredEffects(store, kTenant) == *stored_before);

  // 2xx: the cursor moves and the next batch (event 4) goes at once.
  ResumeWith(store, env, *first, Answer(204));
  auto second = NextRequest(store, env);
  REQUIRE(second);
  CHECK(Sequences(*ParseJson(second->request->body)) == std::vector<uint64_t>{4});
  ResumeWith(store, env, *second, Answer(200));
  json s = FeedView(store, env);
  CHECK(s["cursor"] == 4);
  CHECK(s["lag"] == 0);
  CHECK(s["delivered"] == 3);
  CHECK(s["busy"] == false);
  CHECK_FALSE(NextRequest(store, env));

  // Idle: the next event arms it in its own batch (a wake-up due now).
  REQUIRE(dir.CreateUser(NewUser("after")).ok());
  CHECK(FeedView(store, env)["busy"] == true);
  auto third = NextRequest(store, env);
  REQUIRE(third);
  CHECK(third->request->headers.at("webhook-id") == "acme.5-5");
  ResumeWith(store, env, *third, Answer(200));
  CHECK(FeedView(store, env)["cursor"] == 5);
}

TEST_CASE("a failing receiver is retried with fresh signatures and never parks") {
  MemoryKvStore store;
  NativeEnv env = FeedEnv();
  auto dir = Dir(store, env);
  auto req = FirstDelivery(store, env, dir);
  const std::string first_ts = req->request->headers.at("webhook-timestamp");
  // The outbox retries the same request kAttemptsPerSend times, then hands it back.
  for (int attempt = 1; attempt < feed::kAttemptsPerSend; ++attempt) {
    CHECK(ResumeWith(store, env, *req, Answer(503)).result == "retry");
    env.AdvanceMillis(60 * 1000);
    auto again = ClaimAll(store, env);
    REQUIRE(again.size() == 1);
    req = again[0];
  }
  CHECK(ResumeWith(store, env, *req, Answer(503)).result == "delivered");
  json s = FeedView(store, env);
  CHECK(s["failures"] == 1);
  CHECK(s["lastStatus"] == 503);
  CHECK(s["cursor"] == 0);
  CHECK(s["busy"] == true);
  auto parked = effects::ListEntries(store, kTenant, "parked", "", 10);
  REQUIRE(parked.ok());
  CHECK(parked->entries.empty());
  // A 4xx (a receiver that refuses a stale signature) also comes back later.
  env.AdvanceMillis(11 * 60 * 1000);
  req = NextRequest(store, env);
  REQUIRE(req);
  CHECK(req->request->headers.at("webhook-timestamp") != first_ts);
  ResumeWith(store, env, *req, Answer(401));
  CHECK(FeedView(store, env)["failures"] == 2);
  env.AdvanceMillis(11 * 60 * 1000);
  req = NextRequest(store, env);
  REQUIRE(req);
  ResumeWith(store, env, *req, Answer(200));
  s = FeedView(store, env);
  CHECK(s["cursor"] == 1);
  CHECK(s["failures"] == 0);
  CHECK_FALSE(s.contains("lastError"));
}

TEST_CASE("a stopped or reconfigured feed's old chain does nothing") {
  MemoryKvStore store;
  NativeEnv env = FeedEnv();
  auto dir = Dir(store, env);
  auto old = FirstDelivery(store, env, dir);
  REQUIRE(Call(store, env, "PUT", json{{"url", "http://127.0.0.1:10/other"}, {"from", 0}}.dump()).status == 201);
  ResumeWith(store, env, *old, Answer(200));  // the old run's outcome: ignored
  CHECK(FeedView(store, env)["cursor"] == 0);
  auto fresh = NextRequest(store, env);
  REQUIRE(fresh);
  CHECK(fresh->request->url == "http://127.0.0.1:10/other");
  CHECK(Call(store, env, "DELETE").status == 204);
  ResumeWith(store, env, *fresh, Answer(200));
  CHECK(Call(store, env, "GET").status == 404);
  CHECK_FALSE(NextRequest(store, env));
  REQUIRE(dir.CreateUser(NewUser("b")).ok());  // no feed: no wake-up
  CHECK(*effects::StoredEffects(store, kTenant) == 0);
  CHECK(Call(store, env, "DELETE").status == 404);
  CHECK(Call(store, env, "POST", "", "secret").status == 404);
}

TEST_CASE("bad configurations are refused and change nothing") {
  MemoryKvStore store;
  NativeEnv env = FeedEnv();
  auto dir = Dir(store, env);
  REQUIRE(dir.CreateUser(NewUser("a")).ok());
  REQUIRE(Call(store, env, "PUT", json{{"url", "https://receiver.example/feed"}}.dump()).status == 201);
  const json before = FeedView(store, env);
  for (const std::string& body :
       {std::string("{"), std::string("[]"), json{{"url", 5}}.dump(), json::object().dump(),
        json{{"url", "ftp://x/y"}}.dump(), json{{"url", "https://user:pw@receiver.example/"}}.dump(),
        json{{"url", "https:///nohost"}}.dump(), json{{"url", "https://receiver.example/#frag"}}.dump(),
        json{{"url", "http://receiver.example/feed"}}.dump(), json{{"url", "https://r.example/a b"}}.dump(),
        json{{"url", "https://r.example/" + std::string(3000, 'a')}}.dump(),
        json{{"url", "https://r.example/"}, {"from", -1}}.dump(), json{{"url", "https://r.example/"}, {"from", 2}}.dump(),
        json{{"url", "https://r.example/"}, {"from", "1"}}.dump(),
        json{{"url", "https://r.example/"}, {"extra", true}}.dump()}) {
    INFO(body);
    auto r = Call(store, env, "PUT", body);
    CHECK(r.status == 400);
    CHECK(FeedView(store, env) == before);
  }
  // Loopback http:// only where the test routes are on.
  NativeEnv production(/*deterministic=*/true);
  production.SetSecretKey(std::string(32, '\x11'));
  CHECK(Call(store, production, "PUT", json{{"url", kReceiver}}.dump()).status == 400);
  CHECK(FeedView(store, env) == before);
  // Without a sealing key: 503, nothing changed.
  NativeEnv keyless(/*deterministic=*/true);
  CHECK(Call(store, keyless, "PUT", json{{"url", "https://other.example/"}}.dump()).status == 503);
  CHECK(FeedView(store, env) == before);
  CHECK(Call(store, env, "PATCH").status == 405);
}

TEST_CASE("the secret is shown once, stored sealed, and rotates") {
  MemoryKvStore store;
  NativeEnv env = FeedEnv();
  auto put = BodyOf(Call(store, env, "PUT", json{{"url", "https://receiver.example/feed"}}.dump()));
  const std::string secret = put["secret"];
  auto rotated = Call(store, env, "POST", "", "secret");
  REQUIRE(rotated.status == 200);
  const std::string next = BodyOf(rotated)["secret"];
  CHECK(next != secret);
  CHECK(FeedView(store, env)["secretFingerprint"] == BodyOf(rotated)["secretFingerprint"]);
  auto all = store.List("t/acme/", "", 1000);
  REQUIRE(all.ok());
  for (const auto& e : *all) {
    CHECK(e.value.find(secret.substr(6)) == std::string::npos);
    CHECK(e.value.find(next.substr(6)) == std::string::npos);
  }
  auto opened = ReadConnectionSecret(store, env, kTenant, feed::kSecretOwner, kWebhookSigningSecretName);
  REQUIRE(opened.ok());
  CHECK(**opened == next);
}
