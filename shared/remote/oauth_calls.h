// Calls to an IdP's API that dirbridge makes on a connection's behalf (it watches
// Google Workspace and Microsoft Graph), with an OAuth 2.0 access token the
// connection's own credentials buy (Google's JWT bearer grant, Microsoft's client
// credentials). A call is an effect (effects/outbox.h) whose Authorization is a
// sealed-secret placeholder for the connection's access token: the claim puts the token
// in, and no stored record holds it. The token request itself is the caller's (its body
// may hold credential placeholders resolved at the claim, never stored in clear).
//
//   - a call made while the cached token is valid (more than kTokenMarginMs left) is
//     emitted at once;
//   - otherwise it waits (a `wait` record, at most kMaxWaitingCalls) and one token
//     request is in flight for all of them (a new one only if the last was sent more
//     than kTokenRequestStaleMs ago); the token's answer (RFC 6749 §5.1: access_token,
//     expires_in) seals the token, notes its expiry and emits the waiting calls
//     (kDrainPerCall per continuation, then a timer for the rest);
//   - a refused token request (RFC 6749 §5.2: invalid_grant, invalid_client, ...: a
//     revoked key, a withdrawn consent) is in the connection's status with the
//     endpoint's reason and asked again after a backoff (kTokenRetryMinMs doubling to
//     kTokenRetryMaxMs); a token endpoint that is down is retried by the outbox;
//   - a call answered 401 marks the token expired and goes back to waiting, at most
//     kMaxRefreshesPerCall times (then its handler sees the 401).
//
// A call names what handles its answer (`then`, the module's) and carries `data` for
// it. The records it keeps in the connection's state: `token/current` ({"expires",
// "requested", "failures", "waiting"}) and `wait/{time-ordered id}`; the status section
// "token".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/result.h"
#include "effects/outbox.h"
#include "model/source_event.h"
#include "tenancy/connection.h"
#include "tenancy/connection_state.h"

namespace dirbridge::remote {

inline constexpr int64_t kTokenMarginMs = 5 * 60 * 1000;
inline constexpr int64_t kTokenRequestStaleMs = 5 * 60 * 1000;
inline constexpr std::size_t kMaxWaitingCalls = 1000;
inline constexpr std::size_t kDrainPerCall = 80;
inline constexpr int kMaxRefreshesPerCall = 2;
inline constexpr int64_t kTokenRetryMinMs = 30 * 1000;
inline constexpr int64_t kTokenRetryMaxMs = 15 * 60 * 1000;

struct ApiCall {
  std::string method = "GET";
  std::string url;
  std::string body;  // JSON, for POST and PATCH
  // The body holds sealed-secret placeholders (effects::OutboundRequest::secrets_in_body):
  // only for a body made of no outside text.
  bool secrets_in_body = false;
  std::string then;  // the handler of the answer
  nlohmann::json data = nlohmann::json::object();
  int refreshes = 0;

  nlohmann::json ToJson() const;
  static Result<ApiCall> FromJson(const nlohmann::json& j);
};

// What differs between APIs: the names of things.
struct OAuthProfile {
  const char* label;                     // "google connection", "graph connection": for logs
  const char* access_token_secret;       // the sealed secret the access token is kept in
  const char* call_continuation;         // an API answer
  const char* token_continuation;        // the token endpoint's answer
  const char* token_retry_continuation;  // timer: ask for a token again
  const char* drain_continuation;        // timer: more calls waiting for a token
};

// The delay before the next try after `failures` failures in a row: `min_ms`,
// doubling, at most `max_ms`.
int64_t DoublingDelayMs(int64_t failures, int64_t min_ms, int64_t max_ms);

// When to replace something a remote service granted for a while (a push channel, a
// subscription) made at `made_ms` and lapsing at `expires_ms`: a quarter of its life
// before it lapses, at most `max_margin_ms` before.
int64_t RenewAtMs(int64_t made_ms, int64_t expires_ms, int64_t max_margin_ms);

// Applies claims a watched connection's fetches made through the engine's applier
// (provision/source_event_applier.h), as changes of `connection` made `via` push or
// reconcile, the source's ids permanent; answers how many changed the directory.
Result<std::size_t> ApplyAsConnection(KvStore& store, Env& env, const Connection& connection,
                                      std::vector<SourceEvent> events, ChangeChannel via);

// A short, printable excerpt of text a remote service sent (an error description), for
// status and logs: untrusted, so bounded and stripped of control characters.
std::string Excerpt(std::string_view text, std::size_t max_bytes = 200);

class OAuthCalls {
 public:
  // `token_request`: the token endpoint request (credentials as placeholders).
  OAuthCalls(const OAuthProfile& profile, ConnectionState& state, effects::Outbox& outbox, Env& env,
             effects::OutboundRequest token_request)
      : profile_(profile), state_(state), outbox_(outbox), env_(env), token_request_(std::move(token_request)) {}

  // Emits `call` now or queues it behind a token request (see above). 503 when
  // kMaxWaitingCalls already wait (the caller's request fails and is retried).
  Status Emit(const ApiCall& call);

  // The continuations. ResumeCall answers the call whose answer is in, for its handler,
  // or nullopt when a 401 sent it back to wait for a new token.
  Result<std::optional<ApiCall>> ResumeCall(const effects::ContinuationCall& call);
  Status ResumeToken(const effects::ContinuationCall& call);
  Status ResumeTokenRetry();
  Status ResumeDrain();

 private:
  Status EmitWithToken(const ApiCall& call);
  Result<nlohmann::json> TokenRecord();
  Status RequestToken(nlohmann::json& token_record);
  Status Drain();

  const OAuthProfile& profile_;
  ConnectionState& state_;
  effects::Outbox& outbox_;
  Env& env_;
  effects::OutboundRequest token_request_;
};

}  // namespace dirbridge::remote
