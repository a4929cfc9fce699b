#include "tenancy/provisioning_hash.h"

#include "crypto/base64.h"
#include "crypto/constant_time.h"
#include "crypto/sha256.h"
#include "store/key_layout.h"

namespace dirbridge {
namespace {

Error Refused() { return Unauthorized("cid and provhash do not name a custom API connection of this tenant"); }

}  // namespace

std::string NewProvisioningHash(Env& env) {
  std::string raw(32, '\0');
  env.RandomBytes(reinterpret_cast<uint8_t*>(raw.data()), raw.size());
  return crypto::HexEncode(raw);
}

std::string StageProvisioningHash(Transaction& txn, std::string_view tenant, std::string_view connection_id,
                                  std::string_view provhash) {
  std::string hash = crypto::Sha256Hex(provhash);
  txn.Put(keys::ProvisioningHashIndex(tenant, hash), std::string(connection_id));
  return hash;
}

Result<Connection> AuthenticateProvisioningHash(KvStore& store, std::string_view tenant, std::string_view provhash) {
  if (provhash.empty() || provhash.size() > kMaxProvisioningHashBytes) return Refused();
  const std::string presented = crypto::Sha256Hex(provhash);
  DB_ASSIGN_OR_RETURN(auto connection_id, store.Get(keys::ProvisioningHashIndex(tenant, presented)));
  if (!connection_id) return Refused();
  auto c = GetConnection(store, tenant, *connection_id);
  if (!c.ok()) return c.error().kind == ErrorKind::kNotFound ? Refused() : c.error();
  if (c->kind != ConnectionKind::kCustom || !crypto::ConstantTimeEquals(presented, c->provhash_sha256)) return Refused();
  return c;
}

}  // namespace dirbridge
