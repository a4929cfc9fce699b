// What a connection that dirbridge runs itself (it watches the IdP: Google Workspace,
// Microsoft Graph) remembers between calls: small JSON records named by a kind and a
// name, kept in the tenant's storage, so a module never sees a store key. Reads see the
// transaction's own writes. The kinds are the module's (functions/gworkspace,
// functions/graph list theirs); two are common:
//
//   settings    current    what the admin API stored for the connection
//   status      current    counters and last errors, for the admin: one object per
//                          section ("token", "channels", ...)
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "store/transaction.h"

namespace dirbridge {

class ConnectionState {
 public:
  ConnectionState(Transaction& txn, std::string tenant, std::string connection)
      : txn_(&txn), tenant_(std::move(tenant)), connection_(std::move(connection)) {}

  const std::string& tenant() const { return tenant_; }
  const std::string& connection() const { return connection_; }
  Transaction& txn() const { return *txn_; }

  // nullopt when absent; Corrupt when the stored text is not JSON.
  Result<std::optional<nlohmann::json>> Read(std::string_view kind, std::string_view name);
  void Write(std::string_view kind, std::string_view name, const nlohmann::json& record);
  void Remove(std::string_view kind, std::string_view name);
  // Up to `limit` records of `kind` whose names sort after `after_key` ("" from the
  // start), committed state only, as (opaque position, record); pass the last position
  // back as `after_key` for the next.
  Result<std::vector<std::pair<std::string, nlohmann::json>>> List(std::string_view kind, std::string_view after_key,
                                                                   std::size_t limit);
  // Changes one section of the status record (an object, made if absent).
  Status UpdateStatus(std::string_view section, const std::function<void(nlohmann::json&)>& change);
  // Counts a failure in a section of the status: "failed" + 1, "lastError", "lastErrorAt".
  Status NoteError(std::string_view section, const std::string& why, int64_t now_ms);

 private:
  Transaction* txn_;
  std::string tenant_;
  std::string connection_;
};

}  // namespace dirbridge
