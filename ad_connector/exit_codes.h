// How a run ends, for scripts and service managers (README, "Active Directory
// connector"). Stable: a monitoring rule may depend on them.
#pragma once

namespace dirbridge::ad {

enum class ExitCode {
  kOk = 0,
  kSomeChangesFailed = 1,   // the edge refused some changes; the next run retries them
  kBadConfiguration = 2,    // usage, configuration file, secrets, state file
  kDirectoryUnreachable = 3,  // cannot reach the DC, or its certificate is not signed by ldap.caFile
  kDirectoryRefusedBind = 4,  // wrong bind DN or password
  kMassChangeRefused = 5,   // the guardrail held the run (--allow-mass-change)
  kEdgeUnavailable = 6,     // the edge cannot be reached, or refused the token
};

inline int ToInt(ExitCode code) { return static_cast<int>(code); }

}  // namespace dirbridge::ad
