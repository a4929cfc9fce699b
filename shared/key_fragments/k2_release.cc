#include "key_fragments/k2_release.h"

#include "core/printable.h"
#include "crypto/sha256.h"
#include "effects/outbox.h"
#include "key_fragments/id_token.h"
#include "key_fragments/jwks_cache.h"
#include "key_fragments/k2_store.h"
#include "key_fragments/release_limits.h"
#include "key_fragments/trusted_idp.h"
#include "provision/directory.h"
#include "provision/event_log.h"
#include "store/expiring_ids.h"
#include "store/key_layout.h"
#include "tenancy/connection.h"

namespace dirbridge::key_fragments {
namespace {

// How many used tokens past their expiry one release forgets.
constexpr std::size_t kMaxForgottenPerRelease = 16;
// Retry-After of a release waiting for the IdP's keys.
constexpr int kKeysRetryAfterSeconds = 2;

Error Refused(std::string detail) { return Unauthorized("the ID token is refused: " + std::move(detail)); }

ExpiringIds UsedTokens(std::string_view tenant) {
  return ExpiringIds(keys::UsedIdTokenPrefix(tenant), keys::UsedIdTokenExpiryPrefix(tenant));
}

// The signing key for `token` in `cache` (the IdP's, as loaded), or the answer that
// says why there is none yet. A missing key may mean the IdP rotated its keys: a
// fetch is staged and committed (the request's only write), and the client is told
// to retry.
Result<nlohmann::json> SigningKeyFor(KvStore& store, Env& env, std::string_view tenant, std::string_view module,
                                     const TrustedIdp& idp, const IdToken& token, const JwksCache& cache) {
  if (cache.jwks_uri == idp.jwks_uri) {
    if (auto key = FindSigningKey(cache, token.kid, token.alg)) return std::move(*key);
  }
  const std::string which = token.kid.empty() ? std::string("without a \"kid\"")
                                              : "with \"kid\" '" + Printable(token.kid, 100) + "'";
  const int64_t now = env.NowMillis();
  const bool fresh = cache.jwks_uri == idp.jwks_uri && cache.fetched_ms != 0 &&
                     cache.fetched_ms >= cache.requested_ms && now - cache.fetched_ms < kJwksMinRefetchMs;
  if (fresh) {
    // A key the IdP published since is fetched once the interval has passed: the
    // client may retry then (a made-up kid costs at most one fetch per interval).
    const int wait = static_cast<int>((cache.fetched_ms + kJwksMinRefetchMs - now + 999) / 1000);
    Error e = Refused("it is signed " + which + " for " + token.alg + ", and none of the " +
                      std::to_string(cache.keys.size()) + " keys the IdP published " +
                      std::to_string((now - cache.fetched_ms) / 1000) + " s ago fits (the keys are fetched " +
                      "again for a token sent after " + std::to_string(wait) + " s)");
    e.retry_after_seconds = wait;
    return e;
  }
  Transaction txn(store);
  effects::Outbox outbox(txn, env, std::string(tenant), std::string(module));
  DB_ASSIGN_OR_RETURN(const bool staged, RequestJwksFetch(txn, outbox, env, tenant, idp, cache));
  if (staged) DB_RETURN_IF_ERROR(txn.Commit());
  std::string detail = "the ID token is signed " + which + ", a key dirbridge does not hold yet; it is fetching the "
                       "IdP's keys (JWKS) now: retry in " + std::to_string(kKeysRetryAfterSeconds) + " s";
  if (!cache.last_error.empty()) detail += " (the last fetch failed: " + cache.last_error + ")";
  Error e = Unauthorized(std::move(detail));
  e.retry_after_seconds = kKeysRetryAfterSeconds;
  return e;
}

// The one user the claim names, active and not held.
Result<User> UserFor(Directory& directory, const TrustedIdp& idp, const std::string& claim) {
  const UserIndex index = idp.match_by == UserMatch::kEmail        ? UserIndex::kEmail
                          : idp.match_by == UserMatch::kExternalId ? UserIndex::kExternalId
                                                                   : UserIndex::kUserName;
  DB_ASSIGN_OR_RETURN(auto users, directory.FindUsers(index, claim, 2));
  const std::string named = "the user whose " + std::string(UserMatchName(idp.match_by)) + " is '" +
                            Printable(claim, 200) + "' (the token's \"" + idp.user_claim + "\")";
  if (users.empty()) return Forbidden("no provisioned user matches " + named);
  if (users.size() > 1) return Forbidden("several provisioned users match " + named + ": the claim must name one");
  User user = std::move(users.front());
  DB_ASSIGN_OR_RETURN(auto hold, directory.HoldOf(user.id));
  if (hold) return Forbidden(named + " was offboarded by an admin: federated login is closed to them");
  if (!user.active) return Forbidden(named + " is suspended in the directory: federated login is closed to them");
  return user;
}

}  // namespace

Result<Release> ReleaseKeyFragment(KvStore& store, Env& env, std::string_view tenant, std::string_view module,
                                   const ReleaseRequest& request) {
  DB_ASSIGN_OR_RETURN(const IdToken token, ParseIdToken(request.id_token));
  if (token.issuer.empty()) return Refused("it has no \"iss\" claim (a string)");
  DB_ASSIGN_OR_RETURN(auto idp, FindTrustedIdpByIssuer(store, tenant, token.issuer));
  if (!idp) {
    return Refused("its issuer '" + Printable(token.issuer, 200) +
                   "' is not an identity provider this tenant trusts for federated login");
  }
  auto connection = GetConnection(store, tenant, idp->connection);
  if (!connection.ok() || !connection->revoked.empty()) {
    return Refused("the connection of its issuer, '" + idp->connection + "', is revoked or gone");
  }
  JwksCache cache;
  {
    Transaction read(store);
    DB_ASSIGN_OR_RETURN(cache, LoadJwksCache(read, tenant, idp->connection));
  }
  DB_ASSIGN_OR_RETURN(const nlohmann::json key, SigningKeyFor(store, env, tenant, module, *idp, token, cache));
  DB_ASSIGN_OR_RETURN(const bool verified,
                      env.VerifyJwsSignature(token.alg, key.dump(), token.signing_input, token.signature));
  if (!verified) return Refused("its signature does not verify with the IdP's key");
  const int64_t now = env.NowMillis();
  std::optional<std::string_view> nonce;
  if (request.nonce) nonce = *request.nonce;
  DB_ASSIGN_OR_RETURN(const CheckedClaims claims, CheckIdTokenClaims(token, *idp, now, nonce));

  const ChangeSource source = SourceOf(*connection, ChangeChannel::kFederation);
  Directory directory(store, env, std::string(tenant), source);
  DB_ASSIGN_OR_RETURN(const User user, UserFor(directory, *idp, claims.user));

  Transaction txn(store);
  const ExpiringIds used = UsedTokens(tenant);
  const std::string token_id = crypto::Sha256Hex(
      idp->issuer + '\0' + (claims.jti.empty() ? "sha256:" + crypto::Sha256Hex(request.id_token) : claims.jti));
  DB_ASSIGN_OR_RETURN(const bool replayed, used.Contains(txn, token_id, now));
  if (replayed) {
    return Refused(claims.jti.empty() ? std::string("this very token was shown before: an ID token opens K2 once")
                                      : "its \"jti\" '" + Printable(claims.jti, 100) +
                                            "' was shown before: an ID token opens K2 once");
  }
  DB_RETURN_IF_ERROR(CountRelease(txn, tenant, user.id, request.address, now));
  used.Remember(txn, token_id, (claims.expires_seconds + idp->leeway_seconds) * 1000 + 1);
  DB_ASSIGN_OR_RETURN(auto forgotten, used.ForgetExpired(txn, now, kMaxForgottenPerRelease));
  (void)forgotten;

  DB_ASSIGN_OR_RETURN(auto record, LoadKeyFragment(txn, tenant, user.id));
  Release release;
  release.user_id = user.id;
  release.user_name = user.user_name;
  EventLog log(txn, env, tenant);
  if (!record) {
    DB_ASSIGN_OR_RETURN(auto made, StageNewKeyFragment(txn, env, tenant, user.id, nullptr));
    record = std::move(made);
    release.enrolled = true;
    auto enrolled = NewUserEvent(EventType::kKeyFragmentEnrolled, user, source, env);
    enrolled.data["generation"] = record->generation;
    DB_RETURN_IF_ERROR(log.Append(enrolled));
  }
  release.generation = record->generation;
  DB_ASSIGN_OR_RETURN(release.k2, OpenKeyFragment(env, tenant, user.id, *record));
  auto released = NewUserEvent(EventType::kKeyFragmentReleased, user, source, env);
  released.data["issuer"] = idp->issuer;
  released.data["jti"] = claims.jti.empty() ? nlohmann::json(nullptr) : nlohmann::json(Printable(claims.jti, 256));
  released.data["generation"] = record->generation;
  released.data["address"] = Printable(request.address, 64);
  DB_RETURN_IF_ERROR(log.Append(released));

  // The keys read at the start of this request say how old they are.
  if (now - cache.fetched_ms > kJwksMaxAgeMs) {
    effects::Outbox outbox(txn, env, std::string(tenant), std::string(module));
    DB_ASSIGN_OR_RETURN(auto staged, RequestJwksFetch(txn, outbox, env, tenant, *idp, cache));
    (void)staged;
  }
  DB_RETURN_IF_ERROR(txn.Commit());
  return release;
}

}  // namespace dirbridge::key_fragments
