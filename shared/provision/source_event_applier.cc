#include "provision/source_event_applier.h"

#include <algorithm>
#include <optional>
#include <set>

#include "core/ascii.h"
#include "core/http_message.h"
#include "core/json_input.h"
#include "core/timestamp.h"
#include "provision/directory.h"
#include "store/expiring_ids.h"
#include "store/key_layout.h"
#include "store/transaction.h"

namespace dirbridge {

using nlohmann::json;

const char* SourceOutcomeName(SourceOutcome outcome) {
  switch (outcome) {
    case SourceOutcome::kApplied:
      return "applied";
    case SourceOutcome::kUnchanged:
      return "unchanged";
    case SourceOutcome::kDuplicate:
      return "duplicate";
    case SourceOutcome::kStale:
      return "stale";
    case SourceOutcome::kUnknownUser:
      return "unknownUser";
    case SourceOutcome::kUnknownGroup:
      return "unknownGroup";
    case SourceOutcome::kOutOfScope:
      return "outOfScope";
    case SourceOutcome::kRejected:
      return "rejected";
    case SourceOutcome::kIgnored:
      return "ignored";
    case SourceOutcome::kInvalid:
      return "invalid";
  }
  return "unknown";
}

namespace {

bool IsServerSide(const Error& e) { return HttpStatusFor(e.kind) >= 500; }

// A register: the JSON kept per source subject (store/key_layout.h, src/...).
Result<json> LoadRegister(Transaction& txn, const std::string& key) {
  DB_ASSIGN_OR_RETURN(auto raw, txn.Get(key));
  if (!raw) return json::object();
  DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(*raw));
  if (!doc.is_object()) return Corrupt("source register " + key + " is not an object");
  return doc;
}

int64_t ClaimAt(const json& reg, const char* aspect) {
  auto it = reg.find(aspect);
  if (it == reg.end() || !it->is_object()) return -1;
  auto at = it->find("at");
  return at != it->end() && at->is_number_integer() ? at->get<int64_t>() : -1;
}

std::optional<std::string> ClaimString(const json& reg, const char* aspect) {
  auto it = reg.find(aspect);
  if (it == reg.end() || !it->is_object()) return std::nullopt;
  auto v = it->find("v");
  if (v == it->end() || !v->is_string()) return std::nullopt;
  return v->get<std::string>();
}

std::optional<bool> ClaimBool(const json& reg, const char* aspect) {
  auto it = reg.find(aspect);
  if (it == reg.end() || !it->is_object()) return std::nullopt;
  auto v = it->find("v");
  if (v == it->end() || !v->is_boolean()) return std::nullopt;
  return v->get<bool>();
}

std::string StringOf(const json& reg, const char* name) {
  auto it = reg.find(name);
  return it != reg.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const char* AspectName(SourceAspect a) {
  switch (a) {
    case SourceAspect::kUserStatus:
      return "status";
    case SourceAspect::kUserProfile:
      return "profile";
    case SourceAspect::kUserAssignment:
      return "assigned";
    case SourceAspect::kGroupExistence:
      return "exists";
    case SourceAspect::kMembership:
      return "member";
  }
  return "other";
}

const char* StatusValue(SourceEventKind k) {
  switch (k) {
    case SourceEventKind::kUserStaged:
      return "staged";
    case SourceEventKind::kUserActivated:
      return "active";
    case SourceEventKind::kUserSuspended:
      return "suspended";
    case SourceEventKind::kUserDeleted:
      return "deleted";
    default:
      return "";
  }
}

struct Outcome {
  SourceOutcome outcome = SourceOutcome::kUnchanged;
  std::string detail;
};

// A profile claim: sets each attribute the subject gives (see the header).
void EditProfile(const SourceSubject& s, User& u) {
  if (!s.login.empty() && !EqualsIgnoreCase(u.user_name, s.login)) u.user_name = s.login;
  if (!s.display_name.empty()) u.display_name = s.display_name;
  if (!s.given_name.empty()) u.name.given_name = s.given_name;
  if (!s.family_name.empty()) u.name.family_name = s.family_name;
  if (!s.external_id.empty()) u.external_id = s.external_id;
  if (s.email.empty()) return;
  for (const auto& e : u.emails) {
    if (EqualsIgnoreCase(e.value, s.email)) return;
  }
  for (auto& e : u.emails) {
    if (e.IsPrimary()) e.primary = false;
  }
  u.emails.insert(u.emails.begin(), TypedValue{s.email, "work", "", true});
}

// What one directory command did to an event: applied, or rejected when the
// directory refused it; an error of the store or the host (5xx) fails the batch.
Result<Outcome> AppliedUnlessRefused(const Status& s) {
  if (s.ok()) return Outcome{SourceOutcome::kApplied, ""};
  if (IsServerSide(s.error())) return s.error();
  return Outcome{SourceOutcome::kRejected, s.error().detail};
}

}  // namespace

struct SourceEventApplier::Impl {
  KvStore& store;
  Env& env;
  const std::string& tenant;
  const ChangeSource& source;
  const SourceApplyOptions& options;
  Directory directory;

  const std::string& conn() const { return source.connection_id; }
  bool app_scoped() const { return !options.app_id.empty(); }

  // The externalId a source subject has: the one it states, else its permanent id.
  std::string ExternalIdOf(const SourceSubject& s) const {
    if (!s.external_id.empty()) return s.external_id;
    return options.permanent_source_ids ? s.source_id : std::string();
  }

  // Whether the deletion `reg` records (its `aspect` says "deleted") rules out a claim
  // made at `at`: always when ids are permanent, else when the claim is not newer.
  bool DeletedFor(const json& reg, const char* aspect, int64_t at) const {
    if (ClaimString(reg, aspect) != "deleted") return false;
    return options.permanent_source_ids || ClaimAt(reg, aspect) >= at;
  }

  // What the registers say the user's `active` should be; nullopt: no opinion.
  std::optional<bool> WantActive(const json& reg) const {
    const auto status = ClaimString(reg, "status");
    const auto assigned = ClaimBool(reg, "assigned");
    if (app_scoped() && assigned == false) return false;
    if (status == "suspended" || status == "staged") return false;
    if (status == "active") return true;
    if (app_scoped() && assigned == true) return true;
    return std::nullopt;
  }

  // The directory's user for a source user (see the matching rules in the header).
  // Sets reg["dir"] to the user found, erases a link whose user is gone.
  Result<std::optional<User>> ResolveUser(json& reg, const SourceSubject& s) {
    if (const std::string linked = StringOf(reg, "dir"); !linked.empty()) {
      auto u = directory.GetUser(linked);
      if (u.ok()) return std::optional<User>(std::move(*u));
      if (u.error().kind != ErrorKind::kNotFound) return u.error();
      reg.erase("dir");
    }
    std::optional<User> found;
    if (const std::string external_id = ExternalIdOf(s); !external_id.empty()) {
      DB_ASSIGN_OR_RETURN(auto hits, directory.FindUsers(UserIndex::kExternalId, external_id, 2));
      if (hits.size() == 1) found = std::move(hits[0]);
    }
    if (!found && !s.login.empty()) {
      DB_ASSIGN_OR_RETURN(auto hits, directory.FindUsers(UserIndex::kUserName, s.login, 1));
      if (hits.size() == 1) found = std::move(hits[0]);
    }
    if (!found && !s.email.empty()) {
      DB_ASSIGN_OR_RETURN(auto hits, directory.FindUsers(UserIndex::kEmail, s.email, 2));
      if (hits.size() == 1) found = std::move(hits[0]);
    }
    if (found) reg["dir"] = found->id;
    return found;
  }

  Result<std::optional<Group>> ResolveGroup(json& reg, const SourceSubject& s) {
    if (const std::string linked = StringOf(reg, "dir"); !linked.empty()) {
      auto g = directory.GetGroup(linked);
      if (g.ok()) return std::optional<Group>(std::move(*g));
      if (g.error().kind != ErrorKind::kNotFound) return g.error();
      reg.erase("dir");
    }
    std::optional<Group> found;
    if (const std::string external_id = ExternalIdOf(s); !external_id.empty()) {
      DB_ASSIGN_OR_RETURN(auto hits, directory.FindGroups(GroupIndex::kExternalId, external_id, 2));
      if (hits.size() == 1) found = std::move(hits[0]);
    }
    if (!found && !s.display_name.empty()) {
      DB_ASSIGN_OR_RETURN(auto hits, directory.FindGroups(GroupIndex::kDisplayName, s.display_name, 2));
      if (hits.size() == 1) found = std::move(hits[0]);
    }
    if (found) reg["dir"] = found->id;
    return found;
  }

  // Creates the group a claim names.
  Result<Group> CreateGroupFor(json& reg, const SourceSubject& s) {
    Group g;
    g.display_name = s.display_name.empty() ? s.source_id : s.display_name;
    g.external_id = ExternalIdOf(s);
    DB_ASSIGN_OR_RETURN(auto created, directory.CreateGroup(std::move(g), {}));
    reg["dir"] = created.id;
    return created;
  }

  static std::string MemberDisplay(const User& u) { return u.display_name.empty() ? u.user_name : u.display_name; }

  // Adds (or removes) `user` to the group; whether the group changed.
  Result<bool> ChangeMember(const Group& group, const User& user, bool add) {
    MembershipChange change;
    if (add) {
      change.add.push_back(MemberRef{user.id, MemberDisplay(user)});
    } else {
      change.remove.push_back(user.id);
    }
    DB_ASSIGN_OR_RETURN(auto after, directory.ChangeMembership(group.id, std::move(change), std::nullopt));
    return after.meta.version != group.meta.version;
  }

  // Applies the memberships remembered for a source user who just appeared.
  Status ReplayMemberships(Transaction& txn, const std::string& user_source_id, const User& user, bool* changed) {
    DB_ASSIGN_OR_RETURN(
        auto entries, txn.List(keys::SourceMemberPrefix(tenant, conn(), user_source_id), "", kMaxReplayedMemberships));
    for (const auto& e : entries) {
      DB_ASSIGN_OR_RETURN(auto m, ParseRecordJson(e.value));
      if (!m.is_object() || ClaimBool(m, "member") != true) continue;
      SourceSubject gs;
      gs.source_id = StringOf(m, "group");
      gs.display_name = StringOf(m, "name");
      gs.external_id = StringOf(m, "ext");
      if (gs.source_id.empty()) continue;
      const std::string gkey = keys::SourceGroup(tenant, conn(), gs.source_id);
      DB_ASSIGN_OR_RETURN(auto greg, LoadRegister(txn, gkey));
      if (ClaimString(greg, "exists") == "deleted") continue;
      DB_ASSIGN_OR_RETURN(auto group, ResolveGroup(greg, gs));
      if (!group) {
        auto created = CreateGroupFor(greg, gs);
        if (!created.ok()) {
          if (IsServerSide(created.error())) return created.error();
          continue;
        }
        group = std::move(*created);
      }
      txn.Put(gkey, greg.dump());
      auto c = ChangeMember(*group, user, true);
      if (!c.ok()) {
        if (IsServerSide(c.error())) return c.error();
        continue;
      }
      if (*c) *changed = true;
    }
    return Status::Ok();
  }

  Result<Outcome> ApplyUser(Transaction& txn, const SourceEvent& e) {
    const std::string key = keys::SourceUser(tenant, conn(), e.user.source_id);
    DB_ASSIGN_OR_RETURN(auto reg, LoadRegister(txn, key));
    if (ClaimString(reg, "status") == "deleted" && e.kind == SourceEventKind::kUserDeleted) {
      return Outcome{SourceOutcome::kUnchanged, "already deleted"};
    }
    if (DeletedFor(reg, "status", e.published_ms)) {
      return Outcome{SourceOutcome::kStale, "the user was deleted at the source"};
    }
    const char* aspect = AspectName(AspectOf(e.kind));
    if (ClaimAt(reg, aspect) > e.published_ms) {
      return Outcome{SourceOutcome::kStale, std::string("a newer ") + aspect + " event was applied"};
    }
    if (e.kind == SourceEventKind::kUserAssigned || e.kind == SourceEventKind::kUserUnassigned) {
      reg[aspect] = {{"at", e.published_ms}, {"v", e.kind == SourceEventKind::kUserAssigned}};
    } else if (AspectOf(e.kind) == SourceAspect::kUserStatus) {
      reg[aspect] = {{"at", e.published_ms}, {"v", StatusValue(e.kind)}};
    } else {
      reg[aspect] = {{"at", e.published_ms}};
    }
    // A status claim with a profile states the profile too, unless a newer one did.
    const bool with_profile =
        e.with_profile && AspectOf(e.kind) == SourceAspect::kUserStatus && ClaimAt(reg, "profile") <= e.published_ms;
    if (with_profile) reg["profile"] = {{"at", e.published_ms}};
    const bool sets_profile = with_profile || e.kind == SourceEventKind::kUserProfileChanged;
    const bool was_linked = !StringOf(reg, "dir").empty();
    DB_ASSIGN_OR_RETURN(auto user, ResolveUser(reg, e.user));
    Outcome out;

    if (e.kind == SourceEventKind::kUserDeleted) {
      reg.erase("dir");
      if (!user) {
        out = {SourceOutcome::kUnknownUser, "no such user in the directory"};
      } else {
        DB_ASSIGN_OR_RETURN(out, AppliedUnlessRefused(directory.DeleteUser(user->id, std::nullopt)));
      }
      txn.Put(key, reg.dump());
      return out;
    }

    bool changed = false;
    if (!user) {
      const bool may_create =
          app_scoped() ? e.kind == SourceEventKind::kUserAssigned
                       : (e.kind == SourceEventKind::kUserStaged || e.kind == SourceEventKind::kUserActivated);
      if (!may_create) {
        txn.Put(key, reg.dump());
        return Outcome{SourceOutcome::kUnknownUser,
                       app_scoped() ? "not in the directory; only an assignment to the application provisions a user"
                                    : "not in the directory; only a created or activated user is provisioned"};
      }
      User u;
      EditProfile(e.user, u);
      if (u.user_name.empty()) u.user_name = e.user.email;
      if (u.user_name.empty()) return Outcome{SourceOutcome::kInvalid, "the event names no login for the user"};
      u.external_id = ExternalIdOf(e.user);
      u.active = WantActive(reg).value_or(true);
      auto created = directory.CreateUser(std::move(u));
      if (!created.ok()) {
        if (IsServerSide(created.error())) return created.error();
        txn.Put(key, reg.dump());
        return Outcome{SourceOutcome::kRejected, created.error().detail};
      }
      reg["dir"] = created->id;
      user = std::move(*created);
      changed = true;
    } else {
      if (sets_profile) {
        const uint64_t before = user->meta.version;
        auto updated = directory.UpdateUser(
            user->id,
            [&e](User& u) {
              EditProfile(e.user, u);
              return Status::Ok();
            },
            std::nullopt);
        if (!updated.ok()) {
          if (IsServerSide(updated.error())) return updated.error();
          txn.Put(key, reg.dump());
          return Outcome{SourceOutcome::kRejected, updated.error().detail};
        }
        if (updated->meta.version != before) changed = true;
        user = std::move(*updated);
      }
      if (auto want = WantActive(reg); want && *want != user->active) {
        auto set = directory.SetUserActive(user->id, *want, std::nullopt);
        if (!set.ok()) {
          if (IsServerSide(set.error())) return set.error();
          txn.Put(key, reg.dump());
          return Outcome{SourceOutcome::kRejected, set.error().detail};
        }
        user = std::move(*set);
        changed = true;
      }
    }
    if (!was_linked) DB_RETURN_IF_ERROR(ReplayMemberships(txn, e.user.source_id, *user, &changed));
    txn.Put(key, reg.dump());
    return Outcome{changed ? SourceOutcome::kApplied : SourceOutcome::kUnchanged, ""};
  }

  Result<Outcome> ApplyGroup(Transaction& txn, const SourceEvent& e) {
    const std::string key = keys::SourceGroup(tenant, conn(), e.group.source_id);
    DB_ASSIGN_OR_RETURN(auto reg, LoadRegister(txn, key));
    if (ClaimString(reg, "exists") == "deleted" && e.kind == SourceEventKind::kGroupDeleted) {
      return Outcome{SourceOutcome::kUnchanged, "already deleted"};
    }
    if (DeletedFor(reg, "exists", e.published_ms)) {
      return Outcome{SourceOutcome::kStale, "the group was deleted at the source"};
    }
    if (ClaimAt(reg, "exists") > e.published_ms)
      return Outcome{SourceOutcome::kStale, "a newer group event was applied"};
    const bool create = e.kind == SourceEventKind::kGroupCreated;
    reg["exists"] = {{"at", e.published_ms}, {"v", create ? "exists" : "deleted"}};
    DB_ASSIGN_OR_RETURN(auto group, ResolveGroup(reg, e.group));
    Outcome out{SourceOutcome::kUnchanged, ""};
    if (create) {
      if (!group) {
        DB_ASSIGN_OR_RETURN(out, AppliedUnlessRefused(CreateGroupFor(reg, e.group).status()));
      } else if (!e.group.external_id.empty() && e.group.external_id != group->external_id) {
        auto updated = directory.UpdateGroup(
            group->id,
            [&e](Group& g, MembershipChange&) {
              g.external_id = e.group.external_id;
              return Status::Ok();
            },
            std::nullopt);
        DB_ASSIGN_OR_RETURN(out, AppliedUnlessRefused(updated.status()));
      }
    } else {
      reg.erase("dir");
      if (!group) {
        out = {SourceOutcome::kUnknownGroup, "no such group in the directory"};
      } else {
        DB_ASSIGN_OR_RETURN(out, AppliedUnlessRefused(directory.DeleteGroup(group->id, std::nullopt)));
      }
    }
    txn.Put(key, reg.dump());
    return out;
  }

  Result<Outcome> ApplyMembership(Transaction& txn, const SourceEvent& e) {
    const bool add = e.kind == SourceEventKind::kMemberAdded;
    const std::string mkey = keys::SourceMember(tenant, conn(), e.user.source_id, e.group.source_id);
    DB_ASSIGN_OR_RETURN(auto mreg, LoadRegister(txn, mkey));
    if (ClaimAt(mreg, "member") > e.published_ms) {
      return Outcome{SourceOutcome::kStale, "a newer membership event was applied"};
    }
    const std::string ukey = keys::SourceUser(tenant, conn(), e.user.source_id);
    const std::string gkey = keys::SourceGroup(tenant, conn(), e.group.source_id);
    DB_ASSIGN_OR_RETURN(auto ureg, LoadRegister(txn, ukey));
    DB_ASSIGN_OR_RETURN(auto greg, LoadRegister(txn, gkey));
    if (DeletedFor(ureg, "status", e.published_ms))
      return Outcome{SourceOutcome::kStale, "the user was deleted at the source"};
    if (DeletedFor(greg, "exists", e.published_ms)) {
      return Outcome{SourceOutcome::kStale, "the group was deleted at the source"};
    }
    mreg = {
        {"member", {{"at", e.published_ms}, {"v", add}}}, {"group", e.group.source_id}, {"name", e.group.display_name}};
    if (!e.group.external_id.empty()) mreg["ext"] = e.group.external_id;
    txn.Put(mkey, mreg.dump());

    DB_ASSIGN_OR_RETURN(auto user, ResolveUser(ureg, e.user));
    if (!user) {
      return Outcome{SourceOutcome::kUnknownUser,
                     add ? "the user is not in the directory; the membership applies when the user appears"
                         : "the user is not in the directory"};
    }
    txn.Put(ukey, ureg.dump());
    DB_ASSIGN_OR_RETURN(auto group, ResolveGroup(greg, e.group));
    if (!group) {
      if (!add) return Outcome{SourceOutcome::kUnknownGroup, "no such group in the directory"};
      auto created = CreateGroupFor(greg, e.group);
      if (!created.ok()) {
        if (IsServerSide(created.error())) return created.error();
        return Outcome{SourceOutcome::kRejected, created.error().detail};
      }
      group = std::move(*created);
    }
    txn.Put(gkey, greg.dump());
    auto changed = ChangeMember(*group, *user, add);
    if (!changed.ok()) {
      if (IsServerSide(changed.error())) return changed.error();
      return Outcome{SourceOutcome::kRejected, changed.error().detail};
    }
    return Outcome{*changed ? SourceOutcome::kApplied : SourceOutcome::kUnchanged, ""};
  }

  Result<Outcome> Apply(Transaction& txn, const SourceEvent& e) {
    if (e.kind == SourceEventKind::kUserAssigned || e.kind == SourceEventKind::kUserUnassigned) {
      if (!app_scoped()) {
        return Outcome{SourceOutcome::kOutOfScope, "the connection names no application; assignments are ignored"};
      }
    }
    if (e.kind == SourceEventKind::kUserAssigned || e.kind == SourceEventKind::kUserUnassigned) {
      if (e.app_id != options.app_id) {
        return Outcome{SourceOutcome::kOutOfScope, "an assignment to another application"};
      }
    }
    switch (AspectOf(e.kind)) {
      case SourceAspect::kUserStatus:
      case SourceAspect::kUserProfile:
      case SourceAspect::kUserAssignment:
        return ApplyUser(txn, e);
      case SourceAspect::kGroupExistence:
        return ApplyGroup(txn, e);
      case SourceAspect::kMembership:
        return ApplyMembership(txn, e);
    }
    return Outcome{SourceOutcome::kInvalid, "unknown event kind"};
  }

  ExpiringIds seen_ids() const {
    return ExpiringIds(keys::SourceSeenPrefix(tenant, conn()), keys::SourceExpiryPrefix(tenant, conn()));
  }

  // Forgets expired dedupe entries, oldest first, at most kMaxExpiredPerBatch.
  Result<std::size_t> Expire(int64_t now) {
    Transaction txn(store);
    DB_ASSIGN_OR_RETURN(std::size_t removed, seen_ids().ForgetExpired(txn, now, kMaxExpiredPerBatch));
    if (removed > 0) DB_RETURN_IF_ERROR(txn.Commit());
    return removed;
  }

  // True when `uuid` was handled and has not expired.
  Result<bool> Seen(Transaction& txn, const std::string& uuid, int64_t now) { return seen_ids().Contains(txn, uuid, now); }

  void MarkSeen(Transaction& txn, const std::string& uuid, int64_t now) {
    seen_ids().Remember(txn, uuid, now + kSourceDedupeWindowMs);
  }
};

SourceEventApplier::SourceEventApplier(KvStore& store, Env& env, std::string tenant, ChangeSource source,
                                       SourceApplyOptions options)
    : store_(store), env_(env), tenant_(std::move(tenant)), source_(std::move(source)), options_(std::move(options)) {}

Result<std::size_t> SourceEventApplier::ApplyAll(std::vector<SourceEvent> events) {
  std::size_t applied = 0;
  for (std::size_t at = 0; at < events.size(); at += kMaxSourceEventsPerBatch) {
    const auto first = events.begin() + static_cast<std::ptrdiff_t>(at);
    const auto last =
        events.begin() + static_cast<std::ptrdiff_t>(std::min(events.size(), at + kMaxSourceEventsPerBatch));
    DB_ASSIGN_OR_RETURN(auto report, ApplyBatch({std::make_move_iterator(first), std::make_move_iterator(last)}, {}));
    applied += report.applied();
  }
  return applied;
}

Result<SourceBatchReport> SourceEventApplier::ApplyBatch(std::vector<SourceEvent> events,
                                                         std::vector<UntranslatedSourceEvent> untranslated) {
  // (the adapter's bound, checked again: the applier's work must stay bounded)
  if (events.size() + untranslated.size() > kMaxSourceEventsPerBatch) {
    return InvalidInput("a delivery carries at most " + std::to_string(kMaxSourceEventsPerBatch) + " events");
  }
  Impl impl{store_, env_, tenant_, source_, options_, Directory(store_, env_, tenant_, source_)};
  const int64_t now = env_.NowMillis();
  SourceBatchReport report;
  DB_ASSIGN_OR_RETURN(report.expired, impl.Expire(now));

  // Ordered by the source's time, then uuid, so every delivery of the same events
  // applies them in the same order.
  std::stable_sort(events.begin(), events.end(), [](const SourceEvent& a, const SourceEvent& b) {
    return a.published_ms != b.published_ms ? a.published_ms < b.published_ms : a.uuid < b.uuid;
  });

  json counts = json::object();
  json unknown_types = json::object();
  int64_t last_published = 0;
  std::set<std::string> in_batch;

  for (auto& u : untranslated) {
    SourceEventResult r{u.uuid, u.source_type, u.malformed ? SourceOutcome::kInvalid : SourceOutcome::kIgnored,
                        u.detail};
    last_published = std::max(last_published, u.published_ms);
    if (!u.uuid.empty()) {
      Transaction txn(store_);
      DB_ASSIGN_OR_RETURN(bool seen, impl.Seen(txn, u.uuid, now));
      if (seen || !in_batch.insert(u.uuid).second) {
        r.outcome = SourceOutcome::kDuplicate;
      } else {
        impl.MarkSeen(txn, u.uuid, now);
        DB_RETURN_IF_ERROR(txn.Commit());
      }
    }
    if (r.outcome == SourceOutcome::kIgnored) {
      std::string name = u.source_type.empty() ? std::string("(none)") : u.source_type;
      if (!unknown_types.contains(name) && unknown_types.size() >= kMaxCountedUnknownTypes) name = "(other)";
      unknown_types[name] = unknown_types.value(name, 0) + 1;
    }
    report.results.push_back(std::move(r));
  }

  for (const auto& e : events) {
    last_published = std::max(last_published, e.published_ms);
    SourceEventResult r{e.uuid, e.source_type, SourceOutcome::kApplied, ""};
    Transaction txn(store_);
    DB_ASSIGN_OR_RETURN(bool seen, impl.Seen(txn, e.uuid, now));
    if (seen || !in_batch.insert(e.uuid).second) {
      r.outcome = SourceOutcome::kDuplicate;
    } else {
      DB_ASSIGN_OR_RETURN(auto out, impl.Apply(txn, e));
      r.outcome = out.outcome;
      r.detail = std::move(out.detail);
      impl.MarkSeen(txn, e.uuid, now);
      DB_RETURN_IF_ERROR(txn.Commit());
    }
    report.results.push_back(std::move(r));
  }

  for (const auto& r : report.results) {
    const char* name = SourceOutcomeName(r.outcome);
    counts[name] = counts.value(name, 0) + 1;
  }

  // The connection's counters, in one key.
  Transaction txn(store_);
  const std::string skey = keys::SourceStats(tenant_, source_.connection_id);
  DB_ASSIGN_OR_RETURN(auto stats, LoadRegister(txn, skey));
  stats["deliveries"] = stats.value("deliveries", 0) + 1;
  stats["events"] = stats.value("events", 0) + report.results.size();
  json& outcomes = stats["outcomes"];
  if (!outcomes.is_object()) outcomes = json::object();
  for (auto it = counts.begin(); it != counts.end(); ++it)
    outcomes[it.key()] = outcomes.value(it.key(), 0) + it->get<int64_t>();
  json& types = stats["unknownTypes"];
  if (!types.is_object()) types = json::object();
  for (auto it = unknown_types.begin(); it != unknown_types.end(); ++it) {
    std::string name = it.key();
    if (!types.contains(name) && types.size() >= kMaxCountedUnknownTypes) name = "(other)";
    types[name] = types.value(name, 0) + it->get<int64_t>();
  }
  if (last_published > stats.value("lastPublishedMs", static_cast<int64_t>(0))) {
    stats["lastPublishedMs"] = last_published;
    stats["lastPublished"] = FormatRfc3339Millis(last_published);
  }
  stats["lastDelivery"] = FormatRfc3339Millis(now);
  txn.Put(skey, stats.dump());
  DB_RETURN_IF_ERROR(txn.Commit());
  return report;
}

std::size_t SourceBatchReport::applied() const {
  return static_cast<std::size_t>(std::count_if(results.begin(), results.end(), [](const SourceEventResult& r) {
    return r.outcome == SourceOutcome::kApplied;
  }));
}

Result<nlohmann::json> ReadSourceStats(KvStore& store, std::string_view tenant, std::string_view connection) {
  Transaction txn(store);
  DB_ASSIGN_OR_RETURN(auto stats, LoadRegister(txn, keys::SourceStats(tenant, connection)));
  json out = {{"deliveries", stats.value("deliveries", 0)},
              {"events", stats.value("events", 0)},
              {"outcomes", stats.contains("outcomes") ? stats["outcomes"] : json::object()},
              {"unknownTypes", stats.contains("unknownTypes") ? stats["unknownTypes"] : json::object()}};
  if (stats.contains("lastPublished")) out["lastPublished"] = stats["lastPublished"];
  if (stats.contains("lastDelivery")) out["lastDelivery"] = stats["lastDelivery"];
  return out;
}

Result<SourceUserLinkPage> ListSourceUserLinks(KvStore& store, std::string_view tenant, std::string_view connection,
                                               std::string_view after, std::size_t limit) {
  // The prefix of the connection's user registers: SourceUser with an empty id.
  const std::string prefix = keys::SourceUser(tenant, connection, "");
  DB_ASSIGN_OR_RETURN(auto rows, store.List(prefix, after.empty() ? std::string() : std::string(after), limit));
  SourceUserLinkPage page;
  for (const auto& row : rows) {
    auto reg = json::parse(row.value, nullptr, false);
    if (reg.is_discarded() || !reg.is_object()) return Corrupt("source register " + row.key + " does not parse");
    auto id = PercentDecode(keys::LastSegment(row.key), false);
    SourceUserLink link;
    link.source_id = id ? std::move(*id) : std::string(keys::LastSegment(row.key));
    link.user_id = StringOf(reg, "dir");
    link.status = ClaimString(reg, "status").value_or("");
    page.links.push_back(std::move(link));
  }
  if (rows.size() == limit && !rows.empty()) page.next = rows.back().key;
  return page;
}

}  // namespace dirbridge
