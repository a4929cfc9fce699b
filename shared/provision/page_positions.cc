#include "provision/page_positions.h"

namespace dirbridge {

PagePositions& PagePositions::OfThisInstance() {
  static PagePositions* positions = new PagePositions;  // never destroyed: lives as long as the instance
  return *positions;
}

std::optional<std::string> PagePositions::Find(std::string_view tenant, std::string_view collection,
                                               uint64_t generation, std::size_t start_index) const {
  auto it = positions_.find(Key{std::string(tenant), std::string(collection), start_index});
  if (it == positions_.end() || it->second.generation != generation) return std::nullopt;
  return it->second.cursor;
}

void PagePositions::Note(std::string_view tenant, std::string_view collection, uint64_t generation,
                         std::size_t start_index, std::string_view cursor) {
  Key key{std::string(tenant), std::string(collection), start_index};
  auto [it, inserted] = positions_.insert_or_assign(key, Position{generation, std::string(cursor)});
  if (!inserted) return;
  order_.push_back(std::move(key));
  while (order_.size() > kMaxPositions) {
    positions_.erase(order_.front());
    order_.pop_front();
  }
}

void PagePositions::Clear() {
  positions_.clear();
  order_.clear();
}

std::size_t PagePositions::size() const { return positions_.size(); }

}  // namespace dirbridge
