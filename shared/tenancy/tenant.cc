#include "tenancy/tenant.h"

#include "core/json_input.h"
#include "core/timestamp.h"
#include "crypto/base64.h"
#include "model/json_fields.h"
#include "store/key_layout.h"
#include "store/transaction.h"

namespace dirbridge {

bool IsValidTenantId(std::string_view id) {
  if (id.size() < 3 || id.size() > 63) return false;
  if (id.front() == '-' || id.back() == '-') return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string NewTenantId(Env& env) {
  uint8_t random[8];
  env.RandomBytes(random, sizeof random);
  return "t-" + crypto::HexEncode(std::string_view(reinterpret_cast<const char*>(random), sizeof random));
}

std::string TenantScimBaseUrl(std::string_view origin, std::string_view tenant) {
  return std::string(origin) + "/t/" + std::string(tenant) + "/scim/v2";
}

std::string TenantOktaHookUrl(std::string_view origin, std::string_view tenant, std::string_view connection) {
  return std::string(origin) + "/t/" + std::string(tenant) + "/hooks/okta/" + std::string(connection);
}

nlohmann::json TenantToJson(const Tenant& t) {
  return {{"id", t.id}, {"name", t.name}, {"created", t.created}};
}

Result<Tenant> CreateTenant(KvStore& store, Env& env, std::string_view id, std::string_view name) {
  if (!IsValidTenantId(id)) {
    return InvalidInput("tenant id '" + std::string(id) +
                        "' is invalid: use 3 to 63 characters a-z, 0-9 and '-', not starting or ending with '-'");
  }
  Transaction txn(store);
  DB_ASSIGN_OR_RETURN(auto existing, txn.Get(keys::TenantRecord(id)));
  if (existing) return Conflict("tenant '" + std::string(id) + "' already exists");
  Tenant t{std::string(id), std::string(name), FormatRfc3339Millis(env.NowMillis())};
  txn.Put(keys::TenantRecord(id), TenantToJson(t).dump());
  DB_RETURN_IF_ERROR(txn.Commit());
  return t;
}

Result<Tenant> GetTenant(KvStore& store, std::string_view id) {
  if (!IsValidTenantId(id)) return NotFound("no tenant '" + std::string(id) + "'");
  DB_ASSIGN_OR_RETURN(auto raw, store.Get(keys::TenantRecord(id)));
  if (!raw) return NotFound("no tenant '" + std::string(id) + "'");
  DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(*raw));
  Tenant t;
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "id", "", &t.id));
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "name", "", &t.name));
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "created", "", &t.created));
  return t;
}

}  // namespace dirbridge
