#include "google_session.h"

#include <algorithm>

#include "core/timestamp.h"
#include "normalize/google_workspace.h"
#include "provision/directory.h"

namespace dirbridge::gworkspace {

using nlohmann::json;

std::string Excerpt(std::string_view text, std::size_t max_bytes) {
  std::string out;
  for (char c : text.substr(0, max_bytes)) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? ' ' : c);
  }
  // Do not end inside a UTF-8 sequence.
  while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
  if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
  return out;
}

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
  SourceEventApplier applier(txn.store(), env, tenant(), SourceOf(connection, via),
                             SourceApplyOptions{"", /*permanent_source_ids=*/true});
  std::size_t applied = 0;
  for (std::size_t at = 0; at < events.size(); at += kMaxSourceEventsPerBatch) {
    const auto first = events.begin() + static_cast<std::ptrdiff_t>(at);
    const auto last = events.begin() + static_cast<std::ptrdiff_t>(std::min(events.size(), at + kMaxSourceEventsPerBatch));
    DB_ASSIGN_OR_RETURN(auto report, applier.ApplyBatch({std::make_move_iterator(first), std::make_move_iterator(last)}, {}));
    applied += report.applied();
  }
  return applied;
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

Status GoogleSession::UpdateStatus(const char* section, const std::function<void(json&)>& change) {
  DB_ASSIGN_OR_RETURN(auto current, state.Read("status", "current"));
  json status = current && current->is_object() ? std::move(*current) : json::object();
  json& part = status[section];
  if (!part.is_object()) part = json::object();
  change(part);
  state.Write("status", "current", status);
  return Status::Ok();
}

int64_t DoublingDelayMs(int64_t failures, int64_t min_ms, int64_t max_ms) {
  return std::min<int64_t>(max_ms, min_ms << std::clamp<int64_t>(failures - 1, 0, 10));
}

Result<std::optional<GoogleSession>> OpenSession(Transaction& txn, effects::Outbox& outbox, Env& env,
                                                 const std::string& tenant, const std::string& connection_id) {
  auto connection = GetConnection(txn.store(), tenant, connection_id);
  if (!connection.ok()) {
    if (connection.error().kind == ErrorKind::kNotFound) return std::optional<GoogleSession>();
    return connection.error();
  }
  if (connection->kind != ConnectionKind::kGoogle) return std::optional<GoogleSession>();
  GoogleConnectionState state(txn, tenant, connection_id);
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
