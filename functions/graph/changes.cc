#include "changes.h"

#include "core/json_input.h"
#include "core/timestamp.h"
#include "graph_function.h"
#include "normalize/microsoft_graph.h"
#include "provision/resource_ids.h"

namespace dirbridge::graphsync {
namespace {

using nlohmann::json;

Status NoteFetchError(GraphSession& s, const std::string& what, int status) {
  const std::string why = what + " was answered " + std::to_string(status);
  s.env.Log(LogLevel::kWarn, "graph connection " + s.connection.id + ": " + why);
  return s.state.NoteError("fetches", why, s.env.NowMillis());
}

SourceEvent Suspension(const std::string& id, int64_t at, std::string uuid, const char* type) {
  SourceEvent e;
  e.uuid = std::move(uuid);
  e.published_ms = at;
  e.kind = SourceEventKind::kUserSuspended;
  e.source_type = type;
  e.user.source_id = id;
  return e;
}

// The next page of a delta round is only ever Graph's own link (never another host).
bool IsGraphLink(const GraphSession& s, const std::string& link) {
  const std::string prefix = s.graph_base + "/v1.0/";
  return link.size() > prefix.size() && link.compare(0, prefix.size(), prefix) == 0;
}

Status EmitDeltaPage(GraphSession& s, const std::string& resource, const std::string& run, const std::string& url) {
  remote::ApiCall call;
  call.url = url;
  call.then = kThenDeltaPage;
  call.data = json{{"resource", resource}, {"run", run}};
  return s.Call(call);
}

Status NoteDelta(GraphSession& s, const std::string& resource, const std::function<void(json&)>& change) {
  return s.state.UpdateStatus("delta", [&](json& delta) {
    json& entry = delta[resource];
    if (!entry.is_object()) entry = json::object();
    change(entry);
  });
}

// Users of a delta page: claims, and a fetch for an item too thin to be one.
Status OnUsersPage(GraphSession& s, const std::vector<json>& items, const std::string& run, int64_t& applied) {
  const int64_t now = s.env.NowMillis();
  std::vector<SourceEvent> claims;
  for (const auto& item : items) {
    const std::string id = StringAt(item, "id");
    if (id.empty() || id.size() > kMaxSourceIdBytes) continue;
    if (item.is_object() && item.contains("@removed")) {
      claims.push_back(Suspension(id, now, "delta:" + run + ":removed:" + id, "users.removed"));
      continue;
    }
    auto claim = graph::UserClaim(item, now, "delta:" + run + ":u:" + id);
    if (claim.ok()) {
      claims.push_back(std::move(*claim));
    } else {
      DB_RETURN_IF_ERROR(FetchUser(s, id));  // only some properties changed: fetch the rest
    }
  }
  DB_ASSIGN_OR_RETURN(const std::size_t n, s.Apply(std::move(claims), ChangeChannel::kReconcile));
  applied += static_cast<int64_t>(n);
  return Status::Ok();
}

Status OnGroupsPage(GraphSession& s, const std::vector<json>& items, const std::string& run, int64_t& applied) {
  const int64_t now = s.env.NowMillis();
  std::vector<SourceEvent> claims;
  for (const auto& item : items) {
    auto delta = graph::ReadGroupDelta(item);
    if (!delta.ok()) continue;
    const std::string tag = "delta:" + run + ":g:" + delta->group.source_id;
    if (delta->removed) {
      SourceEvent e;
      e.uuid = tag + ":removed";
      e.published_ms = now;
      e.kind = SourceEventKind::kGroupDeleted;
      e.source_type = "groups.removed";
      e.group = delta->group;
      claims.push_back(std::move(e));
      continue;
    }
    if (!delta->group.display_name.empty()) {
      SourceEvent e;
      e.uuid = tag;
      e.published_ms = now;
      e.kind = SourceEventKind::kGroupCreated;
      e.source_type = "groups.delta";
      e.group = delta->group;
      claims.push_back(std::move(e));
    }
    for (const auto& m : delta->members) {
      claims.push_back(graph::MembershipClaim(!m.removed, delta->group, m.user_id, now,
                                              tag + ":" + (m.removed ? "rm:" : "add:") + m.user_id));
    }
  }
  DB_ASSIGN_OR_RETURN(const std::size_t n, s.Apply(std::move(claims), ChangeChannel::kReconcile));
  applied += static_cast<int64_t>(n);
  return Status::Ok();
}

Status RetryLater(GraphSession& s, const std::string& resource, json& record, const std::string& why) {
  record.erase("run");
  record.erase("next");
  s.state.Write("delta", resource, record);
  DB_RETURN_IF_ERROR(NoteDelta(s, resource, [&](json& entry) {
    entry["lastError"] = why;
    entry["lastErrorAt"] = FormatRfc3339Millis(s.env.NowMillis());
  }));
  s.env.Log(LogLevel::kWarn, "graph connection " + s.connection.id + ": delta " + resource + ": " + why);
  DB_ASSIGN_OR_RETURN(auto id, s.outbox.WakeAt(s.env.NowMillis() + kCatchUpRetryMs, kCatchUpContinuation,
                                               json{{"connection", s.connection.id}, {"resource", resource},
                                                    {"reason", "retry"}}));
  (void)id;
  return Status::Ok();
}

}  // namespace

Status FetchUser(GraphSession& s, const std::string& id) {
  remote::ApiCall call;
  call.url = graph::UserGetUrl(s.graph_base, id);
  call.then = kThenUserFetched;
  call.data = json{{"id", id}};
  return s.Call(call);
}

Status StartCatchUp(GraphSession& s, const std::string& resource, const std::string& reason) {
  DB_ASSIGN_OR_RETURN(auto current, s.state.Read("delta", resource));
  json record = current && current->is_object() ? std::move(*current) : json::object();
  if (!StringAt(record, "run").empty()) {
    record["again"] = true;  // one more round once this one ends
    s.state.Write("delta", resource, record);
    return Status::Ok();
  }
  const std::string run = NewResourceId(s.env);
  const std::string link = StringAt(record, "deltaLink");
  const std::string url = !link.empty() ? link
                          : resource == "users" ? graph::UsersDeltaUrl(s.graph_base)
                                                : graph::GroupsDeltaUrl(s.graph_base);
  record["run"] = run;
  record["next"] = url;
  record["reason"] = reason;
  record["started"] = s.env.NowMillis();
  record.erase("again");
  s.state.Write("delta", resource, record);
  return EmitDeltaPage(s, resource, run, url);
}

Status HandleUserFetched(GraphSession& s, const json& data, const effects::Outcome& outcome,
                         const std::string& effect_id) {
  const std::string id = StringAt(data, "id");
  const int64_t now = s.env.NowMillis();
  const std::string uuid = "users.get:" + effect_id;
  std::vector<SourceEvent> claims;
  if (outcome.status == 404) {
    claims.push_back(Suspension(id, now, uuid, "users.deleted"));
  } else if (outcome.status < 200 || outcome.status > 299) {
    return NoteFetchError(s, "users/" + Excerpt(id, 64), outcome.status);
  } else {
    auto body = ParseResponseJson(outcome.body);
    if (!body.ok()) return NoteFetchError(s, "users/" + Excerpt(id, 64) + " (not JSON)", outcome.status);
    auto claim = graph::UserClaim(*body, now, uuid);
    if (!claim.ok()) return NoteFetchError(s, "users/" + Excerpt(id, 64) + " (" + claim.error().detail + ")", outcome.status);
    claims.push_back(std::move(*claim));
  }
  DB_ASSIGN_OR_RETURN(const std::size_t applied, s.Apply(std::move(claims), ChangeChannel::kPush));
  return s.state.UpdateStatus("fetches", [&](json& fetches) {
    fetches["applied"] = IntAt(fetches, "applied") + static_cast<int64_t>(applied);
    fetches["done"] = IntAt(fetches, "done") + 1;
    fetches["last"] = FormatRfc3339Millis(now);
  });
}

Status HandleDeltaPage(GraphSession& s, const json& data, const effects::Outcome& outcome,
                       const std::string& effect_id) {
  (void)effect_id;
  const std::string resource = StringAt(data, "resource"), run = StringAt(data, "run");
  DB_ASSIGN_OR_RETURN(auto current, s.state.Read("delta", resource));
  if (!current || StringAt(*current, "run") != run) return Status::Ok();  // a round replaced, or an answer twice
  json record = std::move(*current);
  if (outcome.status == 410) {
    // The delta token expired (resyncRequired): a full round from the start.
    record.erase("deltaLink");
    record.erase("run");
    s.state.Write("delta", resource, record);
    DB_RETURN_IF_ERROR(NoteDelta(s, resource, [&](json& entry) { entry["resyncs"] = IntAt(entry, "resyncs") + 1; }));
    return StartCatchUp(s, resource, "resync");
  }
  if (outcome.status < 200 || outcome.status > 299) {
    return RetryLater(s, resource, record, "a page was answered " + std::to_string(outcome.status));
  }
  auto page = graph::ReadDeltaPage(outcome.body);
  if (!page.ok()) return RetryLater(s, resource, record, page.error().detail);
  int64_t applied = 0;
  if (resource == "users") {
    DB_RETURN_IF_ERROR(OnUsersPage(s, page->items, run, applied));
  } else {
    DB_RETURN_IF_ERROR(OnGroupsPage(s, page->items, run, applied));
  }
  record["pages"] = IntAt(record, "pages") + 1;
  record["items"] = IntAt(record, "items") + static_cast<int64_t>(page->items.size());
  record["applied"] = IntAt(record, "applied") + applied;
  if (!page->next_link.empty()) {
    if (!IsGraphLink(s, page->next_link)) return RetryLater(s, resource, record, "a nextLink that is not Graph's");
    record["next"] = page->next_link;
    s.state.Write("delta", resource, record);
    return EmitDeltaPage(s, resource, run, page->next_link);
  }
  if (!IsGraphLink(s, page->delta_link)) return RetryLater(s, resource, record, "a deltaLink that is not Graph's");
  const json* again_field = json_fields::Find(record, "again");
  const bool again = again_field != nullptr && again_field->is_boolean() && again_field->get<bool>();
  const json report = {{"run", run},
                       {"reason", record["reason"]},
                       {"started", FormatRfc3339Millis(IntAt(record, "started"))},
                       {"finished", FormatRfc3339Millis(s.env.NowMillis())},
                       {"pages", record["pages"]},
                       {"items", record["items"]},
                       {"repaired", record["applied"]}};
  json done = {{"deltaLink", page->delta_link}};
  s.state.Write("delta", resource, done);
  DB_RETURN_IF_ERROR(NoteDelta(s, resource, [&](json& entry) {
    entry["last"] = report;
    entry.erase("lastError");
  }));
  if (again) return StartCatchUp(s, resource, "again");
  return Status::Ok();
}

Status ResumeCatchUp(const effects::ContinuationCall& call, GraphSession& s) {
  const std::string resource = StringAt(call.state, "resource");
  const std::string reason = StringAt(call.state, "reason").empty() ? "admin" : StringAt(call.state, "reason");
  if (resource.empty()) {
    for (const char* r : graph::kResources) DB_RETURN_IF_ERROR(StartCatchUp(s, r, reason));
    return Status::Ok();
  }
  if (resource != "users" && resource != "groups") return Status::Ok();
  return StartCatchUp(s, resource, reason);
}

}  // namespace dirbridge::graphsync
