// The lookups the store keeps an index for, in one list. Adapters name an index by
// its enum; the SCIM filter planner learns from this table which attribute paths a
// plain equality may answer from an index (scim::FindIndexedEquality).
//
//   users   id, userName (unique, case-insensitive), externalId, emails.value
//           (case-insensitive)
//   groups  id, displayName (case-insensitive), externalId
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace dirbridge {

enum class UserIndex { kId, kUserName, kExternalId, kEmail };
enum class GroupIndex { kId, kDisplayName, kExternalId };

template <typename Index>
struct IndexedAttribute {
  std::string_view path;  // the attribute path, as SCIM filters name it
  Index index;
};

inline constexpr std::array<IndexedAttribute<UserIndex>, 4> kUserIndexes = {{
    {"id", UserIndex::kId},
    {"userName", UserIndex::kUserName},
    {"externalId", UserIndex::kExternalId},
    {"emails.value", UserIndex::kEmail},
}};

inline constexpr std::array<IndexedAttribute<GroupIndex>, 3> kGroupIndexes = {{
    {"id", GroupIndex::kId},
    {"displayName", GroupIndex::kDisplayName},
    {"externalId", GroupIndex::kExternalId},
}};

// The attribute paths of a table, for the SCIM filter planner (scim::FindIndexedEquality).
template <typename Index, std::size_t N>
constexpr std::array<std::string_view, N> PathsOf(const std::array<IndexedAttribute<Index>, N>& table) {
  std::array<std::string_view, N> paths{};
  for (std::size_t i = 0; i < N; ++i) paths[i] = table[i].path;
  return paths;
}
inline constexpr auto kUserIndexedPaths = PathsOf(kUserIndexes);
inline constexpr auto kGroupIndexedPaths = PathsOf(kGroupIndexes);

// The index for an attribute path spelled as in the table, or nullopt.
template <typename Index, std::size_t N>
constexpr std::optional<Index> IndexFor(const std::array<IndexedAttribute<Index>, N>& table, std::string_view path) {
  for (const auto& entry : table) {
    if (entry.path == path) return entry.index;
  }
  return std::nullopt;
}

}  // namespace dirbridge
