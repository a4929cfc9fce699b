// What the admin module's test continuation ("test.record", functions/admin/
// effects_api.h) records for the end-to-end tests, at t/{t}/testfx/{note}. Here
// because functions never name store keys.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "core/result.h"
#include "store/kv_store.h"
#include "store/transaction.h"

namespace dirbridge::effects {

void PutTestRecord(Transaction& txn, std::string_view tenant, std::string_view note, const nlohmann::json& record);
Result<std::optional<nlohmann::json>> GetTestRecord(KvStore& store, std::string_view tenant, std::string_view note);

}  // namespace dirbridge::effects
