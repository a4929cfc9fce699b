#include "directory_reader.h"

#include <charconv>
#include <set>

#include "core/ascii.h"
#include "dn_scope.h"
#include "ranged_attribute.h"

namespace dirbridge::ad {
namespace {

using nlohmann::json;

// More values than this in one group is not a directory we can hold in one run.
constexpr long kMaxValuesPerGroup = 1'000'000;

std::int64_t ParseUsn(const std::string& text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return (ec == std::errc() && end == text.data() + text.size() && v >= 0) ? v : -1;
}

std::string WithUsnAbove(const std::string& filter, std::int64_t usn) {
  return "(&" + filter + "(uSNChanged>=" + std::to_string(usn + 1) + "))";
}

std::vector<std::string> GroupAttributes(const ConnectorConfig& config) {
  return {"objectguid", "cn", "displayname", RangeRequest("member", 0, config.ldap.range_size)};
}

// A user entry, normalized; an entry the normalizer refuses is kept as invalid (so a
// run neither creates it nor disables what dirbridge already has) and logged.
MirrorUser MirrorUserOf(const DirectoryEntry& entry, const ConnectorConfig& config, const RunLog& log,
                        ReadCounts* counts) {
  MirrorUser m;
  m.dn = entry.dn;
  auto user = UserFromEntry(entry, config.mapping);
  if (!user.ok()) {
    m.invalid = user.error().detail;
    ++counts->invalid;
    log.Warn("skipping " + Printable(m.invalid));
    return m;
  }
  m.scim = UserToJson(user->user);
  m.scim.erase("id");
  m.scim.erase("meta");
  m.manager_dn = user->manager_dn;
  return m;
}

// Every member of `entry`, following ranges until AD says '*'.
Result<MirrorGroup> MirrorGroupOf(LdapSession& ldap, const DirectoryEntry& entry, const ConnectorConfig& config) {
  MirrorGroup g;
  g.dn = entry.dn;
  g.name = entry.First("displayName");
  if (g.name.empty()) g.name = entry.First("cn");
  for (const auto& [name, values] : entry.attributes) {
    auto range = ParseRangeOption(name);
    bool plain = name == "member";
    if (!plain && !(range && range->attribute == "member")) continue;
    for (const auto& v : values) g.member_keys.push_back(DnKey(v));
    while (range && !range->final()) {
      if (static_cast<long>(g.member_keys.size()) > kMaxValuesPerGroup) {
        return Unavailable("group '" + Printable(entry.dn) + "' has more than " + std::to_string(kMaxValuesPerGroup) +
                           " members; the connector reads at most that many");
      }
      long next = range->last + 1;
      std::optional<RangeOption> got;
      ++ldap.counters().range_reads;
      SearchRequest more;
      more.base = entry.dn;
      more.scope = SearchRequest::Scope::kBase;
      more.attributes = {RangeRequest("member", next, config.ldap.range_size)};
      more.paged = false;
      DB_RETURN_IF_ERROR(ldap.Search(more, [&](DirectoryEntry&& e) {
        for (const auto& [n, vs] : e.attributes) {
          auto r = ParseRangeOption(n);
          if (!r || r->attribute != "member") continue;
          for (const auto& v : vs) g.member_keys.push_back(DnKey(v));
          got = r;
        }
        return Status::Ok();
      }));
      if (!got || got->first != next) break;  // nothing more (or a DC that ignores ranges)
      range = got;
    }
  }
  return g;
}

Result<std::string> GuidOf(const DirectoryEntry& entry) {
  auto guid = ObjectGuidText(entry.First("objectGUID"));
  if (!guid.ok()) return InvalidInput("entry '" + Printable(entry.dn) + "': " + guid.error().detail);
  return guid;
}

Status ReadUsers(LdapSession& ldap, const ConnectorConfig& config, const std::string& filter, DirectoryMirror* mirror,
                 const RunLog& log, ReadCounts* counts, std::set<std::string>* seen) {
  SearchRequest request;
  request.base = config.ldap.base_dn;
  request.filter = filter;
  request.attributes = config.mapping.LdapAttributes();
  return ldap.Search(request, [&](DirectoryEntry&& entry) -> Status {
    DB_ASSIGN_OR_RETURN(std::string guid, GuidOf(entry));
    ++counts->users;
    mirror->PutUser(guid, MirrorUserOf(entry, config, log, counts));
    seen->insert(guid);
    return Status::Ok();
  });
}

Status ReadGroups(LdapSession& ldap, const ConnectorConfig& config, const std::string& filter, DirectoryMirror* mirror,
                  ReadCounts* counts, std::set<std::string>* seen) {
  SearchRequest request;
  request.base = config.ldap.base_dn;
  request.filter = filter;
  request.attributes = GroupAttributes(config);
  // Ranged reads run after the paged search: one LDAP operation at a time.
  std::vector<DirectoryEntry> entries;
  DB_RETURN_IF_ERROR(ldap.Search(request, [&](DirectoryEntry&& entry) -> Status {
    entries.push_back(std::move(entry));
    return Status::Ok();
  }));
  for (const auto& entry : entries) {
    DB_ASSIGN_OR_RETURN(std::string guid, GuidOf(entry));
    if (mirror->users.count(guid)) continue;  // an object both filters match is a user
    DB_ASSIGN_OR_RETURN(MirrorGroup group, MirrorGroupOf(ldap, entry, config));
    ++counts->groups;
    mirror->PutGroup(guid, std::move(group));
    seen->insert(guid);
  }
  return Status::Ok();
}

// At most this many objectGUIDs in one filter of ReadChangedObjects.
constexpr std::size_t kGuidsPerFilter = 100;

}  // namespace

Result<DirSyncChanges> ReadDirSync(LdapSession& ldap, const DcIdentity& dc, std::string* cookie) {
  DirSyncChanges changes;
  SearchRequest request;
  request.base = dc.naming_context;
  request.filter = "(|(objectClass=user)(objectClass=group))";
  // DirSync returns an object only when one of the attributes asked for changed: ask
  // for all of them (the answer holds only what changed, and the objects are read
  // again in full by ReadChangedObjects).
  request.attributes = {"*"};
  request.dirsync_cookie = cookie;
  DB_RETURN_IF_ERROR(ldap.Search(request, [&](DirectoryEntry&& e) -> Status {
    std::string bytes = e.First("objectGUID");
    auto guid = ObjectGuidText(bytes);
    if (!guid.ok()) return Status::Ok();
    if (EqualsIgnoreCase(e.First("isDeleted"), "TRUE")) {
      changes.deleted.push_back(*guid);
    } else {
      changes.guids.push_back(std::move(bytes));
    }
    return Status::Ok();
  }));
  return changes;
}

Result<ReadCounts> ReadChangedObjects(LdapSession& ldap, const ConnectorConfig& config, const DirSyncChanges& changes,
                                      DirectoryMirror* mirror, const RunLog& log) {
  ReadCounts counts;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < changes.guids.size(); i += kGuidsPerFilter) {
    std::string any = "(|";
    for (std::size_t j = i; j < changes.guids.size() && j < i + kGuidsPerFilter; ++j) {
      any += "(objectGUID=" + ObjectGuidFilterValue(changes.guids[j]) + ")";
    }
    any += ")";
    DB_RETURN_IF_ERROR(
        ReadUsers(ldap, config, "(&" + config.ldap.user_filter + any + ")", mirror, log, &counts, &seen));
    DB_RETURN_IF_ERROR(ReadGroups(ldap, config, "(&" + config.ldap.group_filter + any + ")", mirror, &counts, &seen));
  }
  for (const auto& bytes : changes.guids) {
    auto guid = ObjectGuidText(bytes);
    if (guid.ok() && !seen.count(*guid) && (mirror->users.count(*guid) || mirror->groups.count(*guid))) {
      mirror->Forget(*guid);
      ++counts.forgotten;
    }
  }
  for (const auto& guid : changes.deleted) {
    if (mirror->users.count(guid) || mirror->groups.count(guid)) {
      mirror->MarkDeleted(guid);
      ++counts.deleted;
    }
  }
  return counts;
}

Result<DcIdentity> ReadDcIdentity(LdapSession& ldap) {
  DcIdentity dc;
  SearchRequest root;
  root.base = "";
  root.scope = SearchRequest::Scope::kBase;
  root.attributes = {"highestCommittedUSN", "dsServiceName", "defaultNamingContext", "dnsHostName"};
  root.paged = false;
  DB_RETURN_IF_ERROR(ldap.Search(root, [&](DirectoryEntry&& e) {
    dc.highest_usn = ParseUsn(e.First("highestCommittedUSN"));
    dc.server = e.First("dsServiceName");
    dc.naming_context = e.First("defaultNamingContext");
    dc.host = e.First("dnsHostName");
    return Status::Ok();
  }));
  if (dc.highest_usn < 0 || dc.server.empty() || dc.naming_context.empty()) {
    return Unavailable("the server's rootDSE has no highestCommittedUSN, dsServiceName or defaultNamingContext: "
                       "is it an Active Directory domain controller?");
  }
  SearchRequest settings;
  settings.base = dc.server;
  settings.scope = SearchRequest::Scope::kBase;
  settings.attributes = {"invocationId"};
  settings.paged = false;
  DB_RETURN_IF_ERROR(ldap.Search(settings, [&](DirectoryEntry&& e) -> Status {
    auto id = ObjectGuidText(e.First("invocationId"));
    if (id.ok()) dc.invocation_id = *id;
    return Status::Ok();
  }));
  if (dc.invocation_id.empty()) {
    return Unavailable("cannot read the invocationId of " + Printable(dc.server) +
                       ": the bind account needs read access to the DC's NTDS Settings object");
  }
  return dc;
}

Result<ReadCounts> ReadEverything(LdapSession& ldap, const ConnectorConfig& config, DirectoryMirror* mirror,
                                  const RunLog& log) {
  ReadCounts counts;
  std::set<std::string> seen;
  *mirror = DirectoryMirror{};
  DB_RETURN_IF_ERROR(ReadUsers(ldap, config, config.ldap.user_filter, mirror, log, &counts, &seen));
  DB_RETURN_IF_ERROR(ReadGroups(ldap, config, config.ldap.group_filter, mirror, &counts, &seen));
  return counts;
}

Result<ReadCounts> ReadChanges(LdapSession& ldap, const ConnectorConfig& config, const DcIdentity& dc,
                               std::int64_t since_usn, DirectoryMirror* mirror, const RunLog& log) {
  ReadCounts counts;
  std::set<std::string> seen;
  DB_RETURN_IF_ERROR(ReadUsers(ldap, config, WithUsnAbove(config.ldap.user_filter, since_usn), mirror, log, &counts,
                               &seen));
  DB_RETURN_IF_ERROR(
      ReadGroups(ldap, config, WithUsnAbove(config.ldap.group_filter, since_usn), mirror, &counts, &seen));

  // Changed, but no longer a user or group we sync (moved out of the base DN, or out
  // of a filter): out of scope.
  SearchRequest changed;
  changed.base = dc.naming_context;
  changed.filter = WithUsnAbove("(|(objectClass=user)(objectClass=group))", since_usn);
  changed.attributes = {"objectguid"};
  std::vector<std::string> gone;
  DB_RETURN_IF_ERROR(ldap.Search(changed, [&](DirectoryEntry&& e) -> Status {
    auto guid = ObjectGuidText(e.First("objectGUID"));
    if (guid.ok() && !seen.count(*guid) && (mirror->users.count(*guid) || mirror->groups.count(*guid))) {
      gone.push_back(*guid);
    }
    return Status::Ok();
  }));
  for (const auto& guid : gone) mirror->Forget(guid);
  counts.forgotten = static_cast<long>(gone.size());

  // Deleted: tombstones, which only the Show Deleted control returns.
  SearchRequest tombstones;
  tombstones.base = dc.naming_context;
  tombstones.filter = WithUsnAbove("(isDeleted=TRUE)", since_usn);
  tombstones.attributes = {"objectguid"};
  tombstones.show_deleted = true;
  DB_RETURN_IF_ERROR(ldap.Search(tombstones, [&](DirectoryEntry&& e) -> Status {
    auto guid = ObjectGuidText(e.First("objectGUID"));
    if (guid.ok() && (mirror->users.count(*guid) || mirror->groups.count(*guid))) {
      mirror->MarkDeleted(*guid);
      ++counts.deleted;
    }
    return Status::Ok();
  }));
  return counts;
}

}  // namespace dirbridge::ad
