#include "google_session.h"

#include <algorithm>

#include "core/timestamp.h"
#include "normalize/google_workspace.h"
#include "provision/directory.h"

namespace dirbridge::gworkspace {

using nlohmann::json;

std::string GoogleSession::Setting(const char* name) const { return StringAt(settings, name); }

std::string GoogleSession::customer() const {
  std::string c = Setting("customerId");
  return c.empty() ? "my_customer" : c;
}

std::vector<std::string> GoogleSession::org_units() const {
  std::vector<std::string> out;
  if (auto it = settings.find("orgUnits"); it != settings.end() && it->is_array()) {
    for (const auto& u : *it) {
      if (u.is_string()) out.push_back(u.get<std::string>());
    }
  }
  return out;
}

std::string GoogleSession::push_address() const {
  return Setting("pushOrigin") + "/t/" + tenant() + "/google/push/" + connection.id;
}

Result<std::size_t> GoogleSession::Apply(std::vector<SourceEvent> events, ChangeChannel via) {
  return remote::ApplyAsConnection(txn.store(), env, connection, std::move(events), via);
}

Result<bool> GoogleSession::RenameGroup(const SourceSubject& group, ChangeChannel via) {
  if (group.source_id.empty() || group.display_name.empty()) return false;
  Directory directory(txn.store(), env, tenant(), SourceOf(connection, via));
  DB_ASSIGN_OR_RETURN(auto found, directory.FindGroups(GroupIndex::kExternalId, group.source_id, 2));
  if (found.size() != 1 || found[0].display_name == group.display_name) return false;
  auto renamed = directory.RenameGroup(found[0].id, group.display_name, std::nullopt);
  if (!renamed.ok()) {
    const int status = HttpStatusFor(renamed.error().kind);
    if (status >= 500) return renamed.error();
    env.Log(LogLevel::kWarn, "google connection " + connection.id + ": renaming group " + found[0].id +
                                 " was refused: " + renamed.error().detail);
    return false;
  }
  return true;
}

Result<std::optional<GoogleSession>> OpenSession(Transaction& txn, effects::Outbox& outbox, Env& env,
                                                 const std::string& tenant, const std::string& connection_id) {
  auto connection = GetConnection(txn.store(), tenant, connection_id);
  if (!connection.ok()) {
    if (connection.error().kind == ErrorKind::kNotFound) return std::optional<GoogleSession>();
    return connection.error();
  }
  if (connection->kind != ConnectionKind::kGoogle) return std::optional<GoogleSession>();
  ConnectionState state(txn, tenant, connection_id);
  DB_ASSIGN_OR_RETURN(auto settings, state.Read("settings", "current"));
  if (!settings || !settings->is_object()) return std::optional<GoogleSession>();
  std::string base = google::kApiBase, token_url = google::kTokenUrl;
  if (auto test_base = env.Config(google::kApiBaseSetting); test_base && !test_base->empty()) {
    base = *test_base;
    while (!base.empty() && base.back() == '/') base.pop_back();
    token_url = base + "/token";
  }
  return std::optional<GoogleSession>(GoogleSession{txn, outbox, env, std::move(*connection), std::move(state),
                                                    std::move(*settings), std::move(base), std::move(token_url)});
}

Result<std::string> ConnectionOfState(const json& state) {
  const std::string c = StringAt(state, "connection");
  if (c.empty()) return InvalidInput("a google continuation's state has no 'connection'");
  return c;
}

}  // namespace dirbridge::gworkspace
