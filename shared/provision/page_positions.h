// Where index paging (SCIM startIndex/count) resumes, kept in memory. A key-value
// store has no "skip N", so serving a page remembers where the next one starts; Okta's
// and OneLogin's imports walk in order (startIndex=1, 101, 201, ...), so each page then
// costs O(page). A position holds only while nothing was added to or removed from the
// collection: every create and delete bumps the collection's generation in the store
// (in its own batch), and a position noted under another generation is ignored.
//
// Positions live in the memory of the module instance, never in the store, so a GET
// writes nothing. A module instance serves one store (one Durable Object on Workers;
// the process's store under node:wasi), so tenant and collection name a position
// fully. The table is bounded: past kMaxPositions the oldest entries are dropped,
// which costs a later page a skip, never a wrong answer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace dirbridge {

class PagePositions {
 public:
  static constexpr std::size_t kMaxPositions = 4096;

  // The one table of this module instance.
  static PagePositions& OfThisInstance();

  std::optional<std::string> Find(std::string_view tenant, std::string_view collection, uint64_t generation,
                                  std::size_t start_index) const;
  void Note(std::string_view tenant, std::string_view collection, uint64_t generation, std::size_t start_index,
            std::string_view cursor);
  // Forgets every position (tests that reuse tenant names across stores call it).
  void Clear();
  std::size_t size() const;

 private:
  using Key = std::tuple<std::string, std::string, std::size_t>;  // tenant, collection, start index
  struct Position {
    uint64_t generation = 0;
    std::string cursor;
  };

  PagePositions() = default;

  std::map<Key, Position, std::less<>> positions_;
  std::deque<Key> order_;  // insertion order, for eviction
};

}  // namespace dirbridge
