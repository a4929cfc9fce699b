#include "tenancy/hook_url_gate.h"

#include "crypto/constant_time.h"
#include "tenancy/bearer_token.h"

namespace dirbridge {

std::string SignedHookGate(std::string_view key, std::string_view tenant, std::string_view connection) {
  return TokenMac(key, "dbg1." + std::string(tenant) + "." + std::string(connection));
}

bool SignedHookGateHolds(std::string_view key, std::string_view tenant, std::string_view connection,
                         std::string_view gate) {
  return crypto::ConstantTimeEquals(SignedHookGate(key, tenant, connection), gate);
}

Result<std::string> TenantSignedHookUrl(Env& env, std::string_view origin, std::string_view tenant,
                                        std::string_view connection) {
  DB_ASSIGN_OR_RETURN(auto key, TokenKey(env));
  return std::string(origin) + "/t/" + std::string(tenant) + "/hooks/signed/" + std::string(connection) + "/" +
         SignedHookGate(key, tenant, connection);
}

}  // namespace dirbridge
