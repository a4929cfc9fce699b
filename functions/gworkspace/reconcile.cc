#include "reconcile.h"

#include <algorithm>

#include "core/ascii.h"
#include "core/timestamp.h"
#include "google_calls.h"
#include "gworkspace_function.h"
#include "normalize/google_workspace.h"
#include "provision/directory.h"
#include "provision/resource_ids.h"

namespace dirbridge::gworkspace {
namespace {

using nlohmann::json;

Result<std::optional<json>> CurrentRun(GoogleSession& s) { return s.state.Read("reconcile", "current"); }

void Count(json& run, const char* name, int64_t n) {
  json& counts = run["counts"];
  if (!counts.is_object()) counts = json::object();
  counts[name] = IntAt(counts, name) + n;
}

Status EmitPage(GoogleSession& s, const json& run, const std::string& phase, const std::string& url) {
  GoogleCall call;
  call.url = url;
  call.then = kThenReconcilePage;
  call.data = json{{"run", StringAt(run, "run")}, {"phase", phase}};
  return EmitCall(s, call);
}

Status WakeForStep(GoogleSession& s, const json& run) {
  DB_ASSIGN_OR_RETURN(auto id, s.outbox.WakeAt(s.env.NowMillis(), kReconcileStepContinuation,
                                               json{{"connection", s.connection.id}, {"run", StringAt(run, "run")}}));
  (void)id;
  return Status::Ok();
}

// Applies claims; adds the changes they made to "repaired".
Status ApplyClaims(GoogleSession& s, json& run, std::vector<SourceEvent> claims) {
  DB_ASSIGN_OR_RETURN(const std::size_t applied, s.Apply(std::move(claims), ChangeChannel::kReconcile));
  Count(run, "repaired", static_cast<int64_t>(applied));
  return Status::Ok();
}

Status Finish(GoogleSession& s, json& run, const std::string& error) {
  const int64_t now = s.env.NowMillis();
  run["phase"] = error.empty() ? "done" : "failed";
  run["finished"] = now;
  if (!error.empty()) run["error"] = error;
  run.erase("groups");
  s.state.Write("reconcile", "current", run);
  json report = {{"run", run["run"]},
                 {"trigger", run["trigger"]},
                 {"result", run["phase"]},
                 {"started", FormatRfc3339Millis(IntAt(run, "started"))},
                 {"finished", FormatRfc3339Millis(now)},
                 {"counts", run.contains("counts") ? run["counts"] : json::object()}};
  if (!error.empty()) report["error"] = error;
  DB_RETURN_IF_ERROR(s.state.UpdateStatus("lastReconcile", [&](json& last) { last = report; }));
  const json counts = report["counts"];
  s.env.Log(error.empty() ? LogLevel::kInfo : LogLevel::kWarn,
            "google connection " + s.connection.id + ": reconcile " + StringAt(run, "run") + " " +
                StringAt(run, "phase") + ": " + counts.dump() + (error.empty() ? "" : " (" + error + ")"));
  DB_ASSIGN_OR_RETURN(auto id, s.outbox.WakeAt(now + kReconcileIntervalMs, kReconcileContinuation,
                                               json{{"connection", s.connection.id}, {"after", run["run"]}}));
  (void)id;
  return Status::Ok();
}

// The next group of the current groups page (members, then prune), else the next
// groups page, else the end of the run.
Status NextGroup(GoogleSession& s, json& run) {
  json& groups = run["groups"];
  if (groups.is_array() && !groups.empty()) {
    run["group"] = groups[0];
    groups.erase(groups.begin());
    run["phase"] = "members";
    s.state.Write("reconcile", "current", run);
    return EmitPage(s, run, "members", google::MembersListUrl(s.api_base, StringAt(run["group"], "id"), ""));
  }
  const std::string next = StringAt(run, "groupsNext");
  if (!next.empty()) {
    run["phase"] = "groups";
    s.state.Write("reconcile", "current", run);
    return EmitPage(s, run, "groups", google::GroupsListUrl(s.api_base, s.customer(), next));
  }
  run["phase"] = "groupSweep";
  run["cursor"] = "";
  run.erase("groups");
  run.erase("group");
  s.state.Write("reconcile", "current", run);
  return WakeForStep(s, run);
}

SourceSubject RunGroupSubject(const json& run) {
  const json& g = run["group"];
  SourceSubject subject;
  subject.source_id = StringAt(g, "id");
  subject.external_id = subject.source_id;
  subject.email = StringAt(g, "email");
  subject.display_name = StringAt(g, "name");
  return subject;
}

std::string RunTag(const json& run) { return "reconcile:" + StringAt(run, "run") + ":"; }

Status EmitUsersPage(GoogleSession& s, json& run, const std::string& page_token) {
  run["phase"] = "users";
  s.state.Write("reconcile", "current", run);
  return EmitPage(s, run, "users", google::UsersListUrl(s.api_base, s.customer(), page_token));
}

// The scope group's members, direct and nested, stamped with the run.
Status OnScopePage(GoogleSession& s, json& run, const google::ListPage& page) {
  int64_t members = 0;
  for (const auto& member : page.items) {
    const std::string type = StringAt(member, "type"), id = StringAt(member, "id");
    if ((!type.empty() && type != "USER") || id.empty() || id.size() > 256) continue;
    s.state.Write("inscope", id, json{{"run", run["run"]}});
    ++members;
  }
  Count(run, "inScopeGroup", members);
  Count(run, "pages", 1);
  if (!page.next_page_token.empty()) {
    s.state.Write("reconcile", "current", run);
    return EmitPage(s, run, "scope", google::MembersListUrl(s.api_base, s.scope_group(), page.next_page_token,
                                                            google::MemberDepth::kDirectAndNested));
  }
  return EmitUsersPage(s, run, "");
}

// Whether a user is in the scope group: this run listed it, or a push check found it
// since the run started (a record older than both is forgotten).
Result<bool> InScopeGroup(GoogleSession& s, const json& run, const std::string& user_id) {
  if (s.scope_group().empty()) return true;
  DB_ASSIGN_OR_RETURN(auto record, s.state.Read("inscope", user_id));
  if (!record) return false;
  if (StringAt(*record, "run") == StringAt(run, "run") || IntAt(*record, "at") >= IntAt(run, "started")) return true;
  s.state.Remove("inscope", user_id);
  return false;
}

Status OnUsersPage(GoogleSession& s, json& run, const google::ListPage& page) {
  const int64_t now = s.env.NowMillis();
  const auto org_units = s.org_units();
  std::vector<SourceEvent> claims;
  for (const auto& user : page.items) {
    auto claim = google::UserClaim(user, now, RunTag(run) + "u:" + StringAt(user, "id"));
    if (!claim.ok()) continue;
    if (claim->kind == SourceEventKind::kUserSuspended) Count(run, "suspendedInGoogle", 1);
    DB_ASSIGN_OR_RETURN(const bool in_group, InScopeGroup(s, run, claim->user.source_id));
    if (!in_group || !google::InOrgUnits(user, org_units)) {
      Count(run, "outOfScope", 1);
      claim->kind = SourceEventKind::kUserSuspended;
      claim->with_profile = false;
    }
    s.state.Write("seen", claim->user.source_id, json{{"run", run["run"]}});
    claims.push_back(std::move(*claim));
  }
  Count(run, "users", static_cast<int64_t>(claims.size()));
  Count(run, "pages", 1);
  DB_RETURN_IF_ERROR(ApplyClaims(s, run, std::move(claims)));
  if (!page.next_page_token.empty()) return EmitUsersPage(s, run, page.next_page_token);
  run["phase"] = "sweep";
  run["cursor"] = "";
  s.state.Write("reconcile", "current", run);
  return WakeForStep(s, run);
}

Status OnGroupsPage(GoogleSession& s, json& run, const google::ListPage& page) {
  const int64_t now = s.env.NowMillis();
  std::vector<SourceEvent> claims;
  json groups = json::array();
  for (const auto& group : page.items) {
    auto claim = google::GroupClaim(group, now, RunTag(run) + "g:" + StringAt(group, "id"));
    if (!claim.ok()) continue;
    if (!claim->group.email.empty()) s.state.Write("gemail", claim->group.email, json{{"id", claim->group.source_id}});
    s.state.Write("gseen", claim->group.source_id, json{{"id", claim->group.source_id}, {"run", run["run"]}});
    DB_ASSIGN_OR_RETURN(auto renamed, s.RenameGroup(claim->group, ChangeChannel::kReconcile));
    if (renamed) Count(run, "repaired", 1);
    groups.push_back(json{{"id", claim->group.source_id},
                          {"email", claim->group.email},
                          {"name", claim->group.display_name}});
    claims.push_back(std::move(*claim));
  }
  Count(run, "groups", static_cast<int64_t>(claims.size()));
  Count(run, "pages", 1);
  DB_RETURN_IF_ERROR(ApplyClaims(s, run, std::move(claims)));
  run["groups"] = std::move(groups);
  run["groupsNext"] = page.next_page_token;
  return NextGroup(s, run);
}

Status OnMembersPage(GoogleSession& s, json& run, const google::ListPage& page) {
  const int64_t now = s.env.NowMillis();
  const SourceSubject group = RunGroupSubject(run);
  std::vector<SourceEvent> claims;
  for (const auto& member : page.items) {
    const std::string type = StringAt(member, "type");
    const std::string email = ToLowerAscii(StringAt(member, "email"));
    if ((!type.empty() && type != "USER") || email.empty() || email.size() > 512) continue;  // nested groups: later
    claims.push_back(
        google::MembershipClaim(true, group, email, now, RunTag(run) + "m:" + group.source_id + ":" + email));
    s.state.Write("mseen", group.source_id + "/" + email, json{{"run", run["run"]}});
  }
  Count(run, "memberships", static_cast<int64_t>(claims.size()));
  Count(run, "pages", 1);
  DB_RETURN_IF_ERROR(ApplyClaims(s, run, std::move(claims)));
  if (!page.next_page_token.empty()) {
    s.state.Write("reconcile", "current", run);
    return EmitPage(s, run, "members", google::MembersListUrl(s.api_base, group.source_id, page.next_page_token));
  }
  run["phase"] = "prune";
  run["cursor"] = "";
  s.state.Write("reconcile", "current", run);
  return WakeForStep(s, run);
}

// Users linked to this connection that the run did not see are gone from Google.
Status SweepStep(GoogleSession& s, json& run) {
  DB_ASSIGN_OR_RETURN(auto page, ListSourceUserLinks(s.txn.store(), s.tenant(), s.connection.id,
                                                     StringAt(run, "cursor"), kSweepPerStep));
  const int64_t now = s.env.NowMillis();
  std::vector<SourceEvent> claims;
  for (const auto& link : page.links) {
    // Links by email come from memberships; users are linked by their Google id.
    if (link.user_id.empty() || link.source_id.find('@') != std::string::npos || link.status == "suspended") continue;
    DB_ASSIGN_OR_RETURN(auto seen, s.state.Read("seen", link.source_id));
    if (seen && StringAt(*seen, "run") == StringAt(run, "run")) continue;
    SourceEvent e;
    e.uuid = RunTag(run) + "gone:" + link.source_id;
    e.published_ms = now;
    e.kind = SourceEventKind::kUserSuspended;
    e.source_type = "users.gone";
    e.user.source_id = link.source_id;
    claims.push_back(std::move(e));
  }
  Count(run, "goneFromGoogle", static_cast<int64_t>(claims.size()));
  DB_RETURN_IF_ERROR(ApplyClaims(s, run, std::move(claims)));
  if (!page.next.empty()) {
    run["cursor"] = page.next;
    s.state.Write("reconcile", "current", run);
    return WakeForStep(s, run);
  }
  run["phase"] = "groups";
  run.erase("cursor");
  s.state.Write("reconcile", "current", run);
  return EmitPage(s, run, "groups", google::GroupsListUrl(s.api_base, s.customer(), ""));
}

// The group's members here that the run did not stamp are no longer members in Google.
Status PruneStep(GoogleSession& s, json& run) {
  const SourceSubject group = RunGroupSubject(run);
  Directory directory(s.txn.store(), s.env, s.tenant(), SourceOf(s.connection, ChangeChannel::kReconcile));
  DB_ASSIGN_OR_RETURN(auto found, directory.FindGroups(GroupIndex::kExternalId, group.source_id, 2));
  if (found.size() != 1) return NextGroup(s, run);
  DB_ASSIGN_OR_RETURN(auto members, directory.Members(found[0].id, StringAt(run, "cursor"), kPrunePerStep));
  const int64_t now = s.env.NowMillis();
  std::vector<SourceEvent> claims;
  for (const auto& member : members.items) {
    auto user = directory.GetUser(member.user_id);
    if (!user.ok()) continue;
    const std::string email = ToLowerAscii(user->user_name);
    DB_ASSIGN_OR_RETURN(auto seen, s.state.Read("mseen", group.source_id + "/" + email));
    if (seen && StringAt(*seen, "run") == StringAt(run, "run")) continue;
    claims.push_back(google::MembershipClaim(false, group, email, now,
                                             RunTag(run) + "rm:" + group.source_id + ":" + member.user_id));
  }
  Count(run, "membershipsRemoved", static_cast<int64_t>(claims.size()));
  DB_RETURN_IF_ERROR(ApplyClaims(s, run, std::move(claims)));
  if (!members.next_cursor.empty()) {
    run["cursor"] = members.next_cursor;
    s.state.Write("reconcile", "current", run);
    return WakeForStep(s, run);
  }
  run.erase("cursor");
  return NextGroup(s, run);
}

// Groups this connection saw in Google that the run's groups.list did not list (and no
// push saw since the run started) were deleted there: deleted here.
Status GroupSweepStep(GoogleSession& s, json& run) {
  DB_ASSIGN_OR_RETURN(auto page, s.state.List("gseen", StringAt(run, "cursor"), kGroupSweepPerStep));
  const int64_t now = s.env.NowMillis();
  std::vector<SourceEvent> claims;
  for (const auto& [position, record] : page) {
    if (StringAt(record, "run") == StringAt(run, "run") || IntAt(record, "at") >= IntAt(run, "started")) continue;
    const std::string id = StringAt(record, "id");
    if (id.empty()) continue;
    s.state.Remove("gseen", id);
    SourceEvent e;
    e.uuid = RunTag(run) + "ggone:" + id;
    e.published_ms = now;
    e.kind = SourceEventKind::kGroupDeleted;
    e.source_type = "groups.gone";
    e.group.source_id = id;
    e.group.external_id = id;
    claims.push_back(std::move(e));
  }
  Count(run, "groupsGone", static_cast<int64_t>(claims.size()));
  DB_RETURN_IF_ERROR(ApplyClaims(s, run, std::move(claims)));
  if (page.size() == kGroupSweepPerStep) {
    run["cursor"] = page.back().first;
    s.state.Write("reconcile", "current", run);
    return WakeForStep(s, run);
  }
  run.erase("cursor");
  return Finish(s, run, "");
}

}  // namespace

Status StartReconcile(GoogleSession& s, const std::string& trigger) {
  const int64_t now = s.env.NowMillis();
  json run = {{"run", NewResourceId(s.env)},
              {"trigger", trigger},
              {"started", now},
              {"phase", "users"},
              {"counts", json::object()}};
  const std::string group = s.scope_group();
  if (group.empty()) return EmitUsersPage(s, run, "");
  run["phase"] = "scope";
  s.state.Write("reconcile", "current", run);
  return EmitPage(s, run, "scope",
                  google::MembersListUrl(s.api_base, group, "", google::MemberDepth::kDirectAndNested));
}

Status HandleReconcilePage(GoogleSession& s, const json& data, const effects::Outcome& outcome,
                           const std::string& effect_id) {
  (void)effect_id;
  DB_ASSIGN_OR_RETURN(auto current, CurrentRun(s));
  if (!current || StringAt(*current, "run") != StringAt(data, "run")) return Status::Ok();  // a replaced run
  json run = std::move(*current);
  const std::string phase = StringAt(data, "phase");
  if (StringAt(run, "phase") != phase) return Status::Ok();  // an answer delivered twice
  if (outcome.status < 200 || outcome.status > 299) {
    return Finish(s, run, phase + " page answered " + std::to_string(outcome.status));
  }
  const char* items = phase == "users" ? "users" : phase == "groups" ? "groups" : "members";  // scope: members
  auto page = google::ReadListPage(outcome.body, items);
  if (!page.ok()) return Finish(s, run, phase + " page: " + page.error().detail);
  if (phase == "scope") return OnScopePage(s, run, *page);
  if (phase == "users") return OnUsersPage(s, run, *page);
  if (phase == "groups") return OnGroupsPage(s, run, *page);
  if (phase == "members") return OnMembersPage(s, run, *page);
  return Finish(s, run, "unknown phase " + Excerpt(phase, 32));
}

Status ResumeReconcileStep(const effects::ContinuationCall& call, GoogleSession& s) {
  DB_ASSIGN_OR_RETURN(auto current, CurrentRun(s));
  if (!current || StringAt(*current, "run") != StringAt(call.state, "run")) return Status::Ok();
  json run = std::move(*current);
  const std::string phase = StringAt(run, "phase");
  if (phase == "sweep") return SweepStep(s, run);
  if (phase == "prune") return PruneStep(s, run);
  if (phase == "groupSweep") return GroupSweepStep(s, run);
  return Status::Ok();  // waiting for a page
}

Status ResumeScheduledReconcile(const effects::ContinuationCall& call, GoogleSession& s) {
  DB_ASSIGN_OR_RETURN(auto current, CurrentRun(s));
  const std::string after = StringAt(call.state, "after");
  // Only the schedule of the latest run starts the next (an admin's run reschedules).
  if (!after.empty() && current && StringAt(*current, "run") != after) return Status::Ok();
  return StartReconcile(s, after.empty() ? "admin" : "schedule");
}

}  // namespace dirbridge::gworkspace
