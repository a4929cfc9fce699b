#include "graph_session.h"

#include <algorithm>
#include <charconv>

#include "graph_function.h"
#include "normalize/microsoft_graph.h"
#include "tenancy/graph_client_assertion.h"

namespace dirbridge::graphsync {

using nlohmann::json;

namespace {

const remote::OAuthProfile kGraphProfile = {"graph connection", graph::kAccessTokenSecret, kCallContinuation,
                                            kTokenContinuation, kTokenRetryContinuation, kDrainContinuation};

// The client credentials grant's request; the secret is put in when the outbox claims it.
effects::OutboundRequest TokenRequest(const GraphSession& s) {
  effects::OutboundRequest r;
  r.method = "POST";
  r.url = graph::TokenUrl(s.login_base, s.Setting("tenantId"));
  r.headers["accept"] = "application/json";
  r.headers["content-type"] = "application/x-www-form-urlencoded";
  if (s.Setting("credential") == "certificate") {
    r.body = graph::ClientAssertionTokenBody(
        s.Setting("clientId"), effects::SealedSecretPlaceholder(s.connection.id, graph_credentials::kAssertionCredential));
  } else {
    r.body = graph::ClientSecretTokenBody(s.Setting("clientId"),
                                          effects::SealedSecretPlaceholder(s.connection.id, graph::kClientSecretSecret));
  }
  r.secrets_in_body = true;  // the credential's placeholder; the rest is the admin's ids
  return r;
}

}  // namespace

std::string GraphSession::notify_address() const {
  return Setting("pushOrigin") + "/t/" + tenant() + "/graph/notify/" + connection.id;
}

int64_t GraphSession::subscription_ms() const {
  if (auto text = env.Config(kSubscriptionSecondsSetting); text && !text->empty()) {
    int64_t seconds = 0;
    auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), seconds);
    if (ec == std::errc() && p == text->data() + text->size() && seconds > 0 &&
        seconds * 1000 <= kDefaultSubscriptionMs) {
      return seconds * 1000;
    }
  }
  return kDefaultSubscriptionMs;
}

Result<std::size_t> GraphSession::Apply(std::vector<SourceEvent> events, ChangeChannel via) {
  return remote::ApplyAsConnection(txn.store(), env, connection, std::move(events), via);
}

remote::OAuthCalls GraphSession::Calls() {
  return remote::OAuthCalls(kGraphProfile, state, outbox, env, TokenRequest(*this));
}

Status GraphSession::Call(const remote::ApiCall& call) { return Calls().Emit(call); }

Result<std::optional<GraphSession>> OpenSession(Transaction& txn, effects::Outbox& outbox, Env& env,
                                                const std::string& tenant, const std::string& connection_id) {
  auto connection = GetConnection(txn.store(), tenant, connection_id);
  if (!connection.ok()) {
    if (connection.error().kind == ErrorKind::kNotFound) return std::optional<GraphSession>();
    return connection.error();
  }
  if (connection->kind != ConnectionKind::kEntra) return std::optional<GraphSession>();
  ConnectionState state(txn, tenant, connection_id);
  DB_ASSIGN_OR_RETURN(auto settings, state.Read("settings", "current"));
  if (!settings || !settings->is_object()) return std::optional<GraphSession>();
  std::string graph_base = graph::kGraphBase, login_base = graph::kLoginBase;
  if (auto test_base = env.Config(graph::kApiBaseSetting); test_base && !test_base->empty()) {
    graph_base = *test_base;
    while (!graph_base.empty() && graph_base.back() == '/') graph_base.pop_back();
    login_base = graph_base;
  }
  return std::optional<GraphSession>(GraphSession{txn, outbox, env, std::move(*connection), std::move(state),
                                                  std::move(*settings), std::move(graph_base), std::move(login_base)});
}

Result<std::string> ConnectionOfState(const json& state) {
  const std::string c = StringAt(state, "connection");
  if (c.empty()) return InvalidInput("a graph continuation's state has no 'connection'");
  return c;
}

}  // namespace dirbridge::graphsync
