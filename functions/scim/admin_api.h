// The operator's admin API (tenant storage stage): tenants, connections, events.
#pragma once

#include <string>
#include <vector>

#include "core/env.h"
#include "core/http_message.h"
#include "store/kv_store.h"

namespace dirbridge::scim_function {

HttpResponse HandleAdmin(const HttpRequest& request, const std::vector<std::string>& segments, KvStore& store,
                         Env& env);

}  // namespace dirbridge::scim_function
