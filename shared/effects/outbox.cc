#include "effects/outbox.h"
#include "core/json_text.h"

#include <algorithm>
#include <charconv>

#include "core/ascii.h"
#include "core/json_input.h"
#include "core/utf8.h"
#include "effects/retry_policy.h"
#include "store/key_layout.h"
#include "store/counter.h"

namespace dirbridge::effects {
namespace {

// Entries staged by any Outbox of this module instance (StagedInThisInstance).
uint64_t staged_in_instance = 0;

using nlohmann::json;

uint64_t RandomU64(Env& env) {
  uint8_t b[8];
  env.RandomBytes(b, sizeof b);
  uint64_t v = 0;
  for (uint8_t x : b) v = (v << 8) | x;
  return v;
}

std::string NewId(Env& env, int64_t now_ms) {
  // Time first (entries list roughly in creation order), then 64 random bits.
  static const char* kHex = "0123456789abcdef";
  std::string id;
  char digits[24];
  auto [p, ec] = std::to_chars(digits, digits + sizeof digits, now_ms < 0 ? 0 : now_ms);
  (void)ec;
  id.assign(13 - std::min<std::size_t>(13, static_cast<std::size_t>(p - digits)), '0');
  id.append(digits, p);
  id.push_back('-');
  uint64_t r = RandomU64(env);
  for (int i = 0; i < 16; ++i, r >>= 4) id.push_back(kHex[r & 0xf]);
  return id;
}

bool IsAsciiAlnum(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsTokenChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7f) return false;
  return std::string_view("\"(),/:;<=>?@[\\]{}").find(c) == std::string_view::npos;
}

bool IsToken(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar); }

json RequestJson(const OutboundRequest& r) {
  json j = {{"method", r.method}, {"url", r.url}, {"headers", r.headers}, {"body", r.body}};
  if (r.secrets_in_body) j["secretsInBody"] = true;  // absent (false) in most entries
  return j;
}

int64_t IntField(const json& j, const char* name, int64_t fallback = 0) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_number_integer()) return fallback;
  return it->get<int64_t>();
}

std::string StringField(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

Result<OutboundRequest> RequestFromJson(const json& j) {
  if (!j.is_object()) return Corrupt("an outbox request is not an object");
  OutboundRequest r;
  r.method = StringField(j, "method");
  r.url = StringField(j, "url");
  r.body = StringField(j, "body");
  if (auto s = j.find("secretsInBody"); s != j.end() && s->is_boolean()) r.secrets_in_body = s->get<bool>();
  if (auto h = j.find("headers"); h != j.end() && h->is_object()) {
    for (auto it = h->begin(); it != h->end(); ++it) {
      if (it.value().is_string()) r.headers[it.key()] = it.value().get<std::string>();
    }
  }
  if (r.method.empty() || r.url.empty()) return Corrupt("an outbox request has no method or url");
  return r;
}

// The stored entry, or nullopt when absent.
Result<std::optional<json>> LoadEntry(KvStore& store, std::string_view tenant, std::string_view id) {
  DB_ASSIGN_OR_RETURN(auto text, store.Get(keys::OutboxEntry(tenant, id)));
  if (!text) return std::optional<json>();
  auto doc = json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Corrupt("outbox entry " + std::string(id) + " does not parse");
  return std::optional<json>(std::move(doc));
}

bool IsPending(const json& entry) { return StringField(entry, "phase") == "pending"; }

// Parks `entry` (already loaded, pending) in `batch`.
void Park(WriteBatch& batch, std::string_view tenant, json& entry, std::string error) {
  const std::string id = StringField(entry, "id");
  batch.Delete(keys::OutboxDue(tenant, IntField(entry, "due"), id));
  entry["phase"] = "parked";
  entry["lastError"] = std::move(error);
  batch.Put(keys::OutboxEntry(tenant, id), JsonText(entry));
}

// Moves a pending entry's due time to `due_ms` in `batch`.
void Reschedule(WriteBatch& batch, std::string_view tenant, json& entry, int64_t due_ms) {
  const std::string id = StringField(entry, "id");
  batch.Delete(keys::OutboxDue(tenant, IntField(entry, "due"), id));
  entry["due"] = due_ms;
  batch.Put(keys::OutboxDue(tenant, due_ms, id), "");
  batch.Put(keys::OutboxEntry(tenant, id), JsonText(entry));
}

std::optional<int64_t> DueOfIndexKey(std::string_view key, std::size_t prefix_len) {
  if (key.size() < prefix_len + 16) return std::nullopt;
  int64_t due = 0;
  const char* b = key.data() + prefix_len;
  auto [p, ec] = std::from_chars(b, b + 16, due);
  if (ec != std::errc() || p != b + 16) return std::nullopt;
  return due;
}

}  // namespace

Status ValidateContinuationName(std::string_view name) {
  if (name.empty() || name.size() > kMaxContinuationNameBytes) {
    return InvalidInput("a continuation name must be 1 to " + std::to_string(kMaxContinuationNameBytes) +
                        " characters");
  }
  for (char c : name) {
    if (!(IsAsciiAlnum(c) || c == '.' || c == '_' || c == '-')) {
      return InvalidInput("a continuation name may hold only letters, digits, '.', '_' and '-'");
    }
  }
  return Status::Ok();
}

Status ValidateEffect(const Effect& e) {
  static constexpr std::string_view kMethods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"};
  if (std::find(std::begin(kMethods), std::end(kMethods), e.request.method) == std::end(kMethods)) {
    return InvalidInput("an effect's method must be one of GET, HEAD, POST, PUT, PATCH, DELETE");
  }
  const std::string& url = e.request.url;
  if (url.size() > kMaxUrlBytes)
    return InvalidInput("an effect's URL is longer than " + std::to_string(kMaxUrlBytes) + " bytes");
  const bool http = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
  const std::size_t host_at = url.find("://") + 3;
  if (!http || url.size() <= host_at || url[host_at] == '/' || HasAsciiControl(url) || url.find(' ') != std::string::npos ||
      !IsValidUtf8(url)) {
    return InvalidInput("an effect's URL must be an absolute http:// or https:// URL with a host");
  }
  if (e.request.headers.size() > kMaxHeaders) {
    return InvalidInput("an effect has more than " + std::to_string(kMaxHeaders) + " headers");
  }
  std::size_t header_bytes = 0;
  for (const auto& [name, value] : e.request.headers) {
    if (!IsToken(name)) return InvalidInput("an effect's header name is not an HTTP token");
    if (HasAsciiControl(value) || !IsValidUtf8(value)) {
      return InvalidInput("an effect's header value holds a control character or is not UTF-8");
    }
    header_bytes += name.size() + value.size();
  }
  if (header_bytes > kMaxHeaderBytes) {
    return InvalidInput("an effect's headers exceed " + std::to_string(kMaxHeaderBytes) + " bytes");
  }
  if (e.request.body.size() > kMaxRequestBodyBytes) {
    return InvalidInput("an effect's body exceeds " + std::to_string(kMaxRequestBodyBytes) + " bytes");
  }
  if (!IsValidUtf8(e.request.body)) return InvalidInput("an effect's body must be UTF-8 text");
  DB_RETURN_IF_ERROR(ValidateContinuationName(e.continuation));
  if (JsonText(e.state).size() > kMaxStateBytes) {
    return InvalidInput("a continuation's state exceeds " + std::to_string(kMaxStateBytes) + " bytes");
  }
  if (e.max_attempts < 0 || e.max_attempts > kMaxAttemptsLimit) {
    return InvalidInput("maxAttempts must be from 1 to " + std::to_string(kMaxAttemptsLimit));
  }
  if (e.not_before_ms < 0) return InvalidInput("an effect's earliest send time must not be negative");
  return Status::Ok();
}

Result<std::string> Outbox::Stage(json entry, int64_t due_ms) {
  if (staged_ >= kMaxEffectsPerCall) {
    return InvalidInput("one call may stage at most " + std::to_string(kMaxEffectsPerCall) + " effects and timers");
  }
  DB_ASSIGN_OR_RETURN(const uint64_t stored, ReadCounter(txn_, keys::OutboxCount(tenant_)));
  if (stored >= kMaxStoredEffects) return OutboxFullError(stored);
  const int64_t now = env_.NowMillis();
  std::string id = NewId(env_, now);
  entry["id"] = id;
  entry["module"] = module_;
  entry["phase"] = "pending";
  entry["attempts"] = 0;
  entry["created"] = now;
  entry["due"] = due_ms;
  txn_.Put(keys::OutboxEntry(tenant_, id), JsonText(entry));
  txn_.Put(keys::OutboxDue(tenant_, due_ms, id), "");
  DB_RETURN_IF_ERROR(AddToCounter(txn_, keys::OutboxCount(tenant_), 1).status());
  ++staged_;
  ++staged_in_instance;
  return id;
}

uint64_t StagedInThisInstance() { return staged_in_instance; }

Error OutboxFullError(uint64_t stored) {
  return UnavailableFor(kOutboxFullRetryAfterSeconds,
                        "the tenant's outbox holds " + std::to_string(stored) +
                            " effects and timers (pending or parked); the limit is " +
                            std::to_string(kMaxStoredEffects) +
                            ": nothing was changed; retry when deliveries have drained it (an admin may retry "
                            "or delete parked effects)");
}

Result<uint64_t> StoredEffects(KvStore& store, std::string_view tenant) {
  return ReadCounter(store, keys::OutboxCount(tenant));
}

Result<std::string> Outbox::Emit(const Effect& effect) {
  Effect e = effect;
  std::map<std::string, std::string> lower;
  for (const auto& [name, value] : e.request.headers) lower[ToLowerAscii(name)] = value;
  e.request.headers = std::move(lower);
  DB_RETURN_IF_ERROR(ValidateEffect(e));
  json entry = {{"kind", "request"},
                {"request", RequestJson(e.request)},
                {"continuation", e.continuation},
                {"state", e.state},
                {"maxAttempts", e.max_attempts == 0 ? kDefaultMaxAttempts : e.max_attempts}};
  if (e.exhausted_to_continuation) entry["exhaustedToContinuation"] = true;
  return Stage(std::move(entry), std::max(env_.NowMillis(), e.not_before_ms));
}

Result<std::string> Outbox::WakeAt(int64_t at_ms, std::string name, json state) {
  DB_RETURN_IF_ERROR(ValidateContinuationName(name));
  if (JsonText(state).size() > kMaxStateBytes) {
    return InvalidInput("a continuation's state exceeds " + std::to_string(kMaxStateBytes) + " bytes");
  }
  if (at_ms < 0) return InvalidInput("a wake-up time must not be negative");
  json entry = {{"kind", "timer"}, {"continuation", std::move(name)}, {"state", std::move(state)}, {"maxAttempts", 1}};
  return Stage(std::move(entry), at_ms);
}

Result<Outcome> OutcomeFromJson(const json& j) {
  if (!j.is_object()) return InvalidInput("'outcome' must be an object");
  Outcome o;
  if (auto t = j.find("timer"); t != j.end()) {
    if (!t->is_boolean() || !t->get<bool>()) return InvalidInput("'outcome.timer' must be true");
    o.kind = Outcome::Kind::kTimer;
    return o;
  }
  if (auto e = j.find("error"); e != j.end()) {
    if (!e->is_string() || e->get<std::string>().empty())
      return InvalidInput("'outcome.error' must be a non-empty string");
    o.kind = Outcome::Kind::kNetworkError;
    o.error = e->get<std::string>();
    return o;
  }
  auto s = j.find("status");
  if (s == j.end() || !s->is_number_integer() || s->get<int64_t>() < 100 || s->get<int64_t>() > 599) {
    return InvalidInput("'outcome' needs an HTTP 'status' from 100 to 599, an 'error' or 'timer'");
  }
  o.kind = Outcome::Kind::kResponse;
  o.status = s->get<int>();
  if (auto h = j.find("headers"); h != j.end()) {
    if (!h->is_object()) return InvalidInput("'outcome.headers' must be an object");
    for (auto it = h->begin(); it != h->end(); ++it) {
      if (!it.value().is_string()) return InvalidInput("'outcome.headers' values must be strings");
      o.headers[ToLowerAscii(it.key())] = it.value().get<std::string>();
    }
  }
  if (auto b = j.find("body"); b != j.end()) {
    if (!b->is_string()) return InvalidInput("'outcome.body' must be a string");
    o.body = b->get<std::string>();
    if (o.body.size() > kMaxResponseBodyBytes) {
      return InvalidInput("'outcome.body' exceeds " + std::to_string(kMaxResponseBodyBytes) + " bytes");
    }
  }
  return o;
}

Result<std::optional<int64_t>> NextWake(KvStore& store, std::string_view tenant) {
  const std::string prefix = keys::OutboxDuePrefix(tenant);
  DB_ASSIGN_OR_RETURN(auto first, store.List(prefix, "", 1));
  if (first.empty()) return std::optional<int64_t>();
  auto due = DueOfIndexKey(first[0].key, prefix.size());
  if (!due) return Corrupt("outbox due index key " + first[0].key + " has no time");
  return due;
}

namespace {
constexpr std::string_view kPlaceholderOpen = "{{sealed-secret:";
constexpr std::string_view kPlaceholderClose = "}}";

// Replaces the first kMaxPlaceholdersPerValue placeholders of `value` (`where` names
// it in errors: "header 'authorization'", "the body"). The search goes on after each
// replaced plaintext, so a secret's value is never read as a placeholder itself.
Status ResolvePlaceholdersIn(std::string& value, std::string_view where, KvStore& store, Env& env,
                             std::string_view tenant, SecretResolver resolve) {
  std::size_t from = 0;
  for (std::size_t n = 0; n < kMaxPlaceholdersPerValue; ++n) {
    const auto open = value.find(kPlaceholderOpen, from);
    if (open == std::string::npos) break;
    const auto close = value.find(kPlaceholderClose, open);
    if (close == std::string::npos) return InvalidInput(std::string(where) + " has an unterminated secret placeholder");
    const std::string ref = value.substr(open + kPlaceholderOpen.size(), close - open - kPlaceholderOpen.size());
    const auto slash = ref.find('/');
    if (slash == std::string::npos) return InvalidInput(std::string(where) + " has a malformed secret placeholder");
    const std::string connection = ref.substr(0, slash), secret = ref.substr(slash + 1);
    if (resolve == nullptr) return InvalidInput("no secret resolver for secret '" + secret + "'");
    auto plain = resolve(store, env, tenant, connection, secret);
    if (!plain.ok()) return plain.error();
    if (!*plain) return InvalidInput("connection " + connection + " has no secret '" + secret + "'");
    value.replace(open, close + kPlaceholderClose.size() - open, **plain);
    from = open + (*plain)->size();
  }
  return Status::Ok();
}

}  // namespace

std::string SealedSecretPlaceholder(std::string_view connection, std::string_view name) {
  return std::string(kPlaceholderOpen) + std::string(connection) + "/" + std::string(name) +
         std::string(kPlaceholderClose);
}

Status ResolveSecretPlaceholders(OutboundRequest& request, KvStore& store, Env& env, std::string_view tenant,
                                 SecretResolver resolve) {
  for (auto& [name, value] : request.headers) {
    DB_RETURN_IF_ERROR(ResolvePlaceholdersIn(value, "header '" + name + "'", store, env, tenant, resolve));
  }
  if (request.secrets_in_body) {
    DB_RETURN_IF_ERROR(ResolvePlaceholdersIn(request.body, "the body", store, env, tenant, resolve));
  }
  return Status::Ok();
}

Result<TickResult> ClaimDue(KvStore& store, Env& env, std::string_view tenant, std::size_t limit,
                            SecretResolver resolve) {
  limit = std::min(limit == 0 ? kMaxClaimPerTick : limit, kMaxClaimPerTick);
  const int64_t now = env.NowMillis();
  const std::string prefix = keys::OutboxDuePrefix(tenant);
  DB_ASSIGN_OR_RETURN(auto due, store.List(prefix, "", limit));
  TickResult out;
  WriteBatch batch;
  for (const auto& index : due) {
    auto at = DueOfIndexKey(index.key, prefix.size());
    if (!at) return Corrupt("outbox due index key " + index.key + " has no time");
    if (*at > now) break;
    const std::string id(keys::LastSegment(index.key));
    // Ids are made by NewId: nothing in them needs escaping, so the key segment is the id.
    DB_ASSIGN_OR_RETURN(auto entry, LoadEntry(store, tenant, id));
    if (!entry || !IsPending(*entry) || IntField(*entry, "due") != *at) {
      batch.Delete(index.key);  // an index key left behind: drop it
      continue;
    }
    Claim claim{id, StringField(*entry, "module"), std::nullopt};
    if (StringField(*entry, "kind") == "request") {
      auto req = entry->find("request");
      DB_ASSIGN_OR_RETURN(auto r, RequestFromJson(req == entry->end() ? json() : *req));
      if (auto resolved = ResolveSecretPlaceholders(r, store, env, tenant, resolve); !resolved.ok()) {
        if (resolved.error().kind == ErrorKind::kInternal) return resolved.error();
        Park(batch, tenant, *entry, resolved.error().detail);
        continue;
      }
      claim.request = std::move(r);
    }
    (*entry)["attempts"] = IntField(*entry, "attempts") + 1;
    Reschedule(batch, tenant, *entry, now + kLeaseMs);
    out.claimed.push_back(std::move(claim));
  }
  if (!batch.empty()) DB_RETURN_IF_ERROR(store.Commit(batch));
  DB_ASSIGN_OR_RETURN(out.wake, NextWake(store, tenant));
  return out;
}

json TickResultToJson(const TickResult& r) {
  json work = json::array();
  for (const auto& c : r.claimed) {
    json item = {{"id", c.id}, {"module", c.module}};
    if (c.request)
      item["request"] = RequestJson(*c.request);
    else
      item["timer"] = true;
    work.push_back(std::move(item));
  }
  json out = {{"work", std::move(work)}, {"claimed", r.claimed.size()}};
  out["wake"] = r.wake ? json(*r.wake) : json(nullptr);
  return out;
}

Result<ResumeResult> Resume(KvStore& store, Env& env, std::string_view tenant, std::string_view module,
                            std::string_view id, const Outcome& outcome, ContinuationFn continuation) {
  DB_ASSIGN_OR_RETURN(auto loaded, LoadEntry(store, tenant, id));
  if (!loaded) return NotFound("no outbox entry '" + std::string(id) + "'");
  json entry = std::move(*loaded);
  if (StringField(entry, "module") != module) {
    return InvalidInput("outbox entry '" + std::string(id) + "' belongs to module '" + StringField(entry, "module") +
                        "', not '" + std::string(module) + "'");
  }
  if (!IsPending(entry)) return Conflict("outbox entry '" + std::string(id) + "' is parked", "");
  const bool timer = StringField(entry, "kind") == "timer";
  if (timer != (outcome.kind == Outcome::Kind::kTimer)) {
    return InvalidInput(timer ? "outbox entry '" + std::string(id) + "' is a timer: its outcome is {\"timer\":true}"
                              : "outbox entry '" + std::string(id) + "' is a request: a timer outcome does not fit");
  }
  const int64_t now = env.NowMillis();
  const int attempts = static_cast<int>(IntField(entry, "attempts"));
  const int max_attempts = static_cast<int>(IntField(entry, "maxAttempts", kDefaultMaxAttempts));
  ResumeResult out;

  const bool failed = outcome.kind == Outcome::Kind::kNetworkError ||
                      (outcome.kind == Outcome::Kind::kResponse && IsRetryableStatus(outcome.status));
  const auto hand_over = entry.find("exhaustedToContinuation");
  const bool handed_over = failed && attempts >= max_attempts && hand_over != entry.end() && hand_over->is_boolean() &&
                           hand_over->get<bool>();
  if (failed && !handed_over) {
    WriteBatch batch;
    std::string why = outcome.kind == Outcome::Kind::kNetworkError ? "network error: " + outcome.error
                                                                   : "answered " + std::to_string(outcome.status);
    if (outcome.kind == Outcome::Kind::kResponse)
      entry["lastStatus"] = outcome.status;
    else
      entry.erase("lastStatus");
    if (attempts >= max_attempts) {
      out.result = "parked";
      out.error = why + " (attempt " + std::to_string(attempts) + " of " + std::to_string(max_attempts) + ")";
      Park(batch, tenant, entry, out.error);
    } else {
      int64_t delay = BackoffDelayMs(attempts, RandomU64(env));
      if (outcome.kind == Outcome::Kind::kResponse && (outcome.status == 429 || outcome.status == 503)) {
        if (auto ra = RetryAfterMs(outcome.headers, now)) delay = std::max(delay, *ra);
      }
      out.result = "retry";
      out.next_attempt_ms = now + delay;
      entry["lastError"] = why;
      Reschedule(batch, tenant, entry, now + delay);
    }
    DB_RETURN_IF_ERROR(store.Commit(batch));
  } else {
    ContinuationCall call;
    call.tenant = std::string(tenant);
    call.module = std::string(module);
    call.id = std::string(id);
    call.name = StringField(entry, "continuation");
    if (auto s = entry.find("state"); s != entry.end()) call.state = *s;
    call.outcome = &outcome;
    call.attempts = attempts;
    Transaction txn(store);
    // The entry's slot is freed first, so the continuation may emit its next step into
    // it; when the continuation fails, the transaction is dropped with the count.
    DB_RETURN_IF_ERROR(AddToCounter(txn, keys::OutboxCount(tenant), -1).status());
    Outbox outbox(txn, env, std::string(tenant), std::string(module));
    Status s = continuation == nullptr ? Status(NotFound("module '" + std::string(module) + "' has no continuations"))
                                       : continuation(call, txn, outbox, env);
    if (!s.ok()) {
      if (s.error().kind == ErrorKind::kInternal || s.error().kind == ErrorKind::kCorrupt) return s.error();
      // A continuation that can never succeed: park the entry, write nothing else.
      WriteBatch batch;
      out.result = "parked";
      out.error = "continuation '" + call.name + "' failed: " + s.error().detail;
      if (outcome.kind == Outcome::Kind::kResponse) entry["lastStatus"] = outcome.status;
      Park(batch, tenant, entry, out.error);
      DB_RETURN_IF_ERROR(store.Commit(batch));
    } else {
      txn.Delete(keys::OutboxEntry(tenant, id));
      txn.Delete(keys::OutboxDue(tenant, IntField(entry, "due"), id));
      DB_RETURN_IF_ERROR(txn.Commit());
      out.result = "delivered";
    }
  }
  DB_ASSIGN_OR_RETURN(out.wake, NextWake(store, tenant));
  return out;
}

json ResumeResultToJson(const ResumeResult& r) {
  json out = {{"result", r.result}};
  if (r.next_attempt_ms) out["nextAttempt"] = *r.next_attempt_ms;
  if (!r.error.empty()) out["error"] = r.error;
  out["wake"] = r.wake ? json(*r.wake) : json(nullptr);
  return out;
}

Result<EntryPage> ListEntries(KvStore& store, std::string_view tenant, std::string_view phase, std::string_view after,
                              std::size_t limit) {
  const std::string prefix = keys::OutboxPrefix(tenant);
  EntryPage page;
  std::string cursor = after.empty() ? std::string() : keys::OutboxEntry(tenant, after);
  // Filtering by phase may skip entries: read in chunks, at most 10 * limit entries per call.
  std::size_t budget = limit * 10;
  bool exhausted = false;
  while (page.entries.size() < limit && budget > 0) {
    const std::size_t chunk = std::min<std::size_t>(budget, 100);
    DB_ASSIGN_OR_RETURN(auto rows, store.List(prefix, cursor, chunk));
    budget -= std::min(budget, rows.size());
    std::size_t used = 0;
    for (const auto& row : rows) {
      ++used;
      cursor = row.key;
      auto doc = json::parse(row.value, nullptr, false);
      if (doc.is_discarded() || !doc.is_object()) return Corrupt("outbox entry " + row.key + " does not parse");
      if (!phase.empty() && StringField(doc, "phase") != phase) continue;
      json shown = doc;
      if (auto req = shown.find("request"); req != shown.end() && req->is_object()) {
        json names = json::array();
        if (auto h = req->find("headers"); h != req->end() && h->is_object()) {
          for (auto it = h->begin(); it != h->end(); ++it) names.push_back(it.key());
        }
        (*req)["headers"] = std::move(names);
        (*req)["bodyBytes"] = StringField(*req, "body").size();
        req->erase("body");
      }
      shown.erase("state");
      page.entries.push_back(std::move(shown));
      if (page.entries.size() == limit) break;
    }
    if (rows.size() < chunk && used == rows.size()) {
      exhausted = true;
      break;
    }
  }
  if (!exhausted && !cursor.empty()) page.next_after = std::string(keys::LastSegment(cursor));
  return page;
}

Result<json> RetryParked(KvStore& store, Env& env, std::string_view tenant, std::string_view id) {
  DB_ASSIGN_OR_RETURN(auto loaded, LoadEntry(store, tenant, id));
  if (!loaded) return NotFound("no outbox entry '" + std::string(id) + "'");
  json entry = std::move(*loaded);
  if (IsPending(entry)) return Conflict("outbox entry '" + std::string(id) + "' is not parked", "");
  const int64_t now = env.NowMillis();
  entry["phase"] = "pending";
  entry["attempts"] = 0;
  entry["due"] = now;
  WriteBatch batch;
  batch.Put(keys::OutboxEntry(tenant, id), JsonText(entry));
  batch.Put(keys::OutboxDue(tenant, now, id), "");
  DB_RETURN_IF_ERROR(store.Commit(batch));
  ++staged_in_instance;  // due now: the tenant's wake-up moves
  return entry;
}

Status DeleteParked(KvStore& store, std::string_view tenant, std::string_view id) {
  DB_ASSIGN_OR_RETURN(auto loaded, LoadEntry(store, tenant, id));
  if (!loaded) return NotFound("no outbox entry '" + std::string(id) + "'");
  if (IsPending(*loaded)) return Conflict("outbox entry '" + std::string(id) + "' is not parked", "");
  Transaction txn(store);
  txn.Delete(keys::OutboxEntry(tenant, id));
  DB_RETURN_IF_ERROR(AddToCounter(txn, keys::OutboxCount(tenant), -1).status());
  return txn.Commit();
}

}  // namespace dirbridge::effects
