#include "provision/user_indexes.h"

#include <string>
#include <utility>
#include <vector>

#include "store/key_layout.h"

namespace dirbridge {
namespace {

// The index keys of a user, as (key, value) pairs.
using IndexEntries = std::vector<std::pair<std::string, std::string>>;

IndexEntries IndexEntriesOf(std::string_view tenant, const User& u) {
  IndexEntries out;
  out.emplace_back(keys::UserNameIndex(tenant, u.user_name), u.id);
  if (!u.external_id.empty()) out.emplace_back(keys::UserExternalIdIndex(tenant, u.external_id, u.id), "");
  for (const auto& e : u.emails) {
    if (!e.value.empty()) out.emplace_back(keys::UserEmailIndex(tenant, e.value, u.id), "");
  }
  return out;
}

}  // namespace

void RestageUserIndexes(Transaction& txn, std::string_view tenant, const User* before, const User* after) {
  const IndexEntries old_entries = before ? IndexEntriesOf(tenant, *before) : IndexEntries{};
  const IndexEntries new_entries = after ? IndexEntriesOf(tenant, *after) : IndexEntries{};
  auto contains = [](const IndexEntries& entries, const std::string& key) {
    for (const auto& [k, v] : entries) {
      if (k == key) return true;
    }
    return false;
  };
  for (const auto& [k, v] : old_entries) {
    if (!contains(new_entries, k)) txn.Delete(k);
  }
  for (const auto& [k, v] : new_entries) {
    if (!contains(old_entries, k)) txn.Put(k, v);
  }
}

}  // namespace dirbridge
