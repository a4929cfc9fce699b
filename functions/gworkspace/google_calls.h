// Every call to a Google API goes through here, over remote/oauth_calls.h (the access
// token cached sealed, calls waiting for it, refreshed on 401). Google's token is
// bought with the OAuth 2.0 JWT bearer grant
// (developers.google.com/identity/protocols/oauth2/service-account): a POST of
// grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT> to the token
// endpoint, the assertion a placeholder that the claim replaces with a JWT signed then
// (RS256, by the host, with the sealed service-account key;
// tenancy/outbound_credentials.h), so an assertion is never stored.
//
// A call names what handles its answer (`then`) and carries `data` for it; the
// google.call continuation hands the answer over (HandleAnswer).
#pragma once

#include <string>

#include "google_session.h"
#include "remote/oauth_calls.h"

namespace dirbridge::gworkspace {

using GoogleCall = remote::ApiCall;

// Emits `call` now or queues it behind a token request. 503 when
// remote::kMaxWaitingCalls already wait (the caller's request fails and is retried).
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
