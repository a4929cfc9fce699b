#include "google_calls.h"

#include <algorithm>

#include "channels.h"
#include "changes.h"
#include "core/http_message.h"
#include "gworkspace_function.h"
#include "normalize/google_workspace.h"
#include "reconcile.h"
#include "tenancy/google_service_account.h"

namespace dirbridge::gworkspace {
namespace {

const remote::OAuthProfile kGoogleProfile = {"google connection", google::kAccessTokenSecret, kCallContinuation,
                                             kTokenContinuation, kTokenRetryContinuation, kDrainContinuation};

// The JWT bearer grant's request; the assertion is made when the outbox claims it.
effects::OutboundRequest TokenRequest(const GoogleSession& s) {
  effects::OutboundRequest r;
  r.method = "POST";
  r.url = s.token_url;
  r.headers["accept"] = "application/json";
  r.headers["content-type"] = "application/x-www-form-urlencoded";
  r.body = "grant_type=" + PercentEncode(google::kJwtBearerGrant) +
           "&assertion=" + effects::SealedSecretPlaceholder(s.connection.id, google::kAssertionCredential);
  r.secrets_in_body = true;  // the assertion placeholder
  return r;
}

remote::OAuthCalls Calls(GoogleSession& s) {
  return remote::OAuthCalls(kGoogleProfile, s.state, s.outbox, s.env, TokenRequest(s));
}

}  // namespace

Status EmitCall(GoogleSession& s, const GoogleCall& call) { return Calls(s).Emit(call); }

Status ResumeCall(const effects::ContinuationCall& call, GoogleSession& s) {
  DB_ASSIGN_OR_RETURN(auto answered, Calls(s).ResumeCall(call));
  if (!answered) return Status::Ok();  // waiting for a new token
  return HandleAnswer(s, *answered, *call.outcome, call.id);
}

Status ResumeToken(const effects::ContinuationCall& call, GoogleSession& s) { return Calls(s).ResumeToken(call); }

Status ResumeTokenRetry(const effects::ContinuationCall& call, GoogleSession& s) {
  (void)call;
  return Calls(s).ResumeTokenRetry();
}

Status ResumeDrain(const effects::ContinuationCall& call, GoogleSession& s) {
  (void)call;
  return Calls(s).ResumeDrain();
}

Status HandleAnswer(GoogleSession& s, const GoogleCall& call, const effects::Outcome& outcome,
                    const std::string& effect_id) {
  if (call.then == kThenWatchOpened) return HandleWatchOpened(s, call.data, outcome);
  if (call.then == kThenChannelStopped) return HandleChannelStopped(s, call.data, outcome);
  if (call.then == kThenUserFetched) return HandleUserFetched(s, call.data, outcome, effect_id);
  if (call.then == kThenScopeChecked) return HandleScopeChecked(s, call.data, outcome);
  if (call.then == kThenGroupFetched) return HandleGroupFetched(s, call.data, outcome, effect_id);
  if (call.then == kThenReconcilePage) return HandleReconcilePage(s, call.data, outcome, effect_id);
  return InvalidInput("no handler named '" + Excerpt(call.then, 64) + "' for a google answer");
}

}  // namespace dirbridge::gworkspace
