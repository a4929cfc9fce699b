// Internal to the engine: how users and groups are read from and written to a
// request's Transaction, in the text layout of store/record_text.h, and the checks
// every command shares. A record that does not parse is a `corrupt` error (a 500
// that blames the store), never a 400 that would blame the request.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "model/group.h"
#include "model/record_text.h"
#include "model/user.h"
#include "store/kv_store.h"
#include "store/transaction.h"

namespace dirbridge::stored {

Result<std::optional<User>> LoadUser(Transaction& txn, std::string_view tenant, std::string_view id);
Result<std::optional<Group>> LoadGroup(Transaction& txn, std::string_view tenant, std::string_view id);
// Stage a record; 400 when its text is over kMaxRecordBytes (provision/record_limits.h).
Status PutUser(Transaction& txn, std::string_view tenant, const User& user);
Status PutGroup(Transaction& txn, std::string_view tenant, const Group& group);

Result<User> UserFromText(std::string_view text, std::string_view id);
Result<Group> GroupFromText(std::string_view text, std::string_view id);
// The typed text view of a stored record (store/record_text.h), keeping the text;
// corrupt when the text is not in that layout.
Result<RecordText> RecordTextOf(std::string text, std::string_view id);

// 412 when `expected` is set and differs from `actual`.
Status CheckVersion(std::optional<uint64_t> expected, uint64_t actual);

}  // namespace dirbridge::stored
