#include "tenancy/admin_auth.h"

#include "crypto/constant_time.h"
#include "crypto/sha256.h"
#include "tenancy/bearer_token.h"

namespace dirbridge {

Status AuthenticateAdmin(Env& env, std::string_view authorization_header) {
  auto configured = env.Config(kAdminTokenSetting);
  if (!configured || configured->empty()) {
    return Unavailable("the admin API is disabled: DIRBRIDGE_ADMIN_TOKEN is not set");
  }
  DB_ASSIGN_OR_RETURN(auto token, ExtractBearerToken(authorization_header));
  if (!crypto::ConstantTimeEquals(crypto::Sha256Hex(token), crypto::Sha256Hex(*configured))) {
    return Unauthorized("admin token is not valid");
  }
  return Status::Ok();
}

}  // namespace dirbridge
