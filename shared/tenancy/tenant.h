// Tenants: one customer organisation each, isolated by the "t/{tenant}/" prefix of
// every key. A tenant id is a slug ([a-z0-9-], 3..63 characters) chosen by the
// admin or generated, so it can be used in URLs and as a Durable Object name.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/result.h"
#include "store/kv_store.h"

namespace dirbridge {

struct Tenant {
  std::string id;
  std::string name;
  std::string created;
};

bool IsValidTenantId(std::string_view id);
// A fresh tenant id ("t-" + 16 hex digits) from the host's randomness.
std::string NewTenantId(Env& env);
// "{origin}/t/{tenant}/scim/v2": where the tenant's SCIM service is mounted (the
// router routes that prefix to the scim module; connections hand it to the IdP).
std::string TenantScimBaseUrl(std::string_view origin, std::string_view tenant);

// "{origin}/t/{tenant}/hooks/okta/{connection}": where an Okta Event Hook delivers.
std::string TenantOktaHookUrl(std::string_view origin, std::string_view tenant, std::string_view connection);

// 409 when the tenant exists already.
Result<Tenant> CreateTenant(KvStore& store, Env& env, std::string_view id, std::string_view name);
// 404 when there is no such tenant.
Result<Tenant> GetTenant(KvStore& store, std::string_view id);

nlohmann::json TenantToJson(const Tenant& tenant);

}  // namespace dirbridge
