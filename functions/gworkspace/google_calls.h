// Every call to a Google API goes through here. A call is an effect whose
// Authorization is a sealed-secret placeholder for the connection's access token
// (effects/outbox.h: the claim puts the token in, no stored record holds it). The
// token is bought with the OAuth 2.0 JWT bearer grant
// (developers.google.com/identity/protocols/oauth2/service-account): a POST of
// grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT> to the token
// endpoint, the assertion another placeholder that the claim replaces with a JWT
// signed then (RS256, by the host, with the sealed service-account key;
// tenancy/outbound_credentials.h), so an assertion is never stored either.
//
//   - a call made while the cached token is valid (more than kTokenMarginMs left) is
//     emitted at once;
//   - otherwise it waits (a `wait` record, at most kMaxWaitingCalls) and one token
//     request is in flight for all of them (a new one only if the last was sent more
//     than kTokenRequestStaleMs ago); the token's answer seals the token, notes its
//     expiry and emits the waiting calls (kDrainPerCall per continuation, then a timer
//     for the rest);
//   - a refused token request (400 invalid_grant, 401 unauthorized_client: a key that
//     was revoked, a delegation withdrawn) is in the connection's status and asked
//     again after a backoff (kTokenRetryMinMs doubling to kTokenRetryMaxMs); a token
//     endpoint that is down is retried by the outbox (5xx, 429, network errors);
//   - a call answered 401 marks the token expired and goes back to waiting, at most
//     kMaxRefreshesPerCall times (then its handler sees the 401).
//
// A call names what handles its answer (`then`) and carries `data` for it; the
// google.call continuation hands the answer over (GoogleAnswerHandler).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "google_session.h"

namespace dirbridge::gworkspace {

inline constexpr int64_t kTokenMarginMs = 5 * 60 * 1000;
inline constexpr int64_t kTokenRequestStaleMs = 5 * 60 * 1000;
inline constexpr std::size_t kMaxWaitingCalls = 1000;
inline constexpr std::size_t kDrainPerCall = 80;
inline constexpr int kMaxRefreshesPerCall = 2;
inline constexpr int64_t kTokenRetryMinMs = 30 * 1000;
inline constexpr int64_t kTokenRetryMaxMs = 15 * 60 * 1000;

struct GoogleCall {
  std::string method = "GET";
  std::string url;
  std::string body;  // JSON for POST
  std::string then;  // the handler of the answer
  nlohmann::json data = nlohmann::json::object();
  int refreshes = 0;
};

// Emits `call` now or queues it behind a token request (see above). 503 when
// kMaxWaitingCalls already wait (the caller's request fails and is retried).
Status EmitCall(GoogleSession& s, const GoogleCall& call);

// The continuations of this file.
Status ResumeCall(const effects::ContinuationCall& call, GoogleSession& s);        // google.call
Status ResumeToken(const effects::ContinuationCall& call, GoogleSession& s);       // google.token
Status ResumeTokenRetry(const effects::ContinuationCall& call, GoogleSession& s);  // google.token.retry
Status ResumeDrain(const effects::ContinuationCall& call, GoogleSession& s);       // google.drain

// What handles an answer: the handler named `then` (channels.cc, changes.cc,
// reconcile.cc). `outcome` is a response (never a network error: the outbox retried those).
Status HandleAnswer(GoogleSession& s, const GoogleCall& call, const effects::Outcome& outcome,
                    const std::string& effect_id);

}  // namespace dirbridge::gworkspace
