// What a Google Workspace connection remembers between calls (functions/gworkspace):
// its settings, its push channels, when its cached access token expires, the calls
// waiting for a token, its status and its reconcile run. Each is a small JSON record
// named by a kind and a name, kept in the tenant's storage; the module never sees a
// store key. Reads see the transaction's own writes.
//
//   kind        name                 record
//   settings    current              admin email, customer, scope, push origin, key identity
//   channel     {channel id}         one push channel (users.watch event or activities)
//   current     {event|activities}   the id of the channel now serving that stream
//   token       current              {"expires", "requested"}: the sealed token's expiry, and
//                                    when a token request was last sent (one in flight)
//   wait        {time-ordered id}    a Google call waiting for a token
//   status      current              counters and last errors, for the admin
//   reconcile   current              the full sync in progress, or the last one's report
//   seen        {google user id}     the reconcile run that last saw that user
//   mseen       {group id}/{email}   the reconcile run that last saw that membership
//   gemail      {group email}        the group's Google id (activities name groups by email)
//   gseen       {group id}           a group this connection saw: {"run"} of the reconcile
//                                    that listed it, or {"at"} when a push fetched it
//   inscope     {google user id}     a member of the scope group: {"run"} when a reconcile
//                                    listed it, {"at"} when a push check found it
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "store/transaction.h"

namespace dirbridge {

class GoogleConnectionState {
 public:
  GoogleConnectionState(Transaction& txn, std::string tenant, std::string connection)
      : txn_(txn), tenant_(std::move(tenant)), connection_(std::move(connection)) {}

  // nullopt when absent; Corrupt when the stored text is not JSON.
  Result<std::optional<nlohmann::json>> Read(std::string_view kind, std::string_view name);
  void Write(std::string_view kind, std::string_view name, const nlohmann::json& record);
  void Remove(std::string_view kind, std::string_view name);
  // Up to `limit` records of `kind` whose names sort after `after_key` ("" from the
  // start), committed state only, as (opaque position, record); pass the last position
  // back as `after_key` for the next.
  Result<std::vector<std::pair<std::string, nlohmann::json>>> List(std::string_view kind, std::string_view after_key,
                                                                   std::size_t limit);
 private:
  Transaction& txn_;
  std::string tenant_;
  std::string connection_;
};

}  // namespace dirbridge
