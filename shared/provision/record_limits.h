// Bounds on what one user or group may hold, checked by the engine before anything is
// written, whatever the source. They keep every index key, record and request small
// (a 1 MB userName would otherwise become a 1 MB key; 10,000 emails 10,000 index
// keys) and are far above what any directory holds:
//   kMaxIndexedValueBytes   userName, externalId, an email value, a group's
//                           displayName: each becomes part of an index key
//   kMaxValueBytes          any other string attribute
//   kMaxValuesPerAttribute  values of one multi-valued attribute (emails, roles, ...)
//   kMaxRecordBytes         the stored record as a whole
// Over a bound: 400 invalidValue naming the attribute, its size and the limit.
#pragma once

#include <cstddef>

#include "core/result.h"
#include "model/group.h"
#include "model/user.h"

namespace dirbridge {

inline constexpr std::size_t kMaxIndexedValueBytes = 512;
inline constexpr std::size_t kMaxValueBytes = 4096;
inline constexpr std::size_t kMaxValuesPerAttribute = 100;
inline constexpr std::size_t kMaxRecordBytes = 64 * 1024;

Status CheckUserLimits(const User& user);
Status CheckGroupLimits(const Group& group);
// The encoded size of a record about to be stored.
Status CheckRecordSize(std::string_view what, std::size_t bytes);

}  // namespace dirbridge
