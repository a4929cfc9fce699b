#include "notify.h"

#include <set>

#include "changes.h"
#include "core/api_error.h"
#include "core/api_response.h"
#include "core/timestamp.h"
#include "crypto/constant_time.h"
#include "crypto/sha256.h"
#include "graph_session.h"
#include "normalize/microsoft_graph.h"
#include "subscriptions.h"

namespace dirbridge::graphsync {
namespace {

using nlohmann::json;

Status CountNotifications(GraphSession& s, const char* what, int64_t n) {
  return s.state.UpdateStatus("notifications", [&](json& counts) {
    counts[what] = IntAt(counts, what) + n;
    counts["last"] = FormatRfc3339Millis(s.env.NowMillis());
  });
}

// What one post asks for, once every item's clientState held.
struct Work {
  std::set<std::string> users;       // ids to fetch
  std::set<std::string> catch_ups;   // resources to catch up
  std::vector<std::pair<std::string, std::string>> lifecycle;  // (resource, event)
  int64_t ignored = 0;
};

}  // namespace

HttpResponse HandleNotify(const HttpRequest& request, KvStore& store, Env& env) {
  const std::string& connection_id = request.route[1];
  const auto query = ParseQuery(request.query);
  const auto validation = QueryValue(query, "validationToken");
  Transaction txn(store);
  effects::Outbox outbox(txn, env, request.tenant, graph::kModule);
  auto session = OpenSession(txn, outbox, env, request.tenant, connection_id);
  if (!session.ok()) return ApiErrorResponse(session.error());
  if (!*session) return ApiErrorResponse(NotFound("no entra connection '" + connection_id + "' with Graph settings"));
  GraphSession& s = **session;
  if (validation) {
    if (validation->empty() || validation->size() > kMaxValidationTokenBytes) {
      return ApiErrorResponse(InvalidInput("validationToken must be 1 to " + std::to_string(kMaxValidationTokenBytes) +
                                           " bytes"));
    }
    HttpResponse echo;
    echo.status = 200;
    echo.headers["content-type"] = "text/plain; charset=utf-8";
    echo.headers["x-content-type-options"] = "nosniff";
    echo.body = *validation;
    return echo;  // nothing written
  }
  auto items = graph::ReadNotifications(request.body);
  if (!items.ok()) return ApiErrorResponse(items.error());
  auto subscriptions = LoadSubscriptions(s);
  if (!subscriptions.ok()) return ApiErrorResponse(subscriptions.error());
  Work work;
  for (const auto& item : *items) {
    const std::string hash = crypto::Sha256Hex(item.client_state);
    const KnownSubscription* known = MatchSubscription(*subscriptions, item.subscription_id, hash);
    if (known == nullptr) {
      ++work.ignored;  // a subscription replaced or deleted since: its successor reports
      continue;
    }
    if (!crypto::ConstantTimeEquals(hash, StringAt(known->record, "clientStateSha256"))) {
      return ApiErrorResponse(Unauthorized("clientState is not the one subscription '" +
                                           Excerpt(item.subscription_id, 64) + "' was made with"));
    }
    const std::string& resource = known->resource;
    if (!item.lifecycle_event.empty()) {
      work.lifecycle.emplace_back(resource, item.lifecycle_event);
    } else if (resource == "users" && !item.resource_id.empty()) {
      work.users.insert(item.resource_id);
    } else {
      work.catch_ups.insert(resource);
    }
  }
  if (work.users.size() > kMaxUserFetches) {
    work.catch_ups.insert("users");
    work.users.clear();
  }
  Status done = Status::Ok();
  for (const auto& id : work.users) {
    if (done.ok()) done = FetchUser(s, id);
  }
  for (const auto& resource : work.catch_ups) {
    if (done.ok()) done = StartCatchUp(s, resource, "notified");
  }
  for (const auto& [resource, event] : work.lifecycle) {
    if (done.ok()) done = OnLifecycleEvent(s, resource, event);
  }
  const int64_t accepted = static_cast<int64_t>(items->size()) - work.ignored;
  if (accepted == 0) return ApiJsonResponse(202, json{{"accepted", 0}});  // nothing of ours: nothing written
  if (done.ok()) done = CountNotifications(s, "accepted", accepted);
  if (done.ok()) done = txn.Commit();
  if (!done.ok()) return ApiErrorResponse(done.error());
  return ApiJsonResponse(202, json{{"accepted", accepted}});
}

}  // namespace dirbridge::graphsync
