// Directory: listing in creation order, counts and index-paging positions
// (provision/directory.h). Ids are UUIDv7, so key order is creation order.
#include "provision/directory.h"
#include "provision/page_positions.h"
#include "provision/stored_records.h"
#include "store/counter.h"
#include "store/key_layout.h"

namespace dirbridge {
namespace {

const char* CollectionName(Collection c) { return c == Collection::kUsers ? "users" : "groups"; }

std::string RecordPrefix(std::string_view tenant, Collection c) {
  return c == Collection::kUsers ? keys::UserPrefix(tenant) : keys::GroupPrefix(tenant);
}

std::string RecordKey(std::string_view tenant, Collection c, std::string_view id) {
  return c == Collection::kUsers ? keys::User(tenant, id) : keys::Group(tenant, id);
}

// Up to `limit` stored records after the one with id `after`.
Result<std::vector<KvEntry>> ListRecords(KvStore& store, std::string_view tenant, Collection c, std::string_view after,
                                         std::size_t limit) {
  const std::string start_after = after.empty() ? std::string() : RecordKey(tenant, c, after);
  return store.List(RecordPrefix(tenant, c), start_after, limit);
}

// Reads each listed record with `read` into a page (`read` may keep the text).
template <typename T, typename Read>
Result<Page<T>> PageOf(std::vector<KvEntry> entries, std::size_t limit, Read read) {
  Page<T> page;
  page.items.reserve(entries.size());
  for (auto& e : entries) {
    DB_ASSIGN_OR_RETURN(auto item, read(std::move(e.value), keys::LastSegment(e.key)));
    page.items.push_back(std::move(item));
  }
  if (entries.size() == limit && !entries.empty()) page.next_cursor = std::string(keys::LastSegment(entries.back().key));
  return page;
}

}  // namespace

Result<uint64_t> Directory::Count(Collection c) {
  return ReadCounter(store_, c == Collection::kUsers ? keys::UserCount(tenant_) : keys::GroupCount(tenant_));
}

Result<Page<User>> Directory::Users(std::string_view after, std::size_t limit) {
  DB_ASSIGN_OR_RETURN(auto entries, ListRecords(store_, tenant_, Collection::kUsers, after, limit));
  return PageOf<User>(std::move(entries), limit, stored::UserFromText);
}

Result<Page<Group>> Directory::Groups(std::string_view after, std::size_t limit) {
  DB_ASSIGN_OR_RETURN(auto entries, ListRecords(store_, tenant_, Collection::kGroups, after, limit));
  return PageOf<Group>(std::move(entries), limit, stored::GroupFromText);
}

Result<Page<RecordText>> Directory::Texts(Collection c, std::string_view after, std::size_t limit) {
  DB_ASSIGN_OR_RETURN(auto entries, ListRecords(store_, tenant_, c, after, limit));
  return PageOf<RecordText>(std::move(entries), limit, stored::RecordTextOf);
}

Result<std::optional<std::string>> Directory::CursorAt(Collection c, std::size_t start_index) {
  if (start_index <= 1) return std::optional<std::string>(std::string());
  DB_ASSIGN_OR_RETURN(uint64_t generation,
                      ReadCounter(store_, keys::CollectionGeneration(tenant_, CollectionName(c))));
  if (auto known = PagePositions::OfThisInstance().Find(tenant_, CollectionName(c), generation, start_index)) {
    return std::optional<std::string>(std::move(*known));
  }
  std::size_t to_skip = start_index - 1;
  if (to_skip > kMaxSkippedResources) {
    return InvalidInput("startIndex " + std::to_string(start_index) + " is more than " +
                            std::to_string(kMaxSkippedResources) +
                            " resources ahead of any page this collection has served in order; walk the pages in "
                            "order or page with 'cursor'",
                        "tooMany");
  }
  std::string cursor;
  while (to_skip > 0) {
    DB_ASSIGN_OR_RETURN(auto entries, ListRecords(store_, tenant_, c, cursor, to_skip));
    if (entries.empty()) return std::optional<std::string>();  // past the end
    cursor = std::string(keys::LastSegment(entries.back().key));
    to_skip -= entries.size();
  }
  return std::optional<std::string>(std::move(cursor));
}

Status Directory::NotePosition(Collection c, std::size_t start_index, std::string_view cursor) {
  DB_ASSIGN_OR_RETURN(uint64_t generation,
                      ReadCounter(store_, keys::CollectionGeneration(tenant_, CollectionName(c))));
  PagePositions::OfThisInstance().Note(tenant_, CollectionName(c), generation, start_index, cursor);
  return Status::Ok();
}

}  // namespace dirbridge
