// The graph module's entry: the notification endpoint, and the continuations by name.
#include "changes.h"
#include "core/api_error.h"
#include "graph_function.h"
#include "graph_session.h"
#include "notify.h"
#include "subscriptions.h"

namespace dirbridge::graphsync {

HttpResponse Handle(const HttpRequest& request, KvStore& store, Env& env) {
  if (request.tenant.empty()) return ApiErrorResponse(Internal("request reached a tenant without a tenant id"));
  const auto& r = request.route;
  if (r.size() == 2 && r[0] == "notify") return HandleNotify(request, store, env);
  return ApiErrorResponse(NotFound("no such graph endpoint: " + request.path));
}

namespace {

// graph.setup: the settings were (re)placed: subscribe to users and groups, and run the
// first delta rounds (the full sync, users first so memberships find their users).
Status ResumeSetup(const effects::ContinuationCall& call, GraphSession& s) {
  if (StringAt(call.state, "generation") != s.generation()) return Status::Ok();  // replaced since
  DB_RETURN_IF_ERROR(CreateAllSubscriptions(s));
  DB_RETURN_IF_ERROR(StartCatchUp(s, "users", "setup"));
  return StartCatchUp(s, "groups", "setup");
}

Status HandleAnswer(GraphSession& s, const remote::ApiCall& call, const effects::Outcome& outcome,
                    const std::string& effect_id) {
  if (call.then == kThenUserFetched) return HandleUserFetched(s, call.data, outcome, effect_id);
  if (call.then == kThenDeltaPage) return HandleDeltaPage(s, call.data, outcome, effect_id);
  if (call.then == kThenSubscriptionCreated) return HandleSubscriptionCreated(s, call.data, outcome);
  if (call.then == kThenSubscriptionRenewed) return HandleSubscriptionRenewed(s, call.data, outcome);
  if (call.then == kThenSubscriptionDeleted) return Status::Ok();  // gone either way
  return InvalidInput("no handler named '" + Excerpt(call.then, 64) + "' for a graph answer");
}

Status ResumeCall(const effects::ContinuationCall& call, GraphSession& s) {
  DB_ASSIGN_OR_RETURN(auto answered, s.Calls().ResumeCall(call));
  if (!answered) return Status::Ok();  // waiting for a new token
  return HandleAnswer(s, *answered, *call.outcome, call.id);
}

}  // namespace

Status Resume(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env) {
  DB_ASSIGN_OR_RETURN(auto connection_id, ConnectionOfState(call.state));
  DB_ASSIGN_OR_RETURN(auto session, OpenSession(txn, outbox, env, call.tenant, connection_id));
  if (!session) {
    env.Log(LogLevel::kInfo, "graph connection " + connection_id + " is gone or not set up: " + call.name + " stops");
    return Status::Ok();
  }
  GraphSession& s = *session;
  const std::string& n = call.name;
  if (n == kCallContinuation) return ResumeCall(call, s);
  if (n == kTokenContinuation) return s.Calls().ResumeToken(call);
  if (n == kTokenRetryContinuation) return s.Calls().ResumeTokenRetry();
  if (n == kDrainContinuation) return s.Calls().ResumeDrain();
  if (n == kSetupContinuation) return ResumeSetup(call, s);
  if (n == kCatchUpContinuation) return ResumeCatchUp(call, s);
  if (n == kRenewContinuation) return ResumeRenew(call, s);
  if (n == kRecreateContinuation) return ResumeRecreate(call, s);
  return NotFound("module " + std::string(graph::kModule) + " has no continuation named '" + n + "'");
}

}  // namespace dirbridge::graphsync
