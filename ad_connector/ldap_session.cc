#include "ldap_session.h"

#include <ldap.h>

#include "core/ascii.h"
#include "run_log.h"

namespace dirbridge::ad {
namespace {

constexpr const char* kShowDeletedOid = "1.2.840.113556.1.4.417";
constexpr int kDirSyncMaxBytes = 1 << 20;  // the DC's answer per round

LDAP* Handle(void* ld) { return static_cast<LDAP*>(ld); }

std::string Diagnostic(LDAP* ld) {
  char* message = nullptr;
  ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &message);
  std::string text = message != nullptr ? Printable(message) : std::string();
  if (message != nullptr) ldap_memfree(message);
  return text;
}

// One entry of a search result, attribute names lower-cased.
DirectoryEntry ReadEntry(LDAP* ld, LDAPMessage* message) {
  DirectoryEntry entry;
  if (char* dn = ldap_get_dn(ld, message)) {
    entry.dn = dn;
    ldap_memfree(dn);
  }
  BerElement* ber = nullptr;
  for (char* name = ldap_first_attribute(ld, message, &ber); name != nullptr;
       name = ldap_next_attribute(ld, message, ber)) {
    auto& values = entry.attributes[ToLowerAscii(name)];
    if (berval** vals = ldap_get_values_len(ld, message, name)) {
      for (berval** v = vals; *v != nullptr; ++v) values.emplace_back((*v)->bv_val, (*v)->bv_len);
      ldap_value_free_len(vals);
    }
    ldap_memfree(name);
  }
  if (ber != nullptr) ber_free(ber, 0);
  return entry;
}

}  // namespace

Result<std::unique_ptr<LdapSession>> LdapSession::Open(const LdapSettings& s) {
  LDAP* ld = nullptr;
  if (ldap_initialize(&ld, s.url.c_str()) != LDAP_SUCCESS || ld == nullptr) {
    return InvalidInput("configuration: 'ldap.url' " + Printable(s.url) + " is not an LDAP URL");
  }
  std::unique_ptr<LdapSession> session(new LdapSession(ld, s));
  int version = LDAP_VERSION3;
  ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
  ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF);
  timeval timeout{s.timeout_seconds, 0};
  ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &timeout);
  ldap_set_option(ld, LDAP_OPT_TIMEOUT, &timeout);
  int demand = LDAP_OPT_X_TLS_DEMAND;
  ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand);
  ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, s.ca_file.c_str());
  int is_server = 0;
  ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &is_server);  // this handle's own TLS context, with the CA above

  if (s.start_tls) {
    int rc = ldap_start_tls_s(ld, nullptr, nullptr);
    if (rc != LDAP_SUCCESS) return session->Failure(rc, "StartTLS with " + s.url);
  }
  berval credentials{static_cast<ber_len_t>(s.password.size()), const_cast<char*>(s.password.data())};
  int rc = ldap_sasl_bind_s(ld, s.bind_dn.c_str(), LDAP_SASL_SIMPLE, &credentials, nullptr, nullptr, nullptr);
  if (rc != LDAP_SUCCESS) return session->Failure(rc, "bind to " + s.url + " as '" + Printable(s.bind_dn) + "'");
  return session;
}

LdapSession::~LdapSession() {
  if (ld_ != nullptr) ldap_unbind_ext_s(Handle(ld_), nullptr, nullptr);
}

Error LdapSession::Failure(int code, const std::string& what) const {
  std::string detail = what + " failed: " + ldap_err2string(code);
  std::string diagnostic = Diagnostic(Handle(ld_));
  if (!diagnostic.empty()) detail += " (" + diagnostic + ")";
  switch (code) {
    case LDAP_INVALID_CREDENTIALS:
      return Unauthorized(detail + "; check ldap.bindDn and the password");
    case LDAP_INSUFFICIENT_ACCESS:
    case LDAP_UNAVAILABLE_CRITICAL_EXTENSION:
      return Forbidden(detail + "; the bind account may lack a right this needs (DirSync: \"Replicating Directory "
                                "Changes\" on the domain; or set ldap.changeTracking to \"usn\")");
    case LDAP_SERVER_DOWN:
    case LDAP_CONNECT_ERROR:
    case LDAP_TIMEOUT:
      return Unavailable(detail + "; check that the DC is reachable at this address and that ldap.caFile is the CA "
                                  "that signed its certificate (for the host name in ldap.url)");
    default:
      return Unavailable(detail);
  }
}

Status LdapSession::Search(const SearchRequest& request, const std::function<Status(DirectoryEntry&&)>& each) {
  LDAP* ld = Handle(ld_);
  ++counters_.searches;
  std::vector<std::string> names = request.attributes;
  if (names.empty()) names.push_back("1.1");  // RFC 4511: no attributes
  std::vector<char*> attrs;
  for (auto& n : names) attrs.push_back(n.data());
  attrs.push_back(nullptr);

  LDAPControl show_deleted{const_cast<char*>(kShowDeletedOid), {0, nullptr}, 1};
  berval cookie{0, nullptr};
  berval* next_cookie = nullptr;
  int scope = request.scope == SearchRequest::Scope::kBase ? LDAP_SCOPE_BASE : LDAP_SCOPE_SUBTREE;
  timeval timeout{settings_.timeout_seconds * 4, 0};
  Status status;
  for (;;) {
    LDAPControl* page = nullptr;
    std::vector<LDAPControl*> controls;
    if (request.dirsync_cookie != nullptr) {
      berval current{static_cast<ber_len_t>(request.dirsync_cookie->size()), request.dirsync_cookie->data()};
      int rc = ldap_create_dirsync_control(ld, 0, kDirSyncMaxBytes, &current, &page);
      if (rc != LDAP_SUCCESS) {
        status = Failure(rc, "building the DirSync control");
        break;
      }
      controls.push_back(page);
    } else if (request.paged) {
      int rc = ldap_create_page_control(ld, settings_.page_size, next_cookie ? next_cookie : &cookie, 1, &page);
      if (rc != LDAP_SUCCESS) {
        status = Failure(rc, "building the paged-results control");
        break;
      }
      controls.push_back(page);
    }
    if (request.show_deleted) controls.push_back(&show_deleted);
    controls.push_back(nullptr);

    LDAPMessage* result = nullptr;
    int rc = ldap_search_ext_s(ld, request.base.c_str(), scope, request.filter.c_str(), attrs.data(), 0,
                               controls.data(), nullptr, &timeout, LDAP_NO_LIMIT, &result);
    if (page != nullptr) ldap_control_free(page);
    if (next_cookie != nullptr) {
      ber_bvfree(next_cookie);
      next_cookie = nullptr;
    }
    if (rc != LDAP_SUCCESS && rc != LDAP_NO_SUCH_OBJECT) {
      if (result != nullptr) ldap_msgfree(result);
      status = Failure(rc, "search of '" + Printable(request.base) + "' for " + Printable(request.filter));
      break;
    }
    ++counters_.pages;
    for (LDAPMessage* m = ldap_first_entry(ld, result); m != nullptr && status.ok(); m = ldap_next_entry(ld, m)) {
      ++counters_.entries;
      status = each(ReadEntry(ld, m));
    }
    LDAPControl** returned = nullptr;
    int result_code = LDAP_SUCCESS;
    if (result != nullptr) ldap_parse_result(ld, result, &result_code, nullptr, nullptr, nullptr, &returned, 0);
    bool more_dirsync = false;
    if (returned != nullptr && request.dirsync_cookie != nullptr) {
      if (LDAPControl* response = ldap_control_find(LDAP_CONTROL_X_DIRSYNC, returned, nullptr)) {
        int more = 0;
        berval parsed{0, nullptr};
        if (ldap_parse_dirsync_control(ld, response, &more, &parsed) == LDAP_SUCCESS) {
          request.dirsync_cookie->assign(parsed.bv_val != nullptr ? parsed.bv_val : "", parsed.bv_len);
          more_dirsync = more != 0;
        }
        if (parsed.bv_val != nullptr) ber_memfree(parsed.bv_val);
      } else if (result_code == LDAP_SUCCESS) {
        status = Unavailable("the DC answered a DirSync search without a DirSync control");
      }
    } else if (returned != nullptr && request.paged) {
      if (LDAPControl* response = ldap_control_find(LDAP_CONTROL_PAGEDRESULTS, returned, nullptr)) {
        ber_int_t estimate = 0;
        berval parsed{0, nullptr};
        if (ldap_parse_pageresponse_control(ld, response, &estimate, &parsed) == LDAP_SUCCESS && parsed.bv_len > 0) {
          next_cookie = ber_bvdup(&parsed);
        }
        if (parsed.bv_val != nullptr) ber_memfree(parsed.bv_val);
      }
    }
    if (returned != nullptr) ldap_controls_free(returned);
    if (result != nullptr) ldap_msgfree(result);
    if (!status.ok()) break;
    if (result_code != LDAP_SUCCESS && result_code != LDAP_NO_SUCH_OBJECT) {
      status = Failure(result_code, "search of '" + Printable(request.base) + "'");
      break;
    }
    if (request.dirsync_cookie != nullptr ? !more_dirsync : next_cookie == nullptr) break;
  }
  if (next_cookie != nullptr) ber_bvfree(next_cookie);
  return status;
}

}  // namespace dirbridge::ad
