// The connector's configuration file (README, "Active Directory connector";
// ad_connector/example-config.json). JSON, every key checked: an unknown key is an
// error (a typo must not silently turn a setting off). Secrets are never in the file:
// the bind password and the SCIM token come from an environment variable or a file
// the file names.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "normalize/active_directory.h"

namespace dirbridge::ad {

// What a run does with a user the directory no longer describes as active.
enum class AccountAction { kDisable, kDelete };
std::string_view AccountActionName(AccountAction action);

struct LdapSettings {
  std::string url;        // ldaps://host[:port] (or ldap:// with startTls)
  std::string ca_file;    // the CA that signs the DC's certificate
  bool start_tls = false; // ldap:// upgraded with StartTLS
  std::string bind_dn;    // a DN or user@domain (UPN)
  std::string password;   // from passwordEnv / passwordFile, never the file itself
  std::string base_dn;
  std::vector<std::string> include_ous;  // empty: everything under base_dn
  std::vector<std::string> exclude_ous;
  std::string user_filter = "(&(objectCategory=person)(objectClass=user))";
  std::string group_filter = "(objectClass=group)";
  std::vector<std::string> scope_groups;  // only (transitive) members of these groups
  int page_size = 1000;   // AD's MaxPageSize
  int range_size = 1500;  // AD's MaxValRange
  int timeout_seconds = 30;
  // How an incremental run finds what changed: "usn" (uSNChanged above the watermark;
  // any account that can read) or "dirsync" (the DirSync control's cookie; needs the
  // "Replicating Directory Changes" right).
  enum class ChangeTracking { kUsn, kDirSync };
  ChangeTracking change_tracking = ChangeTracking::kUsn;
};

struct TargetSettings {
  std::string scim_url;  // https://edge/t/{tenant}/scim/v2 (the connection's scimBaseUrl)
  std::string token;     // from tokenEnv / tokenFile
  std::string ca_file;   // optional: a private CA for the edge
  int max_attempts = 5;  // per request, transport failures, 429 and 5xx
};

struct SyncSettings {
  std::string state_file;
  int interval_seconds = 300;
  int full_resync_hours = 24;
  AccountAction on_disabled = AccountAction::kDisable;
  AccountAction on_deleted = AccountAction::kDisable;
  AccountAction on_out_of_scope = AccountAction::kDisable;
  double mass_change_max_share = 0.10;  // of the users dirbridge has from AD
  int mass_change_min_count = 10;       // a run may always disable this many
};

struct ConnectorConfig {
  LdapSettings ldap;
  AttributeMapping mapping = AttributeMapping::Defaults();
  TargetSettings target;
  SyncSettings sync;
};

using EnvLookup = std::optional<std::string> (*)(const char* name);
std::optional<std::string> ProcessEnv(const char* name);

// The file at `path`, checked; relative paths in it are relative to the file's folder.
Result<ConnectorConfig> LoadConfig(const std::string& path, EnvLookup env = ProcessEnv);
// The same from text (tests).
Result<ConnectorConfig> ParseConfig(const std::string& text, const std::string& folder, EnvLookup env);

// A secret file's content without surrounding whitespace, at most 4 KiB.
Result<std::string> ReadSecretFile(const std::string& path);

}  // namespace dirbridge::ad
