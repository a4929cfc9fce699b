// What one run reads from the DC, into the mirror (directory_mirror.h).
//
//   ReadDcIdentity   the rootDSE (highestCommittedUSN, dsServiceName,
//                    defaultNamingContext) and the DC's invocationId, read before
//                    anything else: a change made while the run reads has a higher
//                    USN and is read again next time, never lost
//   ReadEverything   every user and group under the base DN (a full run)
//   ReadChanges      only what changed since a USN (or, with DirSync,
//                    ReadDirSync + ReadChangedObjects): users and groups whose
//                    uSNChanged is higher (upserted), objects that changed but no
//                    longer match a filter or the base DN (forgotten: out of scope),
//                    tombstones by the Show Deleted control (deleted)
//
// Group members are read with range retrieval, `rangeSize` values at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "connector_config.h"
#include "core/result.h"
#include "directory_mirror.h"
#include "ldap_session.h"
#include "run_log.h"

namespace dirbridge::ad {

struct DcIdentity {
  std::string server;  // dsServiceName: the DC's NTDS Settings object
  std::string host;    // dnsHostName, for the log
  std::string invocation_id;
  std::string naming_context;  // defaultNamingContext
  std::int64_t highest_usn = 0;
};

struct ReadCounts {
  long users = 0, groups = 0, forgotten = 0, deleted = 0, invalid = 0;
};

Result<DcIdentity> ReadDcIdentity(LdapSession& ldap);
Result<ReadCounts> ReadEverything(LdapSession& ldap, const ConnectorConfig& config, DirectoryMirror* mirror,
                                  const RunLog& log);
Result<ReadCounts> ReadChanges(LdapSession& ldap, const ConnectorConfig& config, const DcIdentity& dc,
                               std::int64_t since_usn, DirectoryMirror* mirror, const RunLog& log);

// DirSync (ldap.changeTracking "dirsync"): the DC's current cookie, by reading every
// change from `*cookie` on ("" for all; a full run takes it before it reads), and the
// objects whose changes it reports. ReadChangedObjects then reads those objects again
// (users, groups, out of scope, deleted), as ReadChanges does for a USN.
struct DirSyncChanges {
  std::vector<std::string> guids;  // raw objectGUID bytes of changed objects
  std::vector<std::string> deleted;  // objectGUID text of tombstones
};
Result<DirSyncChanges> ReadDirSync(LdapSession& ldap, const DcIdentity& dc, std::string* cookie);
Result<ReadCounts> ReadChangedObjects(LdapSession& ldap, const ConnectorConfig& config, const DirSyncChanges& changes,
                                      DirectoryMirror* mirror, const RunLog& log);

}  // namespace dirbridge::ad
