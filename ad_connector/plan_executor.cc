#include "plan_executor.h"

#include <algorithm>
#include <cstdlib>

#include "model/schema_urns.h"
#include "scim/patch_limits.h"

namespace dirbridge::ad {
namespace {

using nlohmann::json;

constexpr long kCheckpointEvery = 100;

json Schemas(const json& scim) {
  json s = json::array({std::string(kUserSchemaUrn)});
  if (scim.contains(std::string(kEnterpriseUserSchemaUrn))) s.push_back(std::string(kEnterpriseUserSchemaUrn));
  return s;
}

json UserBody(const json& scim) {
  json body = scim;
  body["schemas"] = Schemas(scim);
  return body;
}

json PatchBody(json operations) {
  json body = json::object();
  body["schemas"] = json::array({std::string(kPatchOpSchemaUrn)});
  body["Operations"] = std::move(operations);
  return body;
}

json PatchOf(const std::vector<AttributeChange>& changes) {
  json ops = json::array();
  for (const auto& c : changes) {
    json op = json::object();
    if (c.after.is_null()) {
      op["op"] = "remove";
      op["path"] = c.attribute;
    } else {
      op["op"] = "replace";
      op["path"] = c.attribute;
      op["value"] = c.after;
    }
    ops.push_back(std::move(op));
  }
  return PatchBody(std::move(ops));
}

// Every attribute of `scim` as a replace: what adopting a user sends.
std::vector<AttributeChange> AllOf(const json& scim) {
  std::vector<AttributeChange> changes;
  for (auto it = scim.begin(); it != scim.end(); ++it) changes.push_back({it.key(), json(), it.value()});
  return changes;
}

std::string IdOf(const Answer& a) {
  if (!a.body.is_object()) return "";
  auto id = a.body.find("id");
  return id != a.body.end() && id->is_string() ? id->get<std::string>() : "";
}

}  // namespace

PlanExecutor::PlanExecutor(ScimTarget& target, PushedState& pushed, const RunLog& log,
                           std::function<void()> checkpoint)
    : target_(target), pushed_(pushed), log_(log), checkpoint_(std::move(checkpoint)) {
  if (const char* crash = std::getenv("DIRBRIDGE_AD_TEST_CRASH_AFTER")) crash_after_ = std::atol(crash);
}

void PlanExecutor::Accepted() {
  ++accepted_;
  if (crash_after_ >= 0 && accepted_ >= crash_after_) {
    log_.Error("DIRBRIDGE_AD_TEST_CRASH_AFTER: stopping dead after " + std::to_string(accepted_) + " changes");
    std::_Exit(70);
  }
  if (++since_checkpoint_ >= kCheckpointEvery) {
    since_checkpoint_ = 0;
    checkpoint_();
  }
}

bool PlanExecutor::Fail(const std::string& what, const Answer& answer, ExecutionReport* report) {
  ++report->failed;
  log_.Error(what + ": " + answer.Describe());
  if (answer.reached() && (answer.status == 401 || answer.status == 403)) {
    report->stopped = true;
    report->token_refused = true;
    report->stop_reason = "the edge refused the SCIM token (" + answer.Describe() +
                          "); check target.tokenEnv / target.tokenFile and that the connection is not revoked";
    return true;
  }
  if (!answer.reached()) {
    report->stopped = true;
    report->stop_reason = answer.Describe() + " (after " + std::to_string(answer.attempts) + " attempts)";
    return true;
  }
  return false;
}

void PlanExecutor::Execute(const SyncPlan& plan, ExecutionReport* report) {
  for (const auto& step : plan.steps) {
    if (report->stopped) return;
    log_.Detail(DescribeStep(step));
    switch (step.kind) {
      case PlanStep::Kind::kCreateUser: CreateUser(step, report); break;
      case PlanStep::Kind::kUpdateUser: UpdateUser(step, report); break;
      case PlanStep::Kind::kDeleteUser: DeleteUser(step, report); break;
      case PlanStep::Kind::kCreateGroup: CreateGroup(step, report); break;
      case PlanStep::Kind::kUpdateGroup: UpdateGroup(step, report); break;
      case PlanStep::Kind::kDeleteGroup: DeleteGroup(step, report); break;
    }
  }
}

std::string PlanExecutor::FindId(const std::string& resource, const std::string& attribute, const std::string& value) {
  Answer a = target_.Call("GET", "/" + resource + "?" + FilterQuery(attribute, value) + "&count=2");
  if (!a.ok() || !a.body.is_object()) return "";
  auto resources = a.body.find("Resources");
  if (resources == a.body.end() || !resources->is_array() || resources->size() != 1) return "";
  const json& r = (*resources)[0];
  return r.contains("id") && r["id"].is_string() ? r["id"].get<std::string>() : "";
}

bool PlanExecutor::CreateUser(const PlanStep& step, ExecutionReport* report) {
  Answer a = target_.Call("POST", "/Users", UserBody(step.scim));
  if (a.ok() && !IdOf(a).empty()) {
    pushed_.users[step.guid] = PushedUser{IdOf(a), step.scim};
    ++report->created;
    Accepted();
    return true;
  }
  if (a.reached() && a.status == 409) {
    std::string id = FindId("Users", "externalId", step.guid);
    if (id.empty()) id = FindId("Users", "userName", step.label);
    if (!id.empty()) {
      Answer adopt = target_.Call("PATCH", "/Users/" + id, PatchOf(AllOf(step.scim)));
      if (adopt.ok()) {
        log_.Info("adopted user '" + Printable(step.label) + "' (" + id + "), which dirbridge already had");
        pushed_.users[step.guid] = PushedUser{id, step.scim};
        ++report->updated;
        Accepted();
        return true;
      }
      return !Fail("adopting user '" + Printable(step.label) + "'", adopt, report);
    }
  }
  return !Fail("creating user '" + Printable(step.label) + "'", a, report);
}

bool PlanExecutor::UpdateUser(const PlanStep& step, ExecutionReport* report) {
  std::string id = pushed_.UserId(step.guid);
  Answer a = target_.Call("PATCH", "/Users/" + id, PatchOf(step.changes));
  if (a.ok()) {
    pushed_.users[step.guid].scim = step.scim;
    ++(step.disables ? report->disabled : report->updated);
    Accepted();
    return true;
  }
  if (a.reached() && a.status == 404 && !step.disables) {
    log_.Warn("user '" + Printable(step.label) + "' is no longer in dirbridge; creating it again");
    pushed_.users.erase(step.guid);
    PlanStep create = step;
    create.kind = PlanStep::Kind::kCreateUser;
    return CreateUser(create, report);
  }
  if (a.reached() && a.status == 404) {  // nothing left to disable
    pushed_.users.erase(step.guid);
    return true;
  }
  return !Fail((step.disables ? "disabling user '" : "updating user '") + Printable(step.label) + "'", a, report);
}

bool PlanExecutor::DeleteUser(const PlanStep& step, ExecutionReport* report) {
  Answer a = target_.Call("DELETE", "/Users/" + pushed_.UserId(step.guid));
  if (a.ok() || (a.reached() && a.status == 404)) {
    pushed_.users.erase(step.guid);
    for (auto& [g, group] : pushed_.groups) {
      group.members.erase(std::remove(group.members.begin(), group.members.end(), step.guid), group.members.end());
    }
    ++report->deleted;
    Accepted();
    return true;
  }
  return !Fail("deleting user '" + Printable(step.label) + "'", a, report);
}

bool PlanExecutor::SendMembers(const std::string& group_id, const std::string& op,
                               const std::vector<std::string>& guids, std::vector<std::string>* members,
                               const std::string& label, ExecutionReport* report) {
  std::vector<std::pair<std::string, std::string>> batch;  // guid, id
  auto flush = [&]() {
    if (batch.empty()) return true;
    json values = json::array();
    for (const auto& [guid, id] : batch) values.push_back(json{{"value", id}});
    json operation = json::object();
    operation["op"] = op;
    operation["path"] = "members";
    operation["value"] = std::move(values);
    Answer a = target_.Call("PATCH", "/Groups/" + group_id, PatchBody(json::array({std::move(operation)})));
    if (!a.ok()) {
      Fail((op == "add" ? "adding members to group '" : "removing members from group '") + Printable(label) + "'", a,
           report);
      batch.clear();
      return false;
    }
    for (const auto& [guid, id] : batch) {
      if (op == "add") {
        members->push_back(guid);
      } else {
        members->erase(std::remove(members->begin(), members->end(), guid), members->end());
      }
    }
    std::sort(members->begin(), members->end());
    members->erase(std::unique(members->begin(), members->end()), members->end());
    batch.clear();
    Accepted();
    return true;
  };
  for (const auto& guid : guids) {
    std::string id = pushed_.UserId(guid);
    if (id.empty()) {
      if (op == "remove") members->erase(std::remove(members->begin(), members->end(), guid), members->end());
      continue;  // a member whose create failed: the next run adds it
    }
    batch.emplace_back(guid, id);
    if (batch.size() >= scim::kMaxMembersPerRequest && !flush()) return false;
  }
  return flush();
}

bool PlanExecutor::CreateGroup(const PlanStep& step, ExecutionReport* report) {
  json body = json::object();
  body["schemas"] = json::array({std::string(kGroupSchemaUrn)});
  body["displayName"] = step.label;
  body["externalId"] = step.guid;
  Answer a = target_.Call("POST", "/Groups", body);
  std::string id = a.ok() ? IdOf(a) : "";
  std::vector<std::string> current;
  if (id.empty() && a.reached() && a.status == 409) {
    id = FindId("Groups", "externalId", step.guid);
    if (id.empty()) id = FindId("Groups", "displayName", step.label);
    if (!id.empty()) {
      // Adopted: its members are unknown to us, so every member of AD is added (adding
      // a member twice is no change) and the next full run removes strays.
      log_.Info("adopted group '" + Printable(step.label) + "' (" + id + "), which dirbridge already had");
    }
  }
  if (id.empty()) return !Fail("creating group '" + Printable(step.label) + "'", a, report);
  pushed_.groups[step.guid] = PushedGroup{id, step.label, {}};
  ++report->groups_changed;
  Accepted();
  return SendMembers(id, "add", step.add_members, &pushed_.groups[step.guid].members, step.label, report);
}

bool PlanExecutor::UpdateGroup(const PlanStep& step, ExecutionReport* report) {
  PushedGroup& group = pushed_.groups[step.guid];
  if (!step.new_name.empty()) {
    json op = json::object();
    op["op"] = "replace";
    op["path"] = "displayName";
    op["value"] = step.new_name;
    Answer a = target_.Call("PATCH", "/Groups/" + group.id, PatchBody(json::array({std::move(op)})));
    if (!a.ok()) return !Fail("renaming group '" + Printable(step.label) + "'", a, report);
    group.name = step.new_name;
    Accepted();
  }
  ++report->groups_changed;
  return SendMembers(group.id, "add", step.add_members, &group.members, step.label, report) &&
         SendMembers(group.id, "remove", step.remove_members, &group.members, step.label, report);
}

bool PlanExecutor::DeleteGroup(const PlanStep& step, ExecutionReport* report) {
  Answer a = target_.Call("DELETE", "/Groups/" + pushed_.groups[step.guid].id);
  if (a.ok() || (a.reached() && a.status == 404)) {
    pushed_.groups.erase(step.guid);
    ++report->groups_changed;
    Accepted();
    return true;
  }
  return !Fail("deleting group '" + Printable(step.label) + "'", a, report);
}

}  // namespace dirbridge::ad
