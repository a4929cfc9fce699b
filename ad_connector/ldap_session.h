// One authenticated LDAP connection to a domain controller (OpenLDAP's libldap):
// LDAPS or StartTLS only, the DC's certificate checked against the configured CA
// (and its name against the URL's host), a simple bind, then searches. Every search
// is paged with the paged-results control (RFC 2696) at the configured page size, so
// AD's 1,000-entry page limit never cuts a result short; the Show Deleted control
// (1.2.840.113556.1.4.417) finds tombstones; the DirSync control, where the bind
// account has the "Replicating Directory Changes" right, reads changes by cookie.
//
// Failures are values: an unreachable DC or a certificate the CA does not sign is
// kUnavailable, a refused bind kUnauthorized, each with the DC's own diagnostic.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "connector_config.h"
#include "core/result.h"
#include "normalize/active_directory.h"

namespace dirbridge::ad {

struct SearchRequest {
  enum class Scope { kBase, kSubtree };
  std::string base;
  Scope scope = Scope::kSubtree;
  std::string filter = "(objectClass=*)";
  std::vector<std::string> attributes;  // empty: none but the DN ("1.1")
  bool show_deleted = false;
  bool paged = true;
  // DirSync (1.2.840.113556.1.4.841) instead of paging: the search returns what changed
  // since this cookie ("" for everything), round after round while the DC has more,
  // and leaves the DC's new cookie here. The base must be a naming context's root.
  std::string* dirsync_cookie = nullptr;
};

// What the connector asked of the DC in one run: the README's log line and the
// tests' proof that pages and ranges were used.
struct LdapCounters {
  long searches = 0;
  long pages = 0;        // paged-result pages read
  long range_reads = 0;  // follow-up reads of a ranged attribute
  long entries = 0;
};

class LdapSession {
 public:
  static Result<std::unique_ptr<LdapSession>> Open(const LdapSettings& settings);
  ~LdapSession();
  LdapSession(const LdapSession&) = delete;
  LdapSession& operator=(const LdapSession&) = delete;

  // Calls `each` for every entry, page after page; stops at the first error (its own
  // or one `each` returns).
  Status Search(const SearchRequest& request, const std::function<Status(DirectoryEntry&&)>& each);

  LdapCounters& counters() { return counters_; }

 private:
  LdapSession(void* ld, const LdapSettings& settings) : ld_(ld), settings_(settings) {}
  Error Failure(int code, const std::string& what) const;

  void* ld_;  // LDAP*
  LdapSettings settings_;
  LdapCounters counters_;
};

}  // namespace dirbridge::ad
