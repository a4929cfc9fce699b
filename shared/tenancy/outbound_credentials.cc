#include "tenancy/outbound_credentials.h"

#include "tenancy/google_service_account.h"
#include "tenancy/graph_client_assertion.h"
#include "tenancy/sealed_secrets.h"

namespace dirbridge {

Result<std::optional<std::string>> ResolveOutboundCredential(KvStore& store, Env& env, std::string_view tenant,
                                                             std::string_view connection, std::string_view name) {
  if (name == google::kAssertionCredential) return google::SignedAssertion(store, env, tenant, connection);
  if (name == graph_credentials::kAssertionCredential) {
    return graph_credentials::SignedClientAssertion(store, env, tenant, connection);
  }
  return ReadConnectionSecret(store, env, tenant, connection, name);
}

}  // namespace dirbridge
