#include "model/source_event.h"

namespace dirbridge {
namespace {

struct NamedKind {
  SourceEventKind kind;
  const char* name;
  SourceAspect aspect;
};
constexpr NamedKind kKinds[] = {
    {SourceEventKind::kUserStaged, "user.staged", SourceAspect::kUserStatus},
    {SourceEventKind::kUserActivated, "user.activated", SourceAspect::kUserStatus},
    {SourceEventKind::kUserSuspended, "user.suspended", SourceAspect::kUserStatus},
    {SourceEventKind::kUserDeleted, "user.deleted", SourceAspect::kUserStatus},
    {SourceEventKind::kUserProfileChanged, "user.profile_changed", SourceAspect::kUserProfile},
    {SourceEventKind::kUserAssigned, "user.assigned", SourceAspect::kUserAssignment},
    {SourceEventKind::kUserUnassigned, "user.unassigned", SourceAspect::kUserAssignment},
    {SourceEventKind::kGroupCreated, "group.created", SourceAspect::kGroupExistence},
    {SourceEventKind::kGroupDeleted, "group.deleted", SourceAspect::kGroupExistence},
    {SourceEventKind::kMemberAdded, "group.member_added", SourceAspect::kMembership},
    {SourceEventKind::kMemberRemoved, "group.member_removed", SourceAspect::kMembership},
};

}  // namespace

const char* SourceEventKindName(SourceEventKind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k.name;
  }
  return "unknown";
}

std::optional<SourceEventKind> SourceEventKindFromName(std::string_view name) {
  for (const auto& k : kKinds) {
    if (name == k.name) return k.kind;
  }
  return std::nullopt;
}

SourceAspect AspectOf(SourceEventKind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k.aspect;
  }
  return SourceAspect::kUserProfile;
}

bool IsUserEvent(SourceEventKind kind) {
  const SourceAspect a = AspectOf(kind);
  return a == SourceAspect::kUserStatus || a == SourceAspect::kUserProfile || a == SourceAspect::kUserAssignment ||
         a == SourceAspect::kMembership;
}

bool IsGroupEvent(SourceEventKind kind) {
  const SourceAspect a = AspectOf(kind);
  return a == SourceAspect::kGroupExistence || a == SourceAspect::kMembership;
}

}  // namespace dirbridge
