// The transactional outbox and its retry policy (shared/effects): staging in the
// caller's batch, claiming due work with a lease, backoff with jitter, Retry-After,
// parking after the last attempt, the admin's retry, continuations that fail, and
// the bound on what a tenant's outbox holds.
// The clock and the random numbers are the deterministic NativeEnv's.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/json_text.h"
#include "effects/outbox.h"
#include "effects/retry_policy.h"
#include "native/native_env.h"
#include "store/key_layout.h"
#include "store/memory_kv_store.h"
#include "store/transaction.h"

using namespace dirbridge;
using namespace dirbridge::effects;
using nlohmann::json;

namespace {

constexpr const char* kTenant = "acme";

// "test.ok" records the outcome under t/acme/done/{id}; "test.emit" also emits an
// effect; "test.input" fails with a client-kind error; "test.internal" with an
// internal one. Any other name is unknown.
Status TestContinuation(const ContinuationCall& call, Transaction& txn, Outbox& outbox, Env&) {
  if (call.name == "test.ok" || call.name == "test.emit") {
    json rec = {{"status", call.outcome->status}, {"attempts", call.attempts}, {"state", call.state}};
    if (call.outcome->kind == Outcome::Kind::kTimer) rec["timer"] = true;
    txn.Put("t/acme/done/" + call.id, rec.dump());
    if (call.name == "test.emit") {
      Effect e;
      e.request.url = "http://127.0.0.1:9/next";
      e.continuation = "test.ok";
      DB_ASSIGN_OR_RETURN(auto id, outbox.Emit(e));
      (void)id;
    }
    return Status::Ok();
  }
  if (call.name == "test.input") {
    txn.Put("t/acme/should-not-exist", "x");
    return InvalidInput("the state is unusable");
  }
  if (call.name == "test.internal") {
    txn.Put("t/acme/should-not-exist", "x");
    return Internal("the store failed");
  }
  return NotFound("no continuation named '" + call.name + "'");
}

Effect MakeEffect(std::string continuation = "test.ok", int max_attempts = 0) {
  Effect e;
  e.request.method = "POST";
  e.request.url = "http://127.0.0.1:8080/hook";
  e.request.headers["Content-Type"] = "application/json";
  e.request.body = R"({"hello":"world"})";
  e.continuation = std::move(continuation);
  e.state = json{{"n", 1}};
  e.max_attempts = max_attempts;
  return e;
}

std::string EmitOne(MemoryKvStore& store, NativeEnv& env, const Effect& e) {
  Transaction txn(store);
  Outbox outbox(txn, env, kTenant, "admin");
  auto id = outbox.Emit(e);
  REQUIRE(id.ok());
  txn.Put("t/acme/cause", "the change");
  REQUIRE(txn.Commit().ok());
  return *id;
}

json Entry(MemoryKvStore& store, const std::string& id) {
  auto v = store.Get(keys::OutboxEntry(kTenant, id));
  REQUIRE(v.ok());
  REQUIRE(v->has_value());
  return json::parse(**v);
}

Outcome Response(int status, std::map<std::string, std::string> headers = {}) {
  Outcome o;
  o.status = status;
  o.headers = std::move(headers);
  o.body = "ok";
  return o;
}

Outcome NetworkError() {
  Outcome o;
  o.kind = Outcome::Kind::kNetworkError;
  o.error = "connection refused";
  return o;
}

}  // namespace

TEST_CASE("an effect commits in the same batch as the change that caused it, or not at all") {
  MemoryKvStore store;
  NativeEnv env(true);
  Transaction txn(store);
  Outbox outbox(txn, env, kTenant, "admin");
  REQUIRE(outbox.Emit(MakeEffect()).ok());
  txn.Put("t/acme/cause", "the change");
  CHECK(store.size() == 0);  // staged only
  store.ResetCounts();
  REQUIRE(txn.Commit().ok());
  CHECK(store.counts().commits == 1);
  CHECK(store.size() == 4);  // the change, the entry, its due index key, the outbox's count

  MemoryKvStore failing;
  Transaction txn2(failing);
  Outbox outbox2(txn2, env, kTenant, "admin");
  REQUIRE(outbox2.Emit(MakeEffect()).ok());
  txn2.Put("t/acme/cause", "the change");
  failing.FailNextCommit();
  CHECK_FALSE(txn2.Commit().ok());
  CHECK(failing.size() == 0);
}

TEST_CASE("a bad effect is refused before anything is staged") {
  NativeEnv env(true);
  MemoryKvStore store;
  Transaction txn(store);
  Outbox outbox(txn, env, kTenant, "admin");
  auto bad = [&](auto mutate) {
    Effect e = MakeEffect();
    mutate(e);
    auto r = outbox.Emit(e);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::kInvalidInput);
    return r.error().detail;
  };
  CHECK_THAT(bad([](Effect& e) { e.request.url = "ftp://x/"; }), Catch::Contains("http://"));
  CHECK_THAT(bad([](Effect& e) { e.request.url = "http:///nohost"; }), Catch::Contains("host"));
  CHECK_THAT(bad([](Effect& e) { e.request.url = "http://a b/"; }), Catch::Contains("URL"));
  CHECK_THAT(bad([](Effect& e) { e.request.method = "TRACE"; }), Catch::Contains("method"));
  CHECK_THAT(bad([](Effect& e) { e.request.headers["bad name"] = "x"; }), Catch::Contains("token"));
  CHECK_THAT(bad([](Effect& e) { e.request.headers["x-a"] = "a\r\nb: c"; }), Catch::Contains("control"));
  CHECK_THAT(bad([](Effect& e) { e.request.body.assign(kMaxRequestBodyBytes + 1, 'x'); }), Catch::Contains("body"));
  CHECK_THAT(bad([](Effect& e) { e.continuation = ""; }), Catch::Contains("continuation name"));
  CHECK_THAT(bad([](Effect& e) { e.continuation = "a/b"; }), Catch::Contains("continuation name"));
  CHECK_THAT(bad([](Effect& e) { e.max_attempts = kMaxAttemptsLimit + 1; }), Catch::Contains("maxAttempts"));
  CHECK_THAT(bad([](Effect& e) {
               e.state = json{{"big", std::string(kMaxStateBytes, 'x')}};
             }),
             Catch::Contains("state"));
  CHECK(txn.batch().empty());
  CHECK(outbox.staged() == 0);
}

TEST_CASE("one call stages at most kMaxEffectsPerCall effects") {
  NativeEnv env(true);
  MemoryKvStore store;
  Transaction txn(store);
  Outbox outbox(txn, env, kTenant, "admin");
  for (std::size_t i = 0; i < kMaxEffectsPerCall; ++i) REQUIRE(outbox.Emit(MakeEffect()).ok());
  auto over = outbox.Emit(MakeEffect());
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().kind == ErrorKind::kInvalidInput);
  CHECK(outbox.staged() == kMaxEffectsPerCall);
}

TEST_CASE("backoff doubles from one second, with jitter in the upper half, up to the cap") {
  CHECK(BackoffDelayMs(1, 0) == 500);
  CHECK(BackoffDelayMs(1, 500) == 1000);
  CHECK(BackoffDelayMs(1, 501) == 500);  // modulo 501
  CHECK(BackoffDelayMs(2, 0) == 1000);
  CHECK(BackoffDelayMs(3, 0) == 2000);
  CHECK(BackoffDelayMs(4, UINT64_MAX) <= 8000);
  CHECK(BackoffDelayMs(4, UINT64_MAX) >= 4000);
  CHECK(BackoffDelayMs(30, 0) == kBackoffCapMs / 2);
  CHECK(BackoffDelayMs(1000, UINT64_MAX) <= kBackoffCapMs);
  for (uint64_t r = 0; r < 2000; r += 7) {
    for (int a = 1; a <= 12; ++a) {
      const int64_t d = BackoffDelayMs(a, r * 0x9E3779B97F4A7C15ULL);
      const int64_t full = std::min<int64_t>(kBackoffCapMs, kBackoffBaseMs << (a - 1));
      CHECK(d >= full / 2);
      CHECK(d <= full);
    }
  }
}

TEST_CASE("Retry-After is read as seconds or as an HTTP date, and capped") {
  const int64_t now = 1445412480000;  // Wed, 21 Oct 2015 07:28:00 GMT
  CHECK(RetryAfterMs({{"retry-after", "120"}}, now) == 120000);
  CHECK(RetryAfterMs({{"retry-after", " 3 "}}, now) == 3000);
  CHECK(RetryAfterMs({{"retry-after", "Wed, 21 Oct 2015 07:28:30 GMT"}}, now) == 30000);
  CHECK(RetryAfterMs({{"retry-after", "Wed, 21 Oct 2015 07:27:00 GMT"}}, now) == 0);
  CHECK(RetryAfterMs({{"retry-after", "999999999"}}, now) == kRetryAfterCapMs);
  CHECK_FALSE(RetryAfterMs({{"retry-after", "soon"}}, now).has_value());
  CHECK_FALSE(RetryAfterMs({{"retry-after", "-5"}}, now).has_value());
  CHECK_FALSE(RetryAfterMs({}, now).has_value());
}

TEST_CASE("claim takes only due work, at most kMaxClaimPerTick, and leases it") {
  MemoryKvStore store;
  NativeEnv env(true);
  for (int i = 0; i < 20; ++i) EmitOne(store, env, MakeEffect());
  Effect later = MakeEffect();
  later.not_before_ms = env.NowMillis() + 5000;
  const std::string later_id = EmitOne(store, env, later);

  auto wake = NextWake(store, kTenant);
  REQUIRE(wake.ok());
  CHECK(**wake == env.NowMillis());

  auto first = ClaimDue(store, env, kTenant, 100);
  REQUIRE(first.ok());
  CHECK(first->claimed.size() == kMaxClaimPerTick);
  CHECK(first->claimed[0].request->url == "http://127.0.0.1:8080/hook");
  CHECK(first->claimed[0].request->headers.at("content-type") == "application/json");
  CHECK(first->claimed[0].module == "admin");
  CHECK(first->wake == env.NowMillis());  // four more are due now
  auto second = ClaimDue(store, env, kTenant, 100);
  REQUIRE(second.ok());
  CHECK(second->claimed.size() == 4);
  CHECK(second->wake == env.NowMillis() + 5000);  // the later one; the claimed are leased
  auto none = ClaimDue(store, env, kTenant, 100);
  CHECK(none->claimed.empty());
  CHECK(Entry(store, first->claimed[0].id)["attempts"] == 1);

  // A host that never reports back: the lease runs out and the entry is claimed again.
  env.AdvanceMillis(kLeaseMs);
  auto again = ClaimDue(store, env, kTenant, 100);
  REQUIRE(again.ok());
  CHECK(again->claimed.size() == kMaxClaimPerTick);
  CHECK(again->claimed[0].id == later_id);  // due at +5 s, before the leases ran out
  CHECK(Entry(store, later_id)["attempts"] == 1);
  CHECK(Entry(store, first->claimed[0].id)["attempts"] == 2);
}

TEST_CASE("a delivered answer runs the continuation and removes the entry in one batch") {
  MemoryKvStore store;
  NativeEnv env(true);
  const std::string id = EmitOne(store, env, MakeEffect("test.emit"));
  REQUIRE(ClaimDue(store, env, kTenant, 0)->claimed.size() == 1);
  store.ResetCounts();
  auto r = Resume(store, env, kTenant, "admin", id, Response(404), &TestContinuation);
  REQUIRE(r.ok());
  CHECK(r->result == "delivered");  // a 404 is an answer, for the continuation to judge
  CHECK(store.counts().commits == 1);
  CHECK_FALSE(store.Get(keys::OutboxEntry(kTenant, id))->has_value());
  auto done = json::parse(**store.Get("t/acme/done/" + id));
  CHECK(done["status"] == 404);
  CHECK(done["attempts"] == 1);
  CHECK(done["state"]["n"] == 1);
  // The continuation's own effect is pending and due now.
  CHECK(r->wake == env.NowMillis());
  auto next = ClaimDue(store, env, kTenant, 0);
  REQUIRE(next->claimed.size() == 1);
  CHECK(next->claimed[0].request->url == "http://127.0.0.1:9/next");

  // Resumed again (a host that died before reporting): nothing left to apply.
  auto twice = Resume(store, env, kTenant, "admin", id, Response(200), &TestContinuation);
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().kind == ErrorKind::kNotFound);
}

TEST_CASE("failures retry with backoff, honour Retry-After, and park after the last attempt") {
  MemoryKvStore store;
  NativeEnv env(true);
  const std::string id = EmitOne(store, env, MakeEffect("test.ok", 3));

  REQUIRE(ClaimDue(store, env, kTenant, 0)->claimed.size() == 1);
  auto r1 = Resume(store, env, kTenant, "admin", id, NetworkError(), &TestContinuation);
  REQUIRE(r1.ok());
  CHECK(r1->result == "retry");
  const int64_t d1 = *r1->next_attempt_ms - env.NowMillis();
  CHECK(d1 >= 500);
  CHECK(d1 <= 1000);
  CHECK(r1->wake == r1->next_attempt_ms);
  CHECK(ClaimDue(store, env, kTenant, 0)->claimed.empty());  // not yet
  CHECK(Entry(store, id)["lastError"] == "network error: connection refused");

  env.AdvanceMillis(d1);
  REQUIRE(ClaimDue(store, env, kTenant, 0)->claimed.size() == 1);
  auto r2 = Resume(store, env, kTenant, "admin", id, Response(429, {{"retry-after", "30"}}), &TestContinuation);
  REQUIRE(r2.ok());
  CHECK(r2->result == "retry");
  CHECK(*r2->next_attempt_ms - env.NowMillis() == 30000);  // Retry-After beats the 1-2 s backoff
  CHECK(Entry(store, id)["lastStatus"] == 429);

  env.AdvanceMillis(30000);
  REQUIRE(ClaimDue(store, env, kTenant, 0)->claimed.size() == 1);
  auto r3 = Resume(store, env, kTenant, "admin", id, Response(503), &TestContinuation);
  REQUIRE(r3.ok());
  CHECK(r3->result == "parked");
  CHECK_THAT(r3->error, Catch::Contains("answered 503 (attempt 3 of 3)"));
  CHECK_FALSE(r3->wake.has_value());
  CHECK(Entry(store, id)["phase"] == "parked");
  CHECK_FALSE(store.Get("t/acme/done/" + id)->has_value());

  // Parked entries are not claimed, whatever the time.
  env.AdvanceMillis(24LL * 3600 * 1000);
  CHECK(ClaimDue(store, env, kTenant, 0)->claimed.empty());
  auto listed = ListEntries(store, kTenant, "parked", "", 10);
  REQUIRE(listed.ok());
  REQUIRE(listed->entries.size() == 1);
  CHECK(listed->entries[0]["id"] == id);
  CHECK(listed->entries[0]["request"]["headers"] == json::array({"content-type"}));
  CHECK_FALSE(listed->entries[0]["request"].contains("body"));
  CHECK(ListEntries(store, kTenant, "pending", "", 10)->entries.empty());

  // A resume of a parked entry is refused and changes nothing.
  auto refused = Resume(store, env, kTenant, "admin", id, Response(200), &TestContinuation);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == ErrorKind::kConflict);

  // The admin retries it: due now, attempts from zero; this time it lands.
  auto retried = RetryParked(store, env, kTenant, id);
  REQUIRE(retried.ok());
  CHECK((*retried)["attempts"] == 0);
  CHECK(RetryParked(store, env, kTenant, id).error().kind == ErrorKind::kConflict);
  CHECK(RetryParked(store, env, kTenant, "nope").error().kind == ErrorKind::kNotFound);
  REQUIRE(ClaimDue(store, env, kTenant, 0)->claimed.size() == 1);
  auto landed = Resume(store, env, kTenant, "admin", id, Response(200), &TestContinuation);
  REQUIRE(landed.ok());
  CHECK(landed->result == "delivered");
  CHECK(json::parse(**store.Get("t/acme/done/" + id))["attempts"] == 1);
}

TEST_CASE("the attempts spread out: each retry waits about twice as long") {
  MemoryKvStore store;
  NativeEnv env(true);
  const std::string id = EmitOne(store, env, MakeEffect("test.ok", kMaxAttemptsLimit));
  int64_t previous = 0;
  for (int attempt = 1; attempt < kMaxAttemptsLimit; ++attempt) {
    REQUIRE(ClaimDue(store, env, kTenant, 0)->claimed.size() == 1);
    auto r = Resume(store, env, kTenant, "admin", id, Response(500), &TestContinuation);
    REQUIRE(r.ok());
    REQUIRE(r->result == "retry");
    const int64_t delay = *r->next_attempt_ms - env.NowMillis();
    const int64_t full = std::min<int64_t>(kBackoffCapMs, kBackoffBaseMs << (attempt - 1));
    CHECK(delay >= full / 2);
    CHECK(delay <= full);
    if (full < kBackoffCapMs) CHECK(delay >= previous / 2);
    previous = delay;
    env.AdvanceMillis(delay);
  }
  REQUIRE(ClaimDue(store, env, kTenant, 0)->claimed.size() == 1);
  CHECK(Resume(store, env, kTenant, "admin", id, Response(500), &TestContinuation)->result == "parked");
}

TEST_CASE("a continuation that is unknown or cannot use its state parks the entry and writes nothing else") {
  for (const char* name : {"no.such", "test.input"}) {
    MemoryKvStore store;
    NativeEnv env(true);
    const std::string id = EmitOne(store, env, MakeEffect(name));
    REQUIRE(ClaimDue(store, env, kTenant, 0)->claimed.size() == 1);
    auto r = Resume(store, env, kTenant, "admin", id, Response(200), &TestContinuation);
    REQUIRE(r.ok());
    CHECK(r->result == "parked");
    CHECK_THAT(r->error, Catch::Contains(std::string("continuation '") + name + "' failed"));
    CHECK_FALSE(store.Get("t/acme/should-not-exist")->has_value());
    CHECK(Entry(store, id)["phase"] == "parked");
    CHECK(Entry(store, id)["lastError"] == r->error);
  }
}

TEST_CASE("a continuation that fails internally changes nothing and is claimed again after the lease") {
  MemoryKvStore store;
  NativeEnv env(true);
  const std::string id = EmitOne(store, env, MakeEffect("test.internal"));
  REQUIRE(ClaimDue(store, env, kTenant, 0)->claimed.size() == 1);
  const json before = Entry(store, id);
  auto r = Resume(store, env, kTenant, "admin", id, Response(200), &TestContinuation);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::kInternal);
  CHECK(Entry(store, id) == before);
  CHECK_FALSE(store.Get("t/acme/should-not-exist")->has_value());
  env.AdvanceMillis(kLeaseMs);
  CHECK(ClaimDue(store, env, kTenant, 0)->claimed.size() == 1);
}

TEST_CASE("resume refuses outcomes that do not fit the entry, changing nothing") {
  MemoryKvStore store;
  NativeEnv env(true);
  const std::string id = EmitOne(store, env, MakeEffect());
  REQUIRE(ClaimDue(store, env, kTenant, 0)->claimed.size() == 1);
  const json before = Entry(store, id);
  Outcome timer;
  timer.kind = Outcome::Kind::kTimer;
  CHECK(Resume(store, env, kTenant, "admin", id, timer, &TestContinuation).error().kind == ErrorKind::kInvalidInput);
  CHECK(Resume(store, env, kTenant, "scim", id, Response(200), &TestContinuation).error().kind ==
        ErrorKind::kInvalidInput);
  CHECK(Resume(store, env, kTenant, "admin", "missing", Response(200), &TestContinuation).error().kind ==
        ErrorKind::kNotFound);
  CHECK(Entry(store, id) == before);

  CHECK_FALSE(OutcomeFromJson(json::parse(R"({"status":99})")).ok());
  CHECK_FALSE(OutcomeFromJson(json::parse(R"({"status":"200"})")).ok());
  CHECK_FALSE(OutcomeFromJson(json::parse(R"({"error":""})")).ok());
  CHECK_FALSE(OutcomeFromJson(json::parse(R"({"timer":false})")).ok());
  CHECK_FALSE(OutcomeFromJson(json::parse(R"({"status":200,"headers":{"a":1}})")).ok());
  CHECK_FALSE(OutcomeFromJson(json::parse("[]")).ok());
  auto ok = OutcomeFromJson(json::parse(R"({"status":200,"headers":{"Retry-After":"1"},"body":"x"})"));
  REQUIRE(ok.ok());
  CHECK(ok->headers.at("retry-after") == "1");
}

TEST_CASE("a timer wakes its continuation at its time") {
  MemoryKvStore store;
  NativeEnv env(true);
  Transaction txn(store);
  Outbox outbox(txn, env, kTenant, "admin");
  auto id = outbox.WakeAt(env.NowMillis() + 2000, "test.ok", json{{"why", "renew"}});
  REQUIRE(id.ok());
  REQUIRE(txn.Commit().ok());
  CHECK(**NextWake(store, kTenant) == env.NowMillis() + 2000);
  CHECK(ClaimDue(store, env, kTenant, 0)->claimed.empty());
  env.AdvanceMillis(2000);
  auto claimed = ClaimDue(store, env, kTenant, 0);
  REQUIRE(claimed->claimed.size() == 1);
  CHECK_FALSE(claimed->claimed[0].request.has_value());
  CHECK(TickResultToJson(*claimed)["work"][0]["timer"] == true);
  Outcome timer;
  timer.kind = Outcome::Kind::kTimer;
  auto r = Resume(store, env, kTenant, "admin", *id, timer, &TestContinuation);
  REQUIRE(r.ok());
  CHECK(r->result == "delivered");
  CHECK(json::parse(**store.Get("t/acme/done/" + *id))["timer"] == true);
  CHECK_FALSE(r->wake.has_value());
}

TEST_CASE("the admin's list pages through the outbox by id, filtered by phase") {
  MemoryKvStore store;
  NativeEnv env(true);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(EmitOne(store, env, MakeEffect()));
    env.AdvanceMillis(1);
  }
  auto first = ListEntries(store, kTenant, "", "", 2);
  REQUIRE(first.ok());
  REQUIRE(first->entries.size() == 2);
  CHECK(first->entries[0]["id"] == ids[0]);
  CHECK(first->next_after == ids[1]);
  auto rest = ListEntries(store, kTenant, "", first->next_after, 10);
  REQUIRE(rest->entries.size() == 3);
  CHECK(rest->entries[2]["id"] == ids[4]);
  CHECK(rest->next_after.empty());
  CHECK(ListEntries(store, kTenant, "pending", "", 3)->next_after == ids[2]);
  CHECK(ListEntries(store, kTenant, "parked", "", 3)->entries.empty());
}

namespace {

// The outbox's own count, and the entries it counts, read from the store.
uint64_t Stored(MemoryKvStore& store) {
  auto n = StoredEffects(store, kTenant);
  REQUIRE(n.ok());
  return *n;
}

std::size_t EntriesIn(MemoryKvStore& store) {
  auto rows = store.List(keys::OutboxPrefix(kTenant), "", 1000000);
  REQUIRE(rows.ok());
  return rows->size();
}

// Claims everything due and resumes entry `id` with `outcome`.
ResumeResult ClaimAndResume(MemoryKvStore& store, NativeEnv& env, const std::string& id, const Outcome& outcome) {
  REQUIRE(ClaimDue(store, env, kTenant, 0).ok());
  auto r = Resume(store, env, kTenant, "admin", id, outcome, &TestContinuation);
  REQUIRE(r.ok());
  return *r;
}

}  // namespace

TEST_CASE("a tenant's outbox holds at most kMaxStoredEffects entries, a call past it stages nothing") {
  MemoryKvStore store;
  NativeEnv env(true);
  // Filled through Emit and WakeAt, kMaxEffectsPerCall a call: timers count too.
  static_assert(kMaxStoredEffects % kMaxEffectsPerCall == 0);
  std::string first;
  for (std::size_t call = 0; call < kMaxStoredEffects / kMaxEffectsPerCall; ++call) {
    Transaction txn(store);
    Outbox outbox(txn, env, kTenant, "admin");
    for (std::size_t i = 0; i < kMaxEffectsPerCall; ++i) {
      auto id = i % 10 == 9 ? outbox.WakeAt(env.NowMillis() + 3600 * 1000, "test.ok", json::object())
                            : outbox.Emit(MakeEffect());
      REQUIRE(id.ok());
      if (first.empty()) first = *id;
    }
    REQUIRE(txn.Commit().ok());
  }
  CHECK(Stored(store) == kMaxStoredEffects);
  CHECK(EntriesIn(store) == kMaxStoredEffects);

  // The next call is refused: 503 with Retry-After, naming the count and the limit;
  // its writes never commit.
  const std::size_t keys_before = store.size();
  {
    Transaction txn(store);
    txn.Put("t/acme/cause", "the change");
    Outbox outbox(txn, env, kTenant, "admin");
    auto over = outbox.Emit(MakeEffect());
    REQUIRE_FALSE(over.ok());
    CHECK(over.error().kind == ErrorKind::kUnavailable);
    CHECK(over.error().retry_after_seconds == kOutboxFullRetryAfterSeconds);
    CHECK_THAT(over.error().detail, Catch::Contains("holds 10000 effects and timers") &&
                                        Catch::Contains("the limit is 10000"));
    CHECK_FALSE(outbox.WakeAt(env.NowMillis(), "test.ok", json::object()).ok());
    CHECK(outbox.staged() == 0);
    CHECK(HttpStatusFor(over.error().kind) == 503);  // sent with Retry-After (core_api_error_test)
  }
  CHECK(store.size() == keys_before);
  CHECK_FALSE(store.Get("t/acme/cause")->has_value());

  // Delivering one frees one slot: the next emit fits, the one after does not.
  CHECK(ClaimAndResume(store, env, first, Response(200)).result == "delivered");
  CHECK(Stored(store) == kMaxStoredEffects - 1);
  EmitOne(store, env, MakeEffect());
  CHECK(Stored(store) == kMaxStoredEffects);
  {
    Transaction txn(store);
    Outbox outbox(txn, env, kTenant, "admin");
    auto over = outbox.Emit(MakeEffect());
    REQUIRE_FALSE(over.ok());
    CHECK(over.error().kind == ErrorKind::kUnavailable);
  }

  // A delivered entry's slot is free before its continuation runs: at the cap, a
  // continuation still emits its one next step.
  auto page = ListEntries(store, kTenant, "pending", "", 1);
  REQUIRE(page.ok());
  REQUIRE(page->entries.size() == 1);
  // Make the oldest pending entry one whose continuation emits, then deliver it.
  const std::string chained = page->entries[0]["id"].get<std::string>();
  json entry = Entry(store, chained);
  entry["continuation"] = "test.emit";
  WriteBatch rewrite;
  rewrite.Put(keys::OutboxEntry(kTenant, chained), entry.dump());
  REQUIRE(store.Commit(rewrite).ok());
  auto r = Resume(store, env, kTenant, "admin", chained, Response(200), &TestContinuation);
  REQUIRE(r.ok());
  CHECK(r->result == "delivered");
  CHECK(Stored(store) == kMaxStoredEffects);
  CHECK(EntriesIn(store) == kMaxStoredEffects);
}

TEST_CASE("the outbox's count follows staging, delivery and deletion, claims, retries and parking keep it") {
  MemoryKvStore store;
  NativeEnv env(true);
  const std::string retried = EmitOne(store, env, MakeEffect("test.ok", 3));
  const std::string parked = EmitOne(store, env, MakeEffect("test.ok", 1));
  const std::string refused = EmitOne(store, env, MakeEffect("test.input"));
  const std::string internal = EmitOne(store, env, MakeEffect("test.internal"));
  CHECK(Stored(store) == 4);

  // A claim, a retry and parking after the last attempt move nothing.
  REQUIRE(ClaimDue(store, env, kTenant, 0)->claimed.size() == 4);
  CHECK(Stored(store) == 4);
  CHECK(Resume(store, env, kTenant, "admin", retried, Response(503), &TestContinuation)->result == "retry");
  CHECK(Resume(store, env, kTenant, "admin", parked, NetworkError(), &TestContinuation)->result == "parked");
  CHECK(Stored(store) == 4);
  // A continuation that cannot succeed parks its entry; one that fails internally
  // changes nothing; neither frees the slot.
  CHECK(Resume(store, env, kTenant, "admin", refused, Response(200), &TestContinuation)->result == "parked");
  CHECK_FALSE(Resume(store, env, kTenant, "admin", internal, Response(200), &TestContinuation).ok());
  CHECK(Stored(store) == 4);

  // The admin's retry re-queues a parked entry in its slot.
  REQUIRE(RetryParked(store, env, kTenant, parked).ok());
  CHECK(Stored(store) == 4);
  CHECK(ClaimAndResume(store, env, parked, Response(500)).result == "parked");
  CHECK(Stored(store) == 4);

  // Deleting a parked entry frees its slot; a pending or unknown one is refused.
  REQUIRE(DeleteParked(store, kTenant, parked).ok());
  CHECK_FALSE(store.Get(keys::OutboxEntry(kTenant, parked))->has_value());
  CHECK(Stored(store) == 3);
  CHECK(DeleteParked(store, kTenant, retried).error().kind == ErrorKind::kConflict);
  CHECK(DeleteParked(store, kTenant, parked).error().kind == ErrorKind::kNotFound);
  CHECK(Stored(store) == 3);

  // Delivery frees the slot, in the continuation's batch.
  env.AdvanceMillis(kLeaseMs);
  CHECK(ClaimAndResume(store, env, retried, Response(200)).result == "delivered");
  CHECK(Stored(store) == 2);
  CHECK(EntriesIn(store) == 2);  // the parked test.input entry and the internal one
}

namespace {

// Secrets for the placeholder tests, by "connection/name"; "c1/looks-like" holds a
// placeholder's text itself.
constexpr const char* kTokenCanary = "canary-header-token-3b9f0e";
constexpr const char* kAssertionCanary = "canary.assertion-jwt.51c7d2";
Result<std::optional<std::string>> TestSecrets(KvStore&, Env&, std::string_view tenant, std::string_view connection,
                                               std::string_view name) {
  REQUIRE(tenant == kTenant);
  const std::string ref = std::string(connection) + "/" + std::string(name);
  if (ref == "c1/token") return std::optional<std::string>(kTokenCanary);
  if (ref == "c1/assertion") return std::optional<std::string>(kAssertionCanary);
  if (ref == "c1/looks-like") return std::optional<std::string>("{{sealed-secret:c1/token}}");
  if (ref == "c1/broken") return Corrupt("sealed secret 'broken' of connection c1 does not open");
  return std::optional<std::string>();
}

Effect TokenRequest(std::string body, bool secrets_in_body = true) {
  Effect e = MakeEffect();
  e.request.url = "https://oauth2.example/token";
  e.request.headers["authorization"] = "Bearer " + SealedSecretPlaceholder("c1", "token");
  e.request.headers["content-type"] = "application/x-www-form-urlencoded";
  e.request.body = std::move(body);
  e.request.secrets_in_body = secrets_in_body;
  return e;
}

bool Holds(const json& j, std::string_view needle) { return JsonText(j).find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("sealed-secret placeholders are resolved in header values and a body that says so, in the claim only") {
  MemoryKvStore store;
  NativeEnv env(true);
  const std::string body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" +
                           SealedSecretPlaceholder("c1", "assertion");
  const std::string id = EmitOne(store, env, TokenRequest(body));

  auto claimed = ClaimDue(store, env, kTenant, 0, &TestSecrets);
  REQUIRE(claimed.ok());
  REQUIRE(claimed->claimed.size() == 1);
  const OutboundRequest& sent = *claimed->claimed[0].request;
  CHECK(sent.headers.at("authorization") == std::string("Bearer ") + kTokenCanary);
  CHECK(sent.body == "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" +
                         std::string(kAssertionCanary));
  // The host gets the values; the stored entry and the admin's listing keep the placeholders.
  CHECK(Holds(TickResultToJson(*claimed), kAssertionCanary));
  const json stored = Entry(store, id);
  CHECK(stored["request"]["body"] == body);
  CHECK(stored["request"]["secretsInBody"] == true);
  CHECK_FALSE(Holds(stored, kTokenCanary));
  CHECK_FALSE(Holds(stored, kAssertionCanary));
  auto listed = ListEntries(store, kTenant, "", "", 10);
  REQUIRE(listed.ok());
  REQUIRE(listed->entries.size() == 1);
  CHECK_FALSE(Holds(listed->entries, kTokenCanary));
  CHECK_FALSE(Holds(listed->entries, kAssertionCanary));
  // Claimed again after the lease: resolved from the stored placeholders again.
  env.AdvanceMillis(kLeaseMs);
  auto again = ClaimDue(store, env, kTenant, 0, &TestSecrets);
  REQUIRE(again->claimed.size() == 1);
  CHECK(again->claimed[0].request->body == sent.body);
}

TEST_CASE("a body that does not say it holds secrets is sent as staged, placeholder text and all") {
  // E.g. a user's name copied into a JSON body: it must not pull a secret into the request.
  MemoryKvStore store;
  NativeEnv env(true);
  const std::string body = json{{"name", SealedSecretPlaceholder("c1", "assertion")}}.dump();
  EmitOne(store, env, TokenRequest(body, /*secrets_in_body=*/false));
  auto claimed = ClaimDue(store, env, kTenant, 0, &TestSecrets);
  REQUIRE(claimed->claimed.size() == 1);
  CHECK(claimed->claimed[0].request->body == body);
  CHECK(claimed->claimed[0].request->headers.at("authorization") == std::string("Bearer ") + kTokenCanary);
}

TEST_CASE("body placeholders: a few per body, never read inside a secret, and their errors park the entry") {
  MemoryKvStore store;
  NativeEnv env(true);
  std::string many;
  for (std::size_t i = 0; i <= kMaxPlaceholdersPerValue; ++i) many += SealedSecretPlaceholder("c1", "token") + ";";
  const std::string many_id = EmitOne(store, env, TokenRequest(many));
  const std::string nested_id = EmitOne(store, env, TokenRequest("x=" + SealedSecretPlaceholder("c1", "looks-like")));
  const std::string unterminated_id = EmitOne(store, env, TokenRequest("x={{sealed-secret:c1/assertion"));
  const std::string malformed_id = EmitOne(store, env, TokenRequest("x={{sealed-secret:assertion}}"));
  const std::string missing_id = EmitOne(store, env, TokenRequest("x=" + SealedSecretPlaceholder("c1", "gone")));
  const std::string broken_id = EmitOne(store, env, TokenRequest("x=" + SealedSecretPlaceholder("c1", "broken")));
  const std::string unresolved_id = EmitOne(store, env, TokenRequest("x=" + SealedSecretPlaceholder("c1", "token")));

  auto claimed = ClaimDue(store, env, kTenant, 0, &TestSecrets);
  REQUIRE(claimed.ok());
  std::map<std::string, OutboundRequest> sent;
  for (const auto& c : claimed->claimed) sent[c.id] = *c.request;
  REQUIRE(sent.count(many_id) == 1);
  std::string expected;
  for (std::size_t i = 0; i < kMaxPlaceholdersPerValue; ++i) expected += std::string(kTokenCanary) + ";";
  expected += SealedSecretPlaceholder("c1", "token") + ";";  // past the bound: left as staged
  CHECK(sent[many_id].body == expected);
  REQUIRE(sent.count(nested_id) == 1);
  CHECK(sent[nested_id].body == "x={{sealed-secret:c1/token}}");  // the secret's own text, not resolved again
  CHECK(sent.count(unresolved_id) == 1);

  const std::map<std::string, std::string> parked_for = {
      {unterminated_id, "the body has an unterminated secret placeholder"},
      {malformed_id, "the body has a malformed secret placeholder"},
      {missing_id, "connection c1 has no secret 'gone'"},
      {broken_id, "sealed secret 'broken' of connection c1 does not open"}};
  for (const auto& [id, reason] : parked_for) {
    INFO(id);
    CHECK(sent.count(id) == 0);
    const json entry = Entry(store, id);
    CHECK(entry["phase"] == "parked");
    CHECK(entry["lastError"] == reason);
  }

  // Without a resolver a body placeholder parks its entry too.
  MemoryKvStore bare;
  Effect body_only = TokenRequest("x=" + SealedSecretPlaceholder("c1", "assertion"));
  body_only.request.headers.erase("authorization");
  const std::string id = EmitOne(bare, env, body_only);
  auto none = ClaimDue(bare, env, kTenant, 0);
  REQUIRE(none.ok());
  CHECK(none->claimed.empty());
  CHECK(Entry(bare, id)["phase"] == "parked");
}
