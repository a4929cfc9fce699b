// dirbridge-ad: syncs on-premise Active Directory to dirbridge (README, "Active
// Directory connector").
//
//   dirbridge-ad --config FILE [--once] [--dry-run] [--full] [--allow-mass-change] [--verbose]
//
// Without --once it runs as a service: one run every sync.intervalSeconds until
// SIGTERM or SIGINT (a run in progress finishes first). Exit codes: exit_codes.h.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "connector_config.h"
#include "exit_codes.h"
#include "run_log.h"
#include "sync_run.h"

namespace {

using dirbridge::ad::ExitCode;

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

constexpr const char* kUsage =
    "usage: dirbridge-ad --config FILE [--once] [--dry-run] [--full] [--allow-mass-change] [--verbose]\n"
    "  --config FILE        the connector's configuration (README, \"Active Directory connector\")\n"
    "  --once               one run, then exit (default: a run every sync.intervalSeconds)\n"
    "  --dry-run            print what a run would change and send nothing (implies --once)\n"
    "  --full               read everything, not only what changed since the last run\n"
    "  --allow-mass-change  let this run disable more users than the guardrail allows\n"
    "  --verbose            log every change sent\n";

}  // namespace

int main(int argc, char** argv) {
  std::string config_path;
  dirbridge::ad::RunOptions options;
  bool once = false, verbose = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--config") {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "dirbridge-ad: --config needs a FILE\n%s", kUsage);
        return ToInt(ExitCode::kBadConfiguration);
      }
      config_path = argv[++i];
    } else if (arg == "--once") {
      once = true;
    } else if (arg == "--dry-run") {
      options.dry_run = once = true;
    } else if (arg == "--full") {
      options.full = true;
    } else if (arg == "--allow-mass-change") {
      options.allow_mass_change = true;
    } else if (arg == "--verbose") {
      verbose = true;
    } else if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else {
      std::fprintf(stderr, "dirbridge-ad: unknown argument '%s'\n%s", dirbridge::Printable(arg, 100).c_str(),
                   kUsage);
      return ToInt(ExitCode::kBadConfiguration);
    }
  }
  if (config_path.empty()) {
    std::fprintf(stderr, "dirbridge-ad: --config FILE is required\n%s", kUsage);
    return ToInt(ExitCode::kBadConfiguration);
  }
  // A DC or an edge that closes a connection must be an error value, not a SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  dirbridge::ad::RunLog log(verbose);
  auto config = dirbridge::ad::LoadConfig(config_path);
  if (!config.ok()) {
    log.Error(config.error().detail);
    return ToInt(ExitCode::kBadConfiguration);
  }
  if (once) return ToInt(RunOnce(*config, options, log));

  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  log.Info("service mode: a run every " + std::to_string(config->sync.interval_seconds) + " s");
  while (!g_stop) {
    ExitCode code = RunOnce(*config, options, log);
    if (code == ExitCode::kBadConfiguration) return ToInt(code);  // the next run would fail the same way
    options.full = false;
    options.allow_mass_change = false;  // granted for one run only
    for (int waited = 0; waited < config->sync.interval_seconds && !g_stop; ++waited) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
  log.Info("stopped");
  return 0;
}
