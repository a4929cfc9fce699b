#include "apply_events.h"

#include <algorithm>
#include <type_traits>

#include "core/ascii.h"
#include "provision/subject_clock.h"

namespace dirbridge::webhooks {
namespace {

bool IsFailure(const Error& e) {
  return e.kind == ErrorKind::kInternal || e.kind == ErrorKind::kCorrupt || e.kind == ErrorKind::kUnavailable;
}

EventResult Make(const CanonicalEvent& e, Outcome outcome, std::string detail = {}) {
  return EventResult{e.id, e.type_name, outcome, std::move(detail)};
}

std::string UserSubject(const EventUser& u) { return "user:" + ToLowerAscii(u.user_name); }
std::string GroupSubject(const EventGroup& g) { return "group:" + ToLowerAscii(g.display_name); }
std::string MemberSubject(const EventGroup& g, const EventUser& u) {
  return "member:" + ToLowerAscii(g.display_name) + "\n" + ToLowerAscii(u.user_name);
}

// Sets the attributes the event carries; leaves the rest as they are.
void EditUser(const EventUser& from, User& u) {
  if (from.external_id) u.external_id = *from.external_id;
  if (from.display_name) u.display_name = *from.display_name;
  if (from.given_name) u.name.given_name = *from.given_name;
  if (from.family_name) u.name.family_name = *from.family_name;
  if (from.email && !from.email->empty()) {
    bool present = false;
    for (const auto& e : u.emails) present = present || EqualsIgnoreCase(e.value, *from.email);
    if (!present) {
      for (auto& e : u.emails) {
        if (e.IsPrimary()) e.primary = false;
      }
      u.emails.insert(u.emails.begin(), TypedValue{*from.email, "work", "", true});
    }
  }
}

Result<std::optional<User>> FindUser(Directory& d, const std::string& user_name) {
  DB_ASSIGN_OR_RETURN(auto found, d.FindUsers(UserIndex::kUserName, user_name, 1));
  if (found.empty()) return std::optional<User>();
  return std::optional<User>(std::move(found.front()));
}

Result<std::optional<Group>> FindGroup(Directory& d, const std::string& name) {
  DB_ASSIGN_OR_RETURN(auto found, d.FindGroups(GroupIndex::kDisplayName, name, 2));
  if (found.empty()) return std::optional<Group>();
  return std::optional<Group>(std::move(found.front()));
}

// What a command's answer means for the event: the outcome, or a failure to pass up.
template <typename T>
Result<EventResult> Judge(const CanonicalEvent& e, const Result<T>& r, uint64_t version_before) {
  if (!r.ok()) {
    if (IsFailure(r.error())) return r.error();
    return Make(e, Outcome::kRejected, r.error().detail);
  }
  if constexpr (std::is_same_v<T, User> || std::is_same_v<T, Group>) {
    if (version_before != 0 && r->meta.version == version_before) return Make(e, Outcome::kUnchanged);
  }
  return Make(e, Outcome::kApplied);
}

Result<EventResult> JudgeStatus(const CanonicalEvent& e, const Status& s) {
  if (!s.ok()) {
    if (IsFailure(s.error())) return s.error();
    return Make(e, Outcome::kRejected, s.error().detail);
  }
  return Make(e, Outcome::kApplied);
}

Result<EventResult> ApplyUserEvent(Directory& d, const CanonicalEvent& e) {
  const EventUser& eu = *e.user;
  DB_ASSIGN_OR_RETURN(auto existing, FindUser(d, eu.user_name));
  switch (e.type) {
    case CanonicalType::kUserCreated: {
      if (existing) {
        // The same person from another source (or a redelivery): one user.
        const uint64_t before = existing->meta.version;
        auto r = d.UpdateUser(existing->id, [&](User& u) { EditUser(eu, u); return Status::Ok(); }, std::nullopt);
        return Judge(e, r, before);
      }
      User u;
      u.user_name = eu.user_name;
      EditUser(eu, u);
      return Judge(e, d.CreateUser(std::move(u)), 0);
    }
    case CanonicalType::kUserUpdated: {
      if (!existing) return Make(e, Outcome::kSkipped, "no user with this userName");
      const uint64_t before = existing->meta.version;
      auto r = d.UpdateUser(existing->id, [&](User& u) { EditUser(eu, u); return Status::Ok(); }, std::nullopt);
      return Judge(e, r, before);
    }
    case CanonicalType::kUserSuspended:
    case CanonicalType::kUserReactivated: {
      if (!existing) return Make(e, Outcome::kSkipped, "no user with this userName");
      const bool active = e.type == CanonicalType::kUserReactivated;
      if (existing->active == active) return Make(e, Outcome::kUnchanged);
      return Judge(e, d.SetUserActive(existing->id, active, std::nullopt), existing->meta.version);
    }
    case CanonicalType::kUserDeleted: {
      if (!existing) return Make(e, Outcome::kSkipped, "no user with this userName");
      return JudgeStatus(e, d.DeleteUser(existing->id, std::nullopt));
    }
    default:
      return Internal("not a user event");
  }
}

Result<EventResult> ApplyGroupEvent(Directory& d, const CanonicalEvent& e) {
  const EventGroup& eg = *e.group;
  DB_ASSIGN_OR_RETURN(auto existing, FindGroup(d, eg.display_name));
  switch (e.type) {
    case CanonicalType::kGroupCreated: {
      if (existing) {
        if (!eg.external_id || *eg.external_id == existing->external_id) return Make(e, Outcome::kUnchanged);
        const uint64_t before = existing->meta.version;
        auto r = d.UpdateGroup(
            existing->id,
            [&](Group& g, MembershipChange&) {
              g.external_id = *eg.external_id;
              return Status::Ok();
            },
            std::nullopt);
        return Judge(e, r, before);
      }
      Group g;
      g.display_name = eg.display_name;
      if (eg.external_id) g.external_id = *eg.external_id;
      return Judge(e, d.CreateGroup(std::move(g), {}), 0);
    }
    case CanonicalType::kGroupDeleted: {
      if (!existing) return Make(e, Outcome::kSkipped, "no group with this displayName");
      return JudgeStatus(e, d.DeleteGroup(existing->id, std::nullopt));
    }
    case CanonicalType::kGroupMemberAdded:
    case CanonicalType::kGroupMemberRemoved: {
      if (!existing) return Make(e, Outcome::kSkipped, "no group with this displayName");
      DB_ASSIGN_OR_RETURN(auto user, FindUser(d, e.user->user_name));
      if (!user) return Make(e, Outcome::kSkipped, "no user with this userName");
      MembershipChange change;
      if (e.type == CanonicalType::kGroupMemberAdded) {
        change.add.push_back(MemberRef{user->id, user->display_name});
      } else {
        change.remove.push_back(user->id);
      }
      return Judge(e, d.ChangeMembership(existing->id, std::move(change), std::nullopt), existing->meta.version);
    }
    default:
      return Internal("not a group event");
  }
}

std::string SubjectOf(const CanonicalEvent& e) {
  switch (e.type) {
    case CanonicalType::kGroupCreated:
    case CanonicalType::kGroupDeleted:
      return GroupSubject(*e.group);
    case CanonicalType::kGroupMemberAdded:
    case CanonicalType::kGroupMemberRemoved:
      return MemberSubject(*e.group, *e.user);
    default:
      return UserSubject(*e.user);
  }
}

bool IsDeletion(CanonicalType t) { return t == CanonicalType::kUserDeleted || t == CanonicalType::kGroupDeleted; }

}  // namespace

const char* OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kApplied: return "applied";
    case Outcome::kUnchanged: return "unchanged";
    case Outcome::kStale: return "stale";
    case Outcome::kSkipped: return "skipped";
    case Outcome::kIgnored: return "ignored";
    case Outcome::kRejected: return "rejected";
  }
  return "ignored";
}

Result<std::vector<EventResult>> ApplyEvents(Directory& directory, KvStore& store, const std::string& tenant,
                                             std::vector<CanonicalEvent> events) {
  // Oldest first; a delivery's own order breaks ties.
  // (Events of unknown types carry no time: 0, first; they are ignored anyway.)
  std::stable_sort(events.begin(), events.end(), [](const CanonicalEvent& a, const CanonicalEvent& b) {
    return a.occurred_at_ms < b.occurred_at_ms;
  });
  std::vector<EventResult> out;
  out.reserve(events.size());
  for (const auto& e : events) {
    if (e.type == CanonicalType::kUnknown) {
      out.push_back(Make(e, Outcome::kIgnored, "unknown event type"));
      continue;
    }
    const std::string subject = SubjectOf(e);
    DB_ASSIGN_OR_RETURN(auto clock, SubjectClock(store, tenant, subject));
    if (clock && *clock > e.occurred_at_ms) {
      out.push_back(Make(e, Outcome::kStale, "a newer change to this subject was applied already"));
      continue;
    }
    const bool is_user = e.type == CanonicalType::kUserCreated || e.type == CanonicalType::kUserUpdated ||
                         e.type == CanonicalType::kUserSuspended || e.type == CanonicalType::kUserReactivated ||
                         e.type == CanonicalType::kUserDeleted;
    DB_ASSIGN_OR_RETURN(auto result, is_user ? ApplyUserEvent(directory, e) : ApplyGroupEvent(directory, e));
    const bool advance = result.outcome == Outcome::kApplied || result.outcome == Outcome::kUnchanged ||
                         (result.outcome == Outcome::kSkipped && IsDeletion(e.type));
    if (advance) DB_RETURN_IF_ERROR(AdvanceSubjectClock(store, tenant, subject, e.occurred_at_ms, e.id));
    out.push_back(std::move(result));
  }
  return out;
}

HookCounts CountResults(const std::vector<EventResult>& results) {
  HookCounts c;
  c.events = results.size();
  for (const auto& r : results) {
    switch (r.outcome) {
      case Outcome::kApplied: ++c.applied; break;
      case Outcome::kUnchanged: ++c.unchanged; break;
      case Outcome::kStale: ++c.stale; break;
      case Outcome::kSkipped: ++c.skipped; break;
      case Outcome::kIgnored: ++c.unknown_types; break;
      case Outcome::kRejected: ++c.rejected; break;
    }
  }
  return c;
}

}  // namespace dirbridge::webhooks
