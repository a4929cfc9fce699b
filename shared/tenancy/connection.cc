#include "tenancy/connection.h"

#include <algorithm>

#include "core/ascii.h"
#include "core/json_input.h"
#include "core/timestamp.h"
#include "crypto/base64.h"
#include "crypto/constant_time.h"
#include "crypto/sha256.h"
#include "model/json_fields.h"
#include "store/key_layout.h"
#include "store/transaction.h"
#include "tenancy/bearer_token.h"
#include "tenancy/provisioning_hash.h"

namespace dirbridge {
namespace {

std::string RandomHex(Env& env, std::size_t bytes) {
  std::string raw(bytes, '\0');
  env.RandomBytes(reinterpret_cast<uint8_t*>(raw.data()), raw.size());
  return crypto::HexEncode(raw);
}

bool IsHeaderNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// The stored connection record, read.
Result<Connection> ReadConnection(const std::string& raw, std::string_view tenant) {
  DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(raw));
  Connection c;
  c.tenant = std::string(tenant);
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "id", "", &c.id));
  std::string kind;
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "kind", "", &kind));
  auto parsed_kind = ParseConnectionKind(kind);
  if (!parsed_kind) return Corrupt("stored connection " + c.id + " has an unknown kind");
  c.kind = *parsed_kind;
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "created", "", &c.created));
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "tokenSha256", "", &c.token_sha256));
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "hookSecretSha256", "", &c.hook_secret_sha256));
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "hookHeader", "", &c.hook_header));
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "appId", "", &c.app_id));
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "previousTokenSha256", "", &c.previous_token_sha256));
  if (auto until = doc.find("previousValidUntil"); until != doc.end() && until->is_number_integer()) {
    c.previous_valid_until_ms = until->get<int64_t>();
  }
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "tokenRotated", "", &c.token_rotated));
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "revoked", "", &c.revoked));
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "provhashSha256", "", &c.provhash_sha256));
  if (const auto* policy = json_fields::Find(doc, "deprovisioning")) {
    auto read = DeprovisioningPolicyFromJson(*policy);
    if (!read.ok()) return Corrupt("stored connection " + c.id + " has a policy that does not read: " + read.error().detail);
    c.deprovisioning = *read;
  }
  return c;
}

nlohmann::json RecordOf(const Connection& c) {
  nlohmann::json record = {{"id", c.id}, {"kind", c.kind}, {"created", c.created}, {"tokenSha256", c.token_sha256}};
  if (!c.hook_secret_sha256.empty()) record["hookSecretSha256"] = c.hook_secret_sha256;
  if (!c.hook_header.empty()) record["hookHeader"] = c.hook_header;
  if (!c.app_id.empty()) record["appId"] = c.app_id;
  if (!c.previous_token_sha256.empty()) {
    record["previousTokenSha256"] = c.previous_token_sha256;
    record["previousValidUntil"] = c.previous_valid_until_ms;
  }
  if (!c.token_rotated.empty()) record["tokenRotated"] = c.token_rotated;
  if (!c.revoked.empty()) record["revoked"] = c.revoked;
  if (!c.provhash_sha256.empty()) record["provhashSha256"] = c.provhash_sha256;
  if (c.deprovisioning != DeprovisioningPolicy{}) record["deprovisioning"] = DeprovisioningPolicyToJson(c.deprovisioning);
  return record;
}

// The stored record, revoked or not; 404 when there is none.
Result<Connection> LoadConnection(KvStore& store, std::string_view tenant, std::string_view connection_id) {
  DB_ASSIGN_OR_RETURN(auto raw, store.Get(keys::Connection(tenant, connection_id)));
  if (!raw) return NotFound("no connection '" + std::string(connection_id) + "'");
  return ReadConnection(*raw, tenant);
}

}  // namespace

bool ReceivesEventHooks(ConnectionKind kind) { return kind == ConnectionKind::kOkta; }

ChangeSource SourceOf(const Connection& c, ChangeChannel via) {
  return ChangeSource{ConnectionKindName(c.kind), c.id, via, c.deprovisioning};
}

Result<IssuedConnection> CreateConnection(KvStore& store, Env& env, std::string_view tenant, std::string_view kind,
                                          const ConnectionOptions& options) {
  auto parsed_kind = ParseConnectionKind(kind);
  if (!parsed_kind) {
    return InvalidInput("connection kind '" + std::string(kind) + "' is unknown; use one of " +
                        KnownConnectionKinds());
  }
  const bool hooks = ReceivesEventHooks(*parsed_kind);
  if (!hooks && (!options.hook_header.empty() || !options.app_id.empty())) {
    return InvalidInput("'hookHeader' and 'appId' apply only to connections that receive event hooks (okta)");
  }
  const std::string header = options.hook_header.empty() ? std::string("authorization") : ToLowerAscii(options.hook_header);
  if (header.size() > kMaxHookHeaderNameBytes) {
    return InvalidInput("'hookHeader' is longer than " + std::to_string(kMaxHookHeaderNameBytes) + " characters");
  }
  for (char ch : header) {
    if (!IsHeaderNameChar(ch)) return InvalidInput("'hookHeader' must be a header name: letters, digits, '-' and '_'");
  }
  for (const char* reserved : {"host", "content-type", "content-length", "cookie", "connection", "transfer-encoding",
                               "x-okta-verification-challenge"}) {
    if (header == reserved) return InvalidInput("'hookHeader' cannot be '" + header + "'");
  }
  if (options.app_id.size() > kMaxAppIdBytes) {
    return InvalidInput("'appId' is longer than " + std::to_string(kMaxAppIdBytes) + " characters");
  }
  // The key first: without it no token can be issued, and nothing is written.
  DB_ASSIGN_OR_RETURN(auto token_key, TokenKey(env));
  IssuedConnection issued;
  Connection& c = issued.connection;
  c.id = RandomHex(env, 8);
  c.tenant = std::string(tenant);
  c.kind = *parsed_kind;
  c.created = FormatRfc3339Millis(env.NowMillis());
  std::string secret(32, '\0');
  env.RandomBytes(reinterpret_cast<uint8_t*>(secret.data()), secret.size());
  issued.token = FormatBearerToken(token_key, BearerToken{c.tenant, c.id, crypto::Base64UrlEncode(secret)});
  c.token_sha256 = crypto::Sha256Hex(issued.token);
  if (hooks) {
    std::string hook_secret(32, '\0');
    env.RandomBytes(reinterpret_cast<uint8_t*>(hook_secret.data()), hook_secret.size());
    issued.hook_secret = FormatHookSecret(token_key, BearerToken{c.tenant, c.id, crypto::Base64UrlEncode(hook_secret)});
    c.hook_secret_sha256 = crypto::Sha256Hex(issued.hook_secret);
    c.hook_header = header;
    c.app_id = options.app_id;
  }

  Transaction txn(store);
  if (c.kind == ConnectionKind::kCustom) {
    issued.provhash = NewProvisioningHash(env);
    c.provhash_sha256 = StageProvisioningHash(txn, tenant, c.id, issued.provhash);
  }
  txn.Put(keys::Connection(tenant, c.id), RecordOf(c).dump());
  DB_RETURN_IF_ERROR(txn.Commit());
  return issued;
}

Result<Connection> AuthenticateConnection(KvStore& store, std::string_view tenant,
                                          std::string_view authorization_header, int64_t now_ms) {
  DB_ASSIGN_OR_RETURN(auto token, ExtractBearerToken(authorization_header));
  // The router has checked the token's MAC and tenant already; the tenant is checked
  // again here because it is cheap, and the stored hash decides in the end.
  auto parsed = ParseBearerToken(token);
  if (!parsed) return Unauthorized("bearer token is not a dirbridge connection token");
  if (parsed->tenant != tenant) return Unauthorized("bearer token is not valid for this tenant");
  DB_ASSIGN_OR_RETURN(auto raw, store.Get(keys::Connection(tenant, parsed->connection_id)));
  // Hash either way so a wrong tenant and a wrong secret take the same path.
  const std::string presented = crypto::Sha256Hex(token);
  if (!raw) return Unauthorized("bearer token is not valid for this tenant");
  DB_ASSIGN_OR_RETURN(auto c, ReadConnection(*raw, tenant));
  if (!c.revoked.empty()) return Unauthorized("this connection was revoked");
  const bool current = crypto::ConstantTimeEquals(presented, c.token_sha256);
  const bool in_grace = !c.previous_token_sha256.empty() && now_ms < c.previous_valid_until_ms &&
                        crypto::ConstantTimeEquals(presented, c.previous_token_sha256);
  if (!current && !in_grace) return Unauthorized("bearer token is not valid for this tenant");
  return c;
}

Result<Connection> GetConnection(KvStore& store, std::string_view tenant, std::string_view connection_id) {
  DB_ASSIGN_OR_RETURN(auto c, LoadConnection(store, tenant, connection_id));
  if (!c.revoked.empty()) return NotFound("connection '" + c.id + "' was revoked at " + c.revoked);
  return c;
}

Result<std::vector<Connection>> ListConnections(KvStore& store, std::string_view tenant, std::string_view after,
                                                std::size_t limit) {
  const std::string start_after = after.empty() ? std::string() : keys::Connection(tenant, after);
  DB_ASSIGN_OR_RETURN(auto entries, store.List(keys::ConnectionPrefix(tenant), start_after,
                                               std::min(limit, kMaxConnectionsPerPage)));
  std::vector<Connection> out;
  out.reserve(entries.size());
  for (const auto& e : entries) {
    DB_ASSIGN_OR_RETURN(auto c, ReadConnection(e.value, tenant));
    out.push_back(std::move(c));
  }
  return out;
}

Result<RotatedToken> RotateConnectionToken(KvStore& store, Env& env, std::string_view tenant,
                                           std::string_view connection_id, int64_t grace_seconds) {
  if (grace_seconds < 0 || grace_seconds > kMaxTokenGraceSeconds) {
    return InvalidInput("'graceSeconds' must be from 0 to " + std::to_string(kMaxTokenGraceSeconds) + " (7 days)");
  }
  DB_ASSIGN_OR_RETURN(auto token_key, TokenKey(env));
  DB_ASSIGN_OR_RETURN(auto c, GetConnection(store, tenant, connection_id));
  std::string secret(32, '\0');
  env.RandomBytes(reinterpret_cast<uint8_t*>(secret.data()), secret.size());
  RotatedToken rotated;
  rotated.token = FormatBearerToken(token_key, BearerToken{c.tenant, c.id, crypto::Base64UrlEncode(secret)});
  const int64_t now = env.NowMillis();
  c.previous_token_sha256 = grace_seconds > 0 ? c.token_sha256 : std::string();
  c.previous_valid_until_ms = grace_seconds > 0 ? now + grace_seconds * 1000 : 0;
  c.token_sha256 = crypto::Sha256Hex(rotated.token);
  c.token_rotated = FormatRfc3339Millis(now);
  Transaction txn(store);
  txn.Put(keys::Connection(tenant, c.id), RecordOf(c).dump());
  DB_RETURN_IF_ERROR(txn.Commit());
  rotated.connection = std::move(c);
  return rotated;
}

Result<std::string> RotateProvisioningHash(KvStore& store, Env& env, std::string_view tenant,
                                           std::string_view connection_id) {
  DB_ASSIGN_OR_RETURN(auto c, GetConnection(store, tenant, connection_id));
  if (c.kind != ConnectionKind::kCustom) return InvalidInput("only a connection of kind 'custom' has a provisioning hash");
  Transaction txn(store);
  if (!c.provhash_sha256.empty()) txn.Delete(keys::ProvisioningHashIndex(tenant, c.provhash_sha256));
  std::string provhash = NewProvisioningHash(env);
  c.provhash_sha256 = StageProvisioningHash(txn, tenant, c.id, provhash);
  txn.Put(keys::Connection(tenant, c.id), RecordOf(c).dump());
  DB_RETURN_IF_ERROR(txn.Commit());
  return provhash;
}

Result<Connection> SetDeprovisioningPolicy(KvStore& store, std::string_view tenant, std::string_view connection_id,
                                           const nlohmann::json& fields) {
  DB_ASSIGN_OR_RETURN(auto c, GetConnection(store, tenant, connection_id));
  DB_ASSIGN_OR_RETURN(c.deprovisioning, DeprovisioningPolicyFromJson(fields, c.deprovisioning));
  Transaction txn(store);
  txn.Put(keys::Connection(tenant, c.id), RecordOf(c).dump());
  DB_RETURN_IF_ERROR(txn.Commit());
  return c;
}

Result<Connection> RevokeConnection(KvStore& store, Env& env, std::string_view tenant,
                                    std::string_view connection_id) {
  DB_ASSIGN_OR_RETURN(auto c, GetConnection(store, tenant, connection_id));
  c.revoked = FormatRfc3339Millis(env.NowMillis());
  c.token_sha256.clear();
  c.previous_token_sha256.clear();
  c.previous_valid_until_ms = 0;
  c.hook_secret_sha256.clear();
  Transaction txn(store);
  // A custom API connection's provisioning hash stops with it.
  if (!c.provhash_sha256.empty()) txn.Delete(keys::ProvisioningHashIndex(tenant, c.provhash_sha256));
  c.provhash_sha256.clear();
  txn.Put(keys::Connection(tenant, c.id), RecordOf(c).dump());
  // Its sealed credentials go with it (a handful per connection).
  DB_ASSIGN_OR_RETURN(auto secrets, store.List(keys::ConnectionSecretPrefix(tenant, c.id), "", 1000));
  for (const auto& e : secrets) txn.Delete(e.key);
  DB_RETURN_IF_ERROR(txn.Commit());
  return c;
}

nlohmann::json ConnectionSummaryToJson(const Connection& c) {
  nlohmann::json j = {{"id", c.id}, {"kind", c.kind}, {"created", c.created}};
  if (!c.token_rotated.empty()) j["tokenRotated"] = c.token_rotated;
  if (c.previous_valid_until_ms > 0) j["previousTokenValidUntil"] = FormatRfc3339Millis(c.previous_valid_until_ms);
  if (!c.revoked.empty()) j["revoked"] = c.revoked;
  j["deprovisioning"] = DeprovisioningPolicyToJson(c.deprovisioning);
  return j;
}

Result<Connection> AuthenticateHook(KvStore& store, std::string_view tenant, std::string_view connection_id,
                                    const std::map<std::string, std::string>& headers) {
  DB_ASSIGN_OR_RETURN(auto raw, store.Get(keys::Connection(tenant, connection_id)));
  if (!raw) return Unauthorized("no event hook connection here");
  DB_ASSIGN_OR_RETURN(auto c, ReadConnection(*raw, tenant));
  if (!c.revoked.empty()) return Unauthorized("this connection was revoked");
  if (!ReceivesEventHooks(c.kind) || c.hook_secret_sha256.empty()) {
    return Unauthorized("this connection does not receive event hooks");
  }
  auto it = headers.find(c.hook_header.empty() ? std::string("authorization") : c.hook_header);
  if (it == headers.end() || it->second.empty()) {
    return Unauthorized("missing hook secret: send it in the header configured for this connection");
  }
  const std::string presented = crypto::Sha256Hex(HookSecretIn(it->second));
  if (!crypto::ConstantTimeEquals(presented, c.hook_secret_sha256)) return Unauthorized("hook secret is not valid");
  return c;
}

}  // namespace dirbridge
