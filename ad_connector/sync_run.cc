#include "sync_run.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <memory>

#include "desired_state.h"
#include "directory_reader.h"
#include "ldap_session.h"
#include "plan_executor.h"
#include "scim_target.h"
#include "sync_plan.h"
#include "sync_state.h"

namespace dirbridge::ad {
namespace {

ExitCode DirectoryFailure(const Error& e, const RunLog& log) {
  log.Error(e.detail);
  if (e.kind == ErrorKind::kUnauthorized || e.kind == ErrorKind::kForbidden) return ExitCode::kDirectoryRefusedBind;
  if (e.kind == ErrorKind::kInvalidInput) return ExitCode::kBadConfiguration;
  return ExitCode::kDirectoryUnreachable;
}

std::string WhyFull(const Watermark& w, const DcIdentity& dc, const RunOptions& options, const ConnectorConfig& config,
                    std::int64_t now) {
  const SyncSettings& sync = config.sync;
  if (options.full) return "--full";
  if (w.usn == 0) return "first run";
  if (config.ldap.change_tracking == LdapSettings::ChangeTracking::kDirSync && w.dirsync_cookie.empty()) {
    return "no DirSync cookie yet";
  }
  if (w.server != dc.server) return "another domain controller (" + Printable(dc.server) + ")";
  if (w.invocation_id != dc.invocation_id) return "the DC's invocationId changed (a restore)";
  if (dc.highest_usn < w.usn) return "the DC's highestCommittedUSN went backwards";
  if (sync.full_resync_hours > 0 && now - w.full_sync_at >= std::int64_t(sync.full_resync_hours) * 3600) {
    return "sync.fullResyncHours passed";
  }
  return "";
}

long ActiveUsers(const PushedState& pushed) {
  long n = 0;
  for (const auto& [guid, u] : pushed.users) {
    auto active = u.scim.find("active");
    if (active == u.scim.end() || !active->is_boolean() || active->get<bool>()) ++n;
  }
  return n;
}

// An exclusive lock on `<stateFile>.lock` for the run: two connectors on one state
// file would each send what the other already sent, and the later save would win.
class StateLock {
 public:
  explicit StateLock(const std::string& state_file)
      : fd_(::open((state_file + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    held_ = fd_ >= 0 && ::flock(fd_, LOCK_EX | LOCK_NB) == 0;
  }
  ~StateLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
  }
  bool held() const { return held_; }

 private:
  int fd_;
  bool held_ = false;
};

}  // namespace

ExitCode RunOnce(const ConnectorConfig& config, const RunOptions& options, const RunLog& log) {
  StateLock lock(config.sync.state_file);
  if (!lock.held()) {
    log.Error("another dirbridge-ad is running with the state file " + config.sync.state_file +
              " (or its folder is not writable): one connector per state file");
    return ExitCode::kBadConfiguration;
  }
  auto loaded = LoadState(config.sync.state_file);
  if (!loaded.ok()) {
    log.Error(loaded.error().detail);
    return ExitCode::kBadConfiguration;
  }
  SyncState state = std::move(*loaded);

  auto ldap = LdapSession::Open(config.ldap);
  if (!ldap.ok()) return DirectoryFailure(ldap.error(), log);
  auto dc = ReadDcIdentity(**ldap);
  if (!dc.ok()) return DirectoryFailure(dc.error(), log);

  std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  std::string why_full = WhyFull(state.watermark, *dc, options, config, now);
  bool dirsync = config.ldap.change_tracking == LdapSettings::ChangeTracking::kDirSync;
  DirectoryMirror mirror = state.mirror;
  std::string cookie = why_full.empty() ? state.watermark.dirsync_cookie : std::string();
  Result<ReadCounts> read = ReadCounts{};
  if (dirsync) {
    // The cookie first: what changes while the run reads is read again next time.
    auto changes = ReadDirSync(**ldap, *dc, &cookie);
    if (!changes.ok()) return DirectoryFailure(changes.error(), log);
    read = why_full.empty() ? ReadChangedObjects(**ldap, config, *changes, &mirror, log)
                            : ReadEverything(**ldap, config, &mirror, log);
  } else {
    read = why_full.empty() ? ReadChanges(**ldap, config, *dc, state.watermark.usn, &mirror, log)
                            : ReadEverything(**ldap, config, &mirror, log);
  }
  if (!read.ok()) return DirectoryFailure(read.error(), log);
  const LdapCounters& c = (*ldap)->counters();
  log.Info(std::string(why_full.empty() ? (dirsync ? "incremental read (DirSync)" : "incremental read")
                                         : "full read (" + why_full + ")") +
           " of " +
           Printable(dc->host.empty() ? dc->server : dc->host) + " from USN " +
           std::to_string(why_full.empty() ? state.watermark.usn : 0) + " to " + std::to_string(dc->highest_usn) +
           ": " + std::to_string(read->users) + " users, " + std::to_string(read->groups) + " groups, " +
           std::to_string(read->deleted) + " deleted, " + std::to_string(read->forgotten) + " out of scope, " +
           std::to_string(read->invalid) + " skipped (ldap: " + std::to_string(c.searches) + " searches, " +
           std::to_string(c.pages) + " pages, " + std::to_string(c.range_reads) + " range reads)");

  auto desired = ComputeDesired(mirror, config);
  if (!desired.ok()) return DirectoryFailure(desired.error(), log);
  SyncPlan plan = MakePlan(*desired, state.pushed, config.sync);
  long disables = plan.Disables();
  long active = ActiveUsers(state.pushed);

  if (options.dry_run) {
    for (const auto& step : plan.steps) std::printf("%s\n", DescribeStep(step).c_str());
    std::printf("dry run: %zu changes (%ld take access away); nothing was sent\n", plan.steps.size(), disables);
    if (!WithinMassChangeLimit(disables, active, config.sync)) {
      std::printf("note: a real run would refuse this without --allow-mass-change\n");
    }
    std::fflush(stdout);
    return ExitCode::kOk;
  }
  if (!options.allow_mass_change && !WithinMassChangeLimit(disables, active, config.sync)) {
    log.Error("refusing to disable or delete " + std::to_string(disables) + " of the " + std::to_string(active) +
              " active users dirbridge has from AD in one run (the limit is sync.massChangeMaxShare " +
              std::to_string(config.sync.mass_change_max_share) + ", at least sync.massChangeMinCount " +
              std::to_string(config.sync.mass_change_min_count) +
              "); check AD and the scope, look at --dry-run, and run with --allow-mass-change if it is right. "
              "Nothing was sent.");
    return ExitCode::kMassChangeRefused;
  }

  ScimTarget target(config.target);
  // Checkpoints save what the edge accepted with the OLD watermark and mirror: a run
  // cut short is read again from where the last complete run left off.
  SyncState progress{state.watermark, state.mirror, {}};
  auto checkpoint = [&]() {
    progress.pushed = state.pushed;
    Status saved = SaveState(config.sync.state_file, progress);
    if (!saved.ok()) log.Warn(saved.error().detail);
  };
  PlanExecutor executor(target, state.pushed, log, checkpoint);
  ExecutionReport report;
  executor.Execute(plan, &report);
  if (!report.stopped && report.failed == 0) {
    // Managers are sent once they exist: a second plan finds what the first could not say.
    SyncPlan second = MakePlan(*desired, state.pushed, config.sync);
    executor.Execute(second, &report);
  }
  bool complete = !report.stopped && report.failed == 0;
  if (complete) {
    state.watermark = Watermark{dc->server, dc->invocation_id, dc->highest_usn,
                                why_full.empty() ? state.watermark.full_sync_at : now, dirsync ? cookie : ""};
    state.mirror = std::move(mirror);
  } else {
    state.watermark = progress.watermark;
    state.mirror = progress.mirror;
  }
  Status saved = SaveState(config.sync.state_file, state);
  log.Info("sent " + std::to_string(report.Sent()) + " changes: " + std::to_string(report.created) + " created, " +
           std::to_string(report.updated) + " updated, " + std::to_string(report.disabled) + " disabled, " +
           std::to_string(report.deleted) + " deleted, " + std::to_string(report.groups_changed) + " group changes, " +
           std::to_string(report.failed) + " failed (" + std::to_string(target.requests()) + " requests, " +
           std::to_string(target.retries()) + " retries)" +
           (complete ? "; watermark now USN " + std::to_string(state.watermark.usn)
                     : "; the watermark stays at USN " + std::to_string(state.watermark.usn) +
                           ": the next run finishes the job"));
  if (!saved.ok()) {
    log.Error(saved.error().detail);
    return ExitCode::kBadConfiguration;
  }
  if (report.stopped) {
    log.Error(report.stop_reason);
    return ExitCode::kEdgeUnavailable;
  }
  return complete ? ExitCode::kOk : ExitCode::kSomeChangesFailed;
}

}  // namespace dirbridge::ad
