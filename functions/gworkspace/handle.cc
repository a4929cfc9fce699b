// The gworkspace module's entry: the push endpoint, and the continuations by name.
#include "channels.h"
#include "core/api_error.h"
#include "google_calls.h"
#include "gworkspace_function.h"
#include "normalize/google_workspace.h"
#include "push.h"
#include "reconcile.h"

namespace dirbridge::gworkspace {

HttpResponse Handle(const HttpRequest& request, KvStore& store, Env& env) {
  if (request.tenant.empty()) return ApiErrorResponse(Internal("request reached a tenant without a tenant id"));
  const auto& r = request.route;
  if (r.size() == 2 && r[0] == "push") return HandlePush(request, store, env);
  return ApiErrorResponse(NotFound("no such google endpoint: " + request.path));
}

namespace {

// google.setup: the settings were (re)placed: open every channel (each replacing its
// stream's current one) and start a full sync.
Status ResumeSetup(const effects::ContinuationCall& call, GoogleSession& s) {
  if (StringAt(call.state, "generation") != s.generation()) return Status::Ok();  // replaced since
  DB_RETURN_IF_ERROR(OpenAllChannels(s));
  return StartReconcile(s, "setup");
}

}  // namespace

Status Resume(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env) {
  DB_ASSIGN_OR_RETURN(auto connection_id, ConnectionOfState(call.state));
  DB_ASSIGN_OR_RETURN(auto session, OpenSession(txn, outbox, env, call.tenant, connection_id));
  if (!session) {
    env.Log(LogLevel::kInfo, "google connection " + connection_id + " is gone or not set up: " + call.name + " stops");
    return Status::Ok();
  }
  GoogleSession& s = *session;
  const std::string& n = call.name;
  if (n == kCallContinuation) return ResumeCall(call, s);
  if (n == kTokenContinuation) return ResumeToken(call, s);
  if (n == kTokenRetryContinuation) return ResumeTokenRetry(call, s);
  if (n == kDrainContinuation) return ResumeDrain(call, s);
  if (n == kRenewContinuation) return ResumeRenew(call, s);
  if (n == kReopenContinuation) return ResumeReopen(call, s);
  if (n == kSetupContinuation) return ResumeSetup(call, s);
  if (n == kReconcileStepContinuation) return ResumeReconcileStep(call, s);
  if (n == kReconcileContinuation) return ResumeScheduledReconcile(call, s);
  return NotFound("module " + std::string(google::kModule) + " has no continuation named '" + n + "'");
}

}  // namespace dirbridge::gworkspace
