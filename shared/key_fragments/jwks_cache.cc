#include "key_fragments/jwks_cache.h"

#include "core/json_input.h"
#include "core/printable.h"
#include "key_fragments/id_token.h"
#include "store/key_layout.h"

namespace dirbridge::key_fragments {
namespace {

using nlohmann::json;

constexpr const char* kPrivateMembers[] = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"};
constexpr const char* kKeptMembers[] = {"kty", "kid", "alg", "use", "n", "e", "crv", "x", "y"};

bool StringMember(const json& key, const char* name, std::size_t max = 4096) {
  auto it = key.find(name);
  return it != key.end() && it->is_string() && !it->get_ref<const std::string&>().empty() &&
         it->get_ref<const std::string&>().size() <= max;
}

std::string TextOf(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t NumberOf(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

void StoreCache(Transaction& txn, std::string_view tenant, std::string_view connection, const JwksCache& cache) {
  json j = json::object();
  j["keys"] = cache.keys;
  j["jwksUri"] = cache.jwks_uri;
  j["fetchedAt"] = cache.fetched_ms;
  j["requestedAt"] = cache.requested_ms;
  if (!cache.last_error.empty()) j["lastError"] = cache.last_error;
  txn.Put(keys::IdpSigningKeys(tenant, connection), j.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace

Result<std::vector<json>> ParseJwks(std::string_view body) {
  if (body.size() > kMaxJwksBytes) {
    return InvalidInput("the JWKS is " + std::to_string(body.size()) + " bytes; the limit is " +
                        std::to_string(kMaxJwksBytes));
  }
  auto doc = ParseResponseJson(body);
  if (!doc.ok() || !doc->is_object()) return InvalidInput("the JWKS is not a JSON object");
  auto list = doc->find("keys");
  if (list == doc->end() || !list->is_array()) return InvalidInput("the JWKS has no \"keys\" array");
  if (list->size() > kMaxJwksKeys) {
    return InvalidInput("the JWKS has " + std::to_string(list->size()) + " keys; at most " +
                        std::to_string(kMaxJwksKeys) + " are read");
  }
  std::vector<json> keys;
  for (const auto& key : *list) {
    if (!key.is_object()) return InvalidInput("a key of the JWKS is not a JSON object");
    for (const char* m : kPrivateMembers) {
      if (key.contains(m)) {
        return InvalidInput(std::string("a key of the JWKS has the private member \"") + m +
                            "\": an IdP must publish public keys only");
      }
    }
    const std::string use = TextOf(key, "use");
    if (!use.empty() && use != "sig") continue;  // an encryption key
    const std::string kty = TextOf(key, "kty");
    const bool rsa = kty == "RSA" && StringMember(key, "n", 2048) && StringMember(key, "e", 16);
    const bool ec = kty == "EC" && TextOf(key, "crv") == "P-256" && StringMember(key, "x", 64) &&
                    StringMember(key, "y", 64);
    if (!rsa && !ec) continue;  // a kind of key no accepted alg uses
    if (key.contains("kid") && !StringMember(key, "kid", kMaxKidBytes)) continue;
    json kept = json::object();
    for (const char* m : kKeptMembers) {
      if (auto it = key.find(m); it != key.end() && it->is_string()) kept[m] = *it;
    }
    keys.push_back(std::move(kept));
  }
  return keys;
}

Result<JwksCache> LoadJwksCache(Transaction& txn, std::string_view tenant, std::string_view connection) {
  JwksCache cache;
  DB_ASSIGN_OR_RETURN(auto text, txn.Get(keys::IdpSigningKeys(tenant, connection)));
  if (!text) return cache;
  DB_ASSIGN_OR_RETURN(json j, ParseRecordJson(*text));
  if (!j.is_object()) return Corrupt("the cached JWKS of connection '" + Printable(connection) + "' is not an object");
  if (auto it = j.find("keys"); it != j.end() && it->is_array()) {
    for (const auto& k : *it) {
      if (k.is_object()) cache.keys.push_back(k);
    }
  }
  cache.jwks_uri = TextOf(j, "jwksUri");
  cache.fetched_ms = NumberOf(j, "fetchedAt");
  cache.requested_ms = NumberOf(j, "requestedAt");
  cache.last_error = TextOf(j, "lastError");
  return cache;
}

json JwksCacheToJson(const JwksCache& cache) {
  json kids = json::array();
  for (const auto& k : cache.keys) {
    kids.push_back({{"kid", TextOf(k, "kid")}, {"kty", TextOf(k, "kty")}, {"alg", TextOf(k, "alg")}});
  }
  json j = {{"keys", kids}, {"jwksUri", cache.jwks_uri}, {"fetchedAt", cache.fetched_ms},
            {"requestedAt", cache.requested_ms}};
  if (!cache.last_error.empty()) j["lastError"] = cache.last_error;
  return j;
}

std::optional<json> FindSigningKey(const JwksCache& cache, std::string_view kid, std::string_view alg) {
  const std::string kty = alg == "ES256" ? "EC" : "RSA";
  const json* only = nullptr;
  std::size_t fitting = 0;
  for (const auto& k : cache.keys) {
    if (TextOf(k, "kty") != kty) continue;
    const std::string key_alg = TextOf(k, "alg");
    if (!key_alg.empty() && key_alg != alg) continue;
    if (!kid.empty()) {
      if (TextOf(k, "kid") == kid) return k;
      continue;
    }
    ++fitting;
    only = &k;
  }
  if (kid.empty() && fitting == 1) return *only;
  return std::nullopt;
}

Result<bool> RequestJwksFetch(Transaction& txn, effects::Outbox& outbox, Env& env, std::string_view tenant,
                              const TrustedIdp& idp, JwksCache cache) {
  const int64_t now = env.NowMillis();
  if (cache.jwks_uri == idp.jwks_uri && cache.requested_ms != 0 && now - cache.requested_ms < kJwksMinRefetchMs) {
    return false;
  }
  effects::Effect fetch;
  fetch.request.method = "GET";
  fetch.request.url = idp.jwks_uri;
  fetch.request.headers["accept"] = "application/json";
  fetch.continuation = kJwksContinuation;
  fetch.state = {{"connection", idp.connection}, {"jwksUri", idp.jwks_uri}};
  fetch.max_attempts = 3;
  // The last failure goes to the continuation, which records it for the admin.
  fetch.exhausted_to_continuation = true;
  DB_ASSIGN_OR_RETURN(auto id, outbox.Emit(fetch));
  (void)id;
  if (cache.jwks_uri != idp.jwks_uri) {
    cache.keys.clear();  // keys of another URL say nothing about this one
    cache.fetched_ms = 0;
    cache.jwks_uri = idp.jwks_uri;
  }
  cache.requested_ms = now;
  StoreCache(txn, tenant, idp.connection, cache);
  return true;
}

Status ResumeJwksFetch(const effects::ContinuationCall& call, Transaction& txn, Env& env) {
  const std::string connection = TextOf(call.state, "connection");
  const std::string uri = TextOf(call.state, "jwksUri");
  if (connection.empty() || uri.empty()) return InvalidInput("a JWKS fetch's state lacks connection or jwksUri");
  DB_ASSIGN_OR_RETURN(auto idp, LoadTrustedIdp(txn, call.tenant, connection));
  if (!idp || idp->jwks_uri != uri) return Status::Ok();  // no longer trusted, or moved: nothing to keep
  DB_ASSIGN_OR_RETURN(auto cache, LoadJwksCache(txn, call.tenant, connection));
  cache.jwks_uri = uri;
  const effects::Outcome& out = *call.outcome;
  if (out.kind == effects::Outcome::Kind::kNetworkError) {
    cache.last_error = "the JWKS could not be fetched: " + Printable(out.error, 200);
  } else if (out.kind != effects::Outcome::Kind::kResponse || out.status != 200) {
    cache.last_error = "the JWKS URL answered HTTP " + std::to_string(out.status);
  } else {
    auto keys = ParseJwks(out.body);
    if (!keys.ok()) {
      cache.last_error = keys.error().detail;
    } else {
      cache.keys = std::move(*keys);
      cache.fetched_ms = env.NowMillis();
      cache.last_error.clear();
    }
  }
  StoreCache(txn, call.tenant, connection, cache);
  return Status::Ok();
}

}  // namespace dirbridge::key_fragments
