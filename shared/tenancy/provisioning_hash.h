// The provisioning secret of a custom API connection (functions/custom_api, the
// LastPass-compatible API): the "provhash" a customer's script sends in every request
// body. It is 32 random bytes as 64 lowercase hex digits, made when a `custom`
// connection is created (tenancy/connection.h) or rotated, and shown once. The store
// keeps only its SHA-256: on the connection record ("provhashSha256") and as an index
// key from that hash to the connection, so authenticating a request is one index read
// and one record read, then a constant-time comparison of the hashes. Rotating writes
// a new hash and index key and deletes the old index key in one batch: the old
// provhash stops working at once.
#pragma once

#include <string>
#include <string_view>

#include "core/env.h"
#include "core/result.h"
#include "store/transaction.h"
#include "tenancy/connection.h"

namespace dirbridge {

// Longer provhashes are refused before anything is hashed or read.
inline constexpr std::size_t kMaxProvisioningHashBytes = 128;

// A new provisioning hash (64 hex digits).
std::string NewProvisioningHash(Env& env);

// Stages the index key for `provhash` of `connection_id` in `txn` and returns the hash
// to keep on the connection record.
std::string StageProvisioningHash(Transaction& txn, std::string_view tenant, std::string_view connection_id,
                                  std::string_view provhash);

// The custom connection whose provisioning hash `provhash` is. 401 otherwise, with a
// reason that never echoes it.
Result<Connection> AuthenticateProvisioningHash(KvStore& store, std::string_view tenant, std::string_view provhash);

}  // namespace dirbridge
