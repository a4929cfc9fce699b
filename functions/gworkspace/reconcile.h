// The full sync that repairs drift (Google documents that push notifications can be
// dropped: this is the safety net). A run pages through Google and reconciles, one
// page per continuation, its progress in the connection's `reconcile` record, so a
// run over 100,000 users is resumable and each step stays far inside a request's CPU
// budget:
//
//   scope     with a scope group only: members.list of that group with its nested
//             groups' users (includeDerivedMembership), each stamped (`inscope`); a
//             scope group Google does not find ends the run failed, suspending nobody
//   users     users.list (maxResults 500): each user is a claim (active or suspended,
//             with its profile; outside the org units or the scope group: suspended);
//             the run stamps each user it saw
//   sweep     the connection's linked users (provision ListSourceUserLinks), 500 a
//             step: one the run did not see is gone from Google: suspended, never deleted
//   groups    groups.list (maxResults 200): each group a claim; then, per group,
//   members   members.list (maxResults 200): each member a membership claim, stamped;
//   prune     the group's members here that the run did not stamp are removed
//   groupSweep the groups this connection saw in Google (`gseen`), 200 a step: one the
//             run did not list, and no push saw since it started, is deleted here
//   done      the report: what was seen and how many changes it had to make
//             ("repaired": claims that changed the directory), in the status and the log
//
// Every change is made through the engine's applier as ChangeChannel::kReconcile, so
// each difference is an event of the tenant's log with source.via "reconcile". Runs
// start when the connection is set up, on demand (admin API), and every
// kReconcileIntervalMs; a run started while one is going replaces it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "effects/outbox.h"
#include "google_session.h"

namespace dirbridge::gworkspace {

inline constexpr const char* kThenReconcilePage = "reconcile.page";
inline constexpr const char* kReconcileStepContinuation = "google.reconcile.step";  // timer: the next local step
inline constexpr int64_t kReconcileIntervalMs = 24LL * 60 * 60 * 1000;
inline constexpr std::size_t kSweepPerStep = 500;
inline constexpr std::size_t kPrunePerStep = 200;
inline constexpr std::size_t kGroupSweepPerStep = 200;

// Starts a run (replacing one in progress); `trigger` is "setup", "admin" or "schedule".
Status StartReconcile(GoogleSession& s, const std::string& trigger);

Status HandleReconcilePage(GoogleSession& s, const nlohmann::json& data, const effects::Outcome& outcome,
                           const std::string& effect_id);
Status ResumeReconcileStep(const effects::ContinuationCall& call, GoogleSession& s);  // google.reconcile.step
Status ResumeScheduledReconcile(const effects::ContinuationCall& call, GoogleSession& s);  // google.reconcile

}  // namespace dirbridge::gworkspace
