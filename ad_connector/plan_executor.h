// Sends a plan (sync_plan.h) to the edge, step by step, and records in `pushed` what
// the edge accepted, as it accepts it: the run's caller saves `pushed` at checkpoints
// and at the end, so a crash or a network failure loses at most the step in flight.
//
//   a create the edge answers 409 (made by a run that crashed before it saved, or by
//   another source for the same person) is adopted: found by externalId (then
//   userName, or a group's displayName) and brought to what AD says
//   an update of a user the edge no longer has (404) creates it again
//   group members go at most kMaxMembersPerRequest (the edge's cap) per request
//   a 401 / 403 or an edge that stays unreachable stops the run (nothing after would
//   fare better); any other refusal fails that step, logged with the edge's detail,
//   and the run goes on
#pragma once

#include <functional>
#include <string>

#include "run_log.h"
#include "scim_target.h"
#include "sync_plan.h"
#include "sync_state.h"

namespace dirbridge::ad {

struct ExecutionReport {
  long created = 0, updated = 0, disabled = 0, deleted = 0, groups_changed = 0, failed = 0;
  bool stopped = false;     // the run stopped early
  std::string stop_reason;  // why
  bool token_refused = false;
  long Sent() const { return created + updated + disabled + deleted + groups_changed; }
};

class PlanExecutor {
 public:
  PlanExecutor(ScimTarget& target, PushedState& pushed, const RunLog& log, std::function<void()> checkpoint);
  // Appends to `report`.
  void Execute(const SyncPlan& plan, ExecutionReport* report);

 private:
  bool CreateUser(const PlanStep& step, ExecutionReport* report);
  bool UpdateUser(const PlanStep& step, ExecutionReport* report);
  bool DeleteUser(const PlanStep& step, ExecutionReport* report);
  bool CreateGroup(const PlanStep& step, ExecutionReport* report);
  bool UpdateGroup(const PlanStep& step, ExecutionReport* report);
  bool DeleteGroup(const PlanStep& step, ExecutionReport* report);
  bool SendMembers(const std::string& group_id, const std::string& op, const std::vector<std::string>& guids,
                   std::vector<std::string>* members, const std::string& label, ExecutionReport* report);
  std::string FindId(const std::string& resource, const std::string& attribute, const std::string& value);
  // Records a failed answer; true when the run must stop.
  bool Fail(const std::string& what, const Answer& answer, ExecutionReport* report);
  void Accepted();

  ScimTarget& target_;
  PushedState& pushed_;
  const RunLog& log_;
  std::function<void()> checkpoint_;
  long since_checkpoint_ = 0;
  long crash_after_ = -1;  // DIRBRIDGE_AD_TEST_CRASH_AFTER: tests of an interrupted run
  long accepted_ = 0;
};

}  // namespace dirbridge::ad
