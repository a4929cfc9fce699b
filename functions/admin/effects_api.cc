#include "effects_api.h"

#include "key_fragments/jwks_cache.h"
#include "core/json_text.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <string>

#include "core/api_error.h"
#include "core/api_response.h"
#include "core/json_input.h"
#include "effects/retry_policy.h"
#include "effects/test_record.h"
#include "provision/deprovisioning.h"
#include "deprovisioning_api.h"
#include "event_feed_api.h"

namespace dirbridge::admin {
bool TestRoutesEnabled(Env& env) { return env.Config("DIRBRIDGE_TEST_EFFECTS").value_or("") == "1"; }

namespace {

using nlohmann::json;

constexpr std::size_t kMaxNoteBytes = 100;
constexpr int64_t kMaxWakeInMs = 24LL * 3600 * 1000;

// An optional string field: absent leaves *out as it is.
Status OptionalString(const json& body, const char* name, std::string* out) {
  auto it = body.find(name);
  if (it == body.end()) return Status::Ok();
  if (!it->is_string()) return InvalidInput(std::string("'") + name + "' must be a string");
  *out = it->get<std::string>();
  return Status::Ok();
}

Status ValidateNote(const std::string& note) {
  if (note.empty() || note.size() > kMaxNoteBytes) {
    return InvalidInput("'note' must be a string of 1 to " + std::to_string(kMaxNoteBytes) + " bytes");
  }
  return Status::Ok();
}

json Emitted() { return json{{"stage", "emitted"}}; }

HttpResponse TestTrigger(const HttpRequest& request, KvStore& store, Env& env) {
  auto doc = ParseJson(request.body);
  if (!doc.ok()) return ApiErrorResponse(doc.error());
  if (!doc->is_object())
    return ApiErrorResponse(InvalidInput("the request body must be a JSON object", "invalidSyntax"));
  const json& body = *doc;
  std::string note, chain, continuation = "test.record";
  effects::Effect effect;
  for (auto [name, out] : {std::pair{"note", &note}, std::pair{"chain", &chain}, std::pair{"url", &effect.request.url},
                           std::pair{"method", &effect.request.method}, std::pair{"body", &effect.request.body},
                           std::pair{"continuation", &continuation}}) {
    if (auto s = OptionalString(body, name, out); !s.ok()) return ApiErrorResponse(s.error());
  }
  if (auto s = ValidateNote(note); !s.ok()) return ApiErrorResponse(s.error());
  if (auto h = body.find("headers"); h != body.end()) {
    if (!h->is_object()) return ApiErrorResponse(InvalidInput("'headers' must be an object of strings"));
    for (auto it = h->begin(); it != h->end(); ++it) {
      if (!it.value().is_string()) return ApiErrorResponse(InvalidInput("'headers' must be an object of strings"));
      effect.request.headers[it.key()] = it.value().get<std::string>();
    }
  }
  if (auto m = body.find("maxAttempts"); m != body.end()) {
    if (!m->is_number_integer() || m->get<int64_t>() < 1 || m->get<int64_t>() > effects::kMaxAttemptsLimit) {
      return ApiErrorResponse(
          InvalidInput("'maxAttempts' must be an integer from 1 to " + std::to_string(effects::kMaxAttemptsLimit)));
    }
    effect.max_attempts = m->get<int>();
  }
  json state = {{"note", note}};
  if (!chain.empty()) state["chain"] = chain;
  effect.continuation = continuation;
  effect.state = state;

  Transaction txn(store);
  effects::Outbox outbox(txn, env, request.tenant, kModuleName);
  Result<std::string> id = std::string();
  if (auto w = body.find("wakeInMs"); w != body.end()) {
    if (!w->is_number_integer() || w->get<int64_t>() < 0 || w->get<int64_t>() > kMaxWakeInMs) {
      return ApiErrorResponse(InvalidInput("'wakeInMs' must be an integer from 0 to " + std::to_string(kMaxWakeInMs)));
    }
    id = outbox.WakeAt(env.NowMillis() + w->get<int64_t>(), continuation, state);
  } else {
    if (effect.request.url.empty()) return ApiErrorResponse(InvalidInput("'url' is required (or 'wakeInMs')"));
    id = outbox.Emit(effect);
  }
  if (!id.ok()) return ApiErrorResponse(id.error());
  if (!chain.empty()) {
    // The chained effect is checked now, so a bad chain URL is refused before anything commits.
    effects::Effect probe = effect;
    probe.request.url = chain;
    if (auto s = effects::ValidateEffect(probe); !s.ok()) return ApiErrorResponse(s.error());
  }
  effects::PutTestRecord(txn, request.tenant, note, Emitted());
  if (auto s = txn.Commit(); !s.ok()) return ApiErrorResponse(s.error());
  return ApiJsonResponse(202, json{{"id", *id}, {"note", note}});
}

HttpResponse TestRecord(const HttpRequest& request, KvStore& store, const std::string& note) {
  auto v = effects::GetTestRecord(store, request.tenant, note);
  if (!v.ok()) return ApiErrorResponse(v.error());
  if (!*v) return ApiErrorResponse(NotFound("nothing recorded for note '" + note + "'"));
  return ApiJsonResponse(200, **v);
}

HttpResponse List(const HttpRequest& request, KvStore& store) {
  auto params = ParseQuery(request.query);
  std::string phase = QueryValue(params, "phase").value_or("");
  if (!phase.empty() && phase != "pending" && phase != "parked") {
    return ApiErrorResponse(InvalidInput("'phase' must be 'pending' or 'parked'"));
  }
  std::size_t limit = 100;
  if (auto l = QueryValue(params, "limit")) {
    auto [p, ec] = std::from_chars(l->data(), l->data() + l->size(), limit);
    if (ec != std::errc() || p != l->data() + l->size() || limit == 0 || limit > 1000) {
      return ApiErrorResponse(InvalidInput("'limit' must be an integer from 1 to 1000"));
    }
  }
  auto page = effects::ListEntries(store, request.tenant, phase, QueryValue(params, "after").value_or(""), limit);
  if (!page.ok()) return ApiErrorResponse(page.error());
  auto stored = effects::StoredEffects(store, request.tenant);
  if (!stored.ok()) return ApiErrorResponse(stored.error());
  json out = {{"effects", page->entries}, {"stored", *stored}, {"limit", effects::kMaxStoredEffects}};
  if (!page->next_after.empty()) out["next"] = page->next_after;
  return ApiJsonResponse(200, out);
}

}  // namespace

HttpResponse HandleEffects(const HttpRequest& request, KvStore& store, Env& env) {
  const auto& r = request.route;  // ["tenants", t, "effects", ...]
  if (r.size() == 3) {
    if (request.method != "GET") return ApiMethodNotAllowed("GET");
    return List(request, store);
  }
  if (r[3] == "test") {
    if (!TestRoutesEnabled(env)) return ApiErrorResponse(NotFound("no such admin endpoint: " + request.path));
    if (r.size() == 4) {
      if (request.method != "POST") return ApiMethodNotAllowed("POST");
      return TestTrigger(request, store, env);
    }
    if (r.size() == 5) {
      if (request.method != "GET") return ApiMethodNotAllowed("GET");
      return TestRecord(request, store, r[4]);
    }
  }
  if (r.size() == 5 && r[4] == "retry") {
    if (request.method != "POST") return ApiMethodNotAllowed("POST");
    auto entry = effects::RetryParked(store, env, request.tenant, r[3]);
    if (!entry.ok()) return ApiErrorResponse(entry.error());
    return ApiJsonResponse(200, json{{"id", r[3]}, {"phase", "pending"}, {"due", (*entry)["due"]}});
  }
  if (r.size() == 4) {
    if (request.method != "DELETE") return ApiMethodNotAllowed("DELETE");
    if (auto s = effects::DeleteParked(store, request.tenant, r[3]); !s.ok()) return ApiErrorResponse(s.error());
    return ApiNoContent();
  }
  return ApiErrorResponse(NotFound("no such admin endpoint: " + request.path));
}

namespace {

// test.record: writes what came back to t/{t}/testfx/{note}; with "chain" in the
// state, also emits a second effect. Idempotent: a second run writes the same record
// (the chained effect could be sent twice, as any effect may be).
Status RecordOutcome(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env) {
  auto note = call.state.find("note");
  if (!call.state.is_object() || note == call.state.end() || !note->is_string()) {
    return InvalidInput("test.record: the state has no 'note'");
  }
  const auto& o = *call.outcome;
  json record = {{"stage", "delivered"}, {"attempts", call.attempts}, {"id", call.id}};
  if (o.kind == effects::Outcome::Kind::kTimer) {
    record["timer"] = true;
    record["at"] = env.NowMillis();
  } else {
    record["status"] = o.status;
    record["body"] = o.body;
  }
  effects::PutTestRecord(txn, call.tenant, note->get<std::string>(), record);
  if (auto chain = call.state.find("chain"); chain != call.state.end() && chain->is_string()) {
    const std::string next_note = note->get<std::string>() + "-chained";
    effects::Effect next;
    next.request.method = "POST";
    next.request.url = chain->get<std::string>();
    next.request.body = JsonText(json{{"note", next_note}});
    next.request.headers["content-type"] = "application/json";
    next.continuation = "test.record";
    next.state = json{{"note", next_note}};
    DB_ASSIGN_OR_RETURN(auto id, outbox.Emit(next));
    (void)id;
    effects::PutTestRecord(txn, call.tenant, next_note, Emitted());
  }
  return Status::Ok();
}

}  // namespace

Status Resume(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env) {
  if (call.name == "test.record") return RecordOutcome(call, txn, outbox, env);
  if (IsFeedContinuation(call.name)) return ResumeFeed(call, txn, outbox, env);
  if (call.name == kPurgeContinuation) return ResumePurge(call, txn, env);
  if (call.name == key_fragments::kJwksContinuation) return key_fragments::ResumeJwksFetch(call, txn, env);
  return NotFound("module admin has no continuation named '" + call.name + "'");
}

}  // namespace dirbridge::admin
