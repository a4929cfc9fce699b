#include "key_fragments/trusted_idp.h"

#include "core/http_url.h"
#include "core/json_input.h"
#include "core/printable.h"
#include "store/key_layout.h"

namespace dirbridge::key_fragments {
namespace {

using nlohmann::json;

bool PrintableAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) <= ' ' || static_cast<unsigned char>(c) >= 0x7f) return false;
  }
  return true;
}

bool ClaimNameOk(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                    c == '-' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

Result<std::string> RequiredText(const json& body, const char* key, std::size_t max, const char* what) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    return InvalidInput(std::string("'") + key + "' is required: " + what);
  }
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() > max) {
    return InvalidInput(std::string("'") + key + "' is " + std::to_string(s.size()) + " bytes; the limit is " +
                        std::to_string(max));
  }
  if (!PrintableAscii(s)) return InvalidInput(std::string("'") + key + "' must be printable ASCII without spaces");
  return s;
}

Status CheckJwksUri(std::string_view url, bool allow_loopback_http) {
  const auto parts = SplitHttpUrl(url);
  if (!parts || parts->host.empty()) return InvalidInput("'jwksUri' must be an absolute https:// URL with a host");
  if (parts->authority.find('@') != std::string_view::npos) {
    return InvalidInput("'jwksUri' must not carry credentials (user@host)");
  }
  if (url.find('#') != std::string_view::npos) return InvalidInput("'jwksUri' must not have a fragment (#...)");
  if (!parts->https && !(allow_loopback_http && IsLoopbackHost(parts->host))) {
    return InvalidInput("'jwksUri' must start with https:// (plain http:// is refused)");
  }
  return Status::Ok();
}

Result<TrustedIdp> FromRecord(std::string_view text) {
  DB_ASSIGN_OR_RETURN(json j, ParseRecordJson(text));
  if (!j.is_object()) return Corrupt("a trusted IdP record is not a JSON object");
  TrustedIdp idp;
  auto text_of = [&](const char* key) -> std::string {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  idp.connection = text_of("connection");
  idp.issuer = text_of("issuer");
  idp.client_id = text_of("clientId");
  idp.jwks_uri = text_of("jwksUri");
  idp.user_claim = text_of("userClaim");
  idp.match_by = UserMatchFromName(text_of("matchBy")).value_or(UserMatch::kUserName);
  idp.leeway_seconds = j.value("leewaySeconds", kDefaultLeewaySeconds);
  idp.updated = text_of("updated");
  idp.by = text_of("by");
  if (idp.issuer.empty() || idp.client_id.empty() || idp.jwks_uri.empty() || idp.user_claim.empty()) {
    return Corrupt("the trusted IdP record of connection '" + Printable(idp.connection) + "' lacks a field");
  }
  return idp;
}

}  // namespace

const char* UserMatchName(UserMatch match) {
  switch (match) {
    case UserMatch::kUserName: return "userName";
    case UserMatch::kEmail: return "email";
    case UserMatch::kExternalId: return "externalId";
  }
  return "userName";
}

std::optional<UserMatch> UserMatchFromName(std::string_view name) {
  for (const UserMatch m : {UserMatch::kUserName, UserMatch::kEmail, UserMatch::kExternalId}) {
    if (name == UserMatchName(m)) return m;
  }
  return std::nullopt;
}

Result<TrustedIdp> TrustedIdpFromJson(const json& body, std::string_view connection, bool allow_loopback_http) {
  if (!body.is_object()) return InvalidInput("the body must be a JSON object");
  static constexpr const char* kKeys[] = {"issuer", "clientId", "jwksUri", "userClaim", "matchBy", "leewaySeconds", "by"};
  for (const auto& [key, value] : body.items()) {
    bool known = false;
    for (const char* k : kKeys) known = known || key == k;
    if (!known) {
      return InvalidInput("unknown key '" + Printable(key, 64) +
                          "': a trusted IdP has issuer, clientId, jwksUri, userClaim, matchBy, leewaySeconds and by");
    }
  }
  TrustedIdp idp;
  idp.connection = std::string(connection);
  DB_ASSIGN_OR_RETURN(idp.issuer, RequiredText(body, "issuer", kMaxIssuerBytes,
                                               "the IdP's issuer, exactly as its ID tokens' 'iss' claim says it"));
  DB_ASSIGN_OR_RETURN(idp.client_id, RequiredText(body, "clientId", kMaxClientIdBytes,
                                                  "the client id the ID tokens are issued to (their 'aud')"));
  DB_ASSIGN_OR_RETURN(idp.jwks_uri, RequiredText(body, "jwksUri", kMaxJwksUriBytes,
                                                 "the URL of the IdP's signing keys (JWKS)"));
  DB_RETURN_IF_ERROR(CheckJwksUri(idp.jwks_uri, allow_loopback_http));
  if (auto it = body.find("userClaim"); it != body.end()) {
    if (!it->is_string() || !ClaimNameOk(it->get_ref<const std::string&>())) {
      return InvalidInput("'userClaim' must be a claim name of 1..64 ASCII letters, digits, '_', '-', '.' or ':'");
    }
    idp.user_claim = it->get<std::string>();
  }
  if (auto it = body.find("matchBy"); it != body.end()) {
    const auto match = it->is_string() ? UserMatchFromName(it->get_ref<const std::string&>()) : std::nullopt;
    if (!match) return InvalidInput("'matchBy' must be \"userName\", \"email\" or \"externalId\"");
    idp.match_by = *match;
  }
  if (auto it = body.find("leewaySeconds"); it != body.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > kMaxLeewaySeconds) {
      return InvalidInput("'leewaySeconds' must be an integer from 0 to " + std::to_string(kMaxLeewaySeconds));
    }
    idp.leeway_seconds = static_cast<int>(it->get<int64_t>());
  }
  if (auto it = body.find("by"); it != body.end()) {
    if (!it->is_string() || it->get_ref<const std::string&>().size() > 200) {
      return InvalidInput("'by' must be a string of at most 200 bytes (who made the change)");
    }
    idp.by = Printable(it->get<std::string>(), 200);
  }
  return idp;
}

json TrustedIdpToJson(const TrustedIdp& idp) {
  json j = json::object();
  j["connection"] = idp.connection;
  j["issuer"] = idp.issuer;
  j["clientId"] = idp.client_id;
  j["jwksUri"] = idp.jwks_uri;
  j["userClaim"] = idp.user_claim;
  j["matchBy"] = UserMatchName(idp.match_by);
  j["leewaySeconds"] = idp.leeway_seconds;
  j["updated"] = idp.updated;
  if (!idp.by.empty()) j["by"] = idp.by;
  return j;
}

Result<std::optional<TrustedIdp>> LoadTrustedIdp(Transaction& txn, std::string_view tenant,
                                                 std::string_view connection) {
  DB_ASSIGN_OR_RETURN(auto text, txn.Get(keys::TrustedIdp(tenant, connection)));
  if (!text) return std::optional<TrustedIdp>();
  DB_ASSIGN_OR_RETURN(auto idp, FromRecord(*text));
  return std::optional<TrustedIdp>(std::move(idp));
}

Result<std::vector<TrustedIdp>> ListTrustedIdps(KvStore& store, std::string_view tenant) {
  // One more than the cap: a store holding more than it (it cannot: StageTrustedIdp
  // refuses) would still be read in bounded work.
  DB_ASSIGN_OR_RETURN(auto entries, store.List(keys::TrustedIdpPrefix(tenant), "", kMaxTrustedIdps + 1));
  std::vector<TrustedIdp> out;
  for (const auto& e : entries) {
    DB_ASSIGN_OR_RETURN(auto idp, FromRecord(e.value));
    out.push_back(std::move(idp));
  }
  return out;
}

Result<std::optional<TrustedIdp>> FindTrustedIdpByIssuer(KvStore& store, std::string_view tenant,
                                                         std::string_view issuer) {
  DB_ASSIGN_OR_RETURN(auto all, ListTrustedIdps(store, tenant));
  for (auto& idp : all) {
    if (idp.issuer == issuer) return std::optional<TrustedIdp>(std::move(idp));
  }
  return std::optional<TrustedIdp>();
}

Status StageTrustedIdp(Transaction& txn, std::string_view tenant, const TrustedIdp& idp) {
  DB_ASSIGN_OR_RETURN(auto all, ListTrustedIdps(txn.store(), tenant));
  bool replacing = false;
  for (const auto& other : all) {
    if (other.connection == idp.connection) {
      replacing = true;
      continue;
    }
    if (other.issuer == idp.issuer) {
      return Conflict("connection '" + Printable(other.connection) + "' already trusts issuer '" +
                          Printable(idp.issuer) + "': an ID token could not say which connection it is for",
                      "");
    }
  }
  if (!replacing && all.size() >= kMaxTrustedIdps) {
    return InvalidInput("a tenant trusts at most " + std::to_string(kMaxTrustedIdps) +
                        " identity providers for federated login");
  }
  txn.Put(keys::TrustedIdp(tenant, idp.connection), TrustedIdpToJson(idp).dump());
  return Status::Ok();
}

void StageTrustedIdpRemoval(Transaction& txn, std::string_view tenant, std::string_view connection) {
  txn.Delete(keys::TrustedIdp(tenant, connection));
  txn.Delete(keys::IdpSigningKeys(tenant, connection));
}

}  // namespace dirbridge::key_fragments
