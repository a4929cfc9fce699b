// One run of the connector: read AD (everything, or what changed since the
// watermark), compute what dirbridge should hold, plan, check the mass-change
// guardrail, send, and move the watermark only when everything was accepted.
//
// A full run instead of an incremental one when: there is no watermark, the DC is
// another one or its invocationId changed (a restore: its USNs mean something else),
// its highestCommittedUSN went backwards, sync.fullResyncHours passed, or --full.
// With ldap.changeTracking "dirsync", the DirSync cookie takes the USN's place for
// finding what changed (and a run without a cookie is a full one).
#pragma once

#include <string>

#include "connector_config.h"
#include "exit_codes.h"
#include "run_log.h"

namespace dirbridge::ad {

struct RunOptions {
  bool dry_run = false;
  bool allow_mass_change = false;
  bool full = false;
};

ExitCode RunOnce(const ConnectorConfig& config, const RunOptions& options, const RunLog& log);

}  // namespace dirbridge::ad
