#include "tenancy/hook_url_gate.h"

#include "crypto/base64.h"
#include "crypto/constant_time.h"
#include "crypto/hmac.h"
#include "tenancy/bearer_token.h"

namespace dirbridge {
namespace {

constexpr std::size_t kGateBytes = 16;

}  // namespace

std::string SignedHookGate(std::string_view key, std::string_view tenant, std::string_view connection) {
  const std::string gated = "dbg1." + std::string(tenant) + "." + std::string(connection);
  const crypto::Sha256Bytes mac = crypto::HmacSha256(key, gated);
  return crypto::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac.data()), kGateBytes));
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
