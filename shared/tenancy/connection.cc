#include "tenancy/connection.h"

#include "core/json_input.h"
#include "core/timestamp.h"
#include "crypto/base64.h"
#include "crypto/constant_time.h"
#include "crypto/sha256.h"
#include "model/json_fields.h"
#include "store/key_layout.h"
#include "store/transaction.h"
#include "tenancy/bearer_token.h"

namespace dirbridge {
namespace {

std::string RandomHex(Env& env, std::size_t bytes) {
  std::string raw(bytes, '\0');
  env.RandomBytes(reinterpret_cast<uint8_t*>(raw.data()), raw.size());
  return crypto::HexEncode(raw);
}

Result<Connection> ConnectionFromRecord(std::string_view tenant, std::string_view raw) {
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
  return c;
}

}  // namespace

Result<Connection> GetConnection(KvStore& store, std::string_view tenant, std::string_view connection_id) {
  DB_ASSIGN_OR_RETURN(auto raw, store.Get(keys::Connection(tenant, connection_id)));
  if (!raw) return NotFound("no connection '" + std::string(connection_id) + "' in this tenant");
  return ConnectionFromRecord(tenant, *raw);
}

ChangeSource SourceOf(const Connection& c, ChangeChannel via) {
  return ChangeSource{ConnectionKindName(c.kind), c.id, via};
}

Result<IssuedConnection> CreateConnection(KvStore& store, Env& env, std::string_view tenant, std::string_view kind) {
  auto parsed_kind = ParseConnectionKind(kind);
  if (!parsed_kind) {
    return InvalidInput("connection kind '" + std::string(kind) + "' is unknown; use one of " +
                        KnownConnectionKinds());
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

  Transaction txn(store);
  nlohmann::json record = {{"id", c.id}, {"kind", c.kind}, {"created", c.created}, {"tokenSha256", c.token_sha256}};
  txn.Put(keys::Connection(tenant, c.id), record.dump());
  DB_RETURN_IF_ERROR(txn.Commit());
  return issued;
}

Result<Connection> AuthenticateConnection(KvStore& store, std::string_view tenant,
                                          std::string_view authorization_header) {
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
  DB_ASSIGN_OR_RETURN(auto c, ConnectionFromRecord(tenant, *raw));
  if (!crypto::ConstantTimeEquals(presented, c.token_sha256)) {
    return Unauthorized("bearer token is not valid for this tenant");
  }
  return c;
}

}  // namespace dirbridge
