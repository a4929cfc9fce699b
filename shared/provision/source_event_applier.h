// Applies what a pushing source says happened (model/source_event.h) to a tenant's
// directory, through the typed commands of provision/directory.h only: the engine
// does not know which adapter called it (Okta Event Hooks today; any push source
// that translates into SourceEvent tomorrow).
//
// Delivery from a source is at-least-once and unordered, so a batch is applied as:
//   1. sorted by (published, uuid);
//   2. each event whose uuid this connection has handled within the dedupe window is
//      a `duplicate` (the window is kSourceDedupeWindowMs, at least 7 days; entries
//      expire by a bounded sweep at the start of every batch);
//   3. each aspect of each subject (model/source_event.h) remembers the `published`
//      of the last claim applied to it; an older claim is `stale` and changes
//      nothing, so an older event never undoes a newer one. Deletion is terminal
//      when the source's ids are permanent (SourceApplyOptions): nothing after it
//      brings the subject back; otherwise only older claims are stale after it.
//      A status claim `with_profile` is judged by its status aspect only.
//
// Matching a source user to the directory, first hit wins:
//   1. the link this connection recorded (source id -> our id), if the user still exists;
//   2. externalId equal to the source's externalId, when exactly one user has it: the
//      one the subject states, else (permanent source ids) the source id itself
//      (Okta's own SCIM client sends the Okta user id as externalId, so a user Okta
//      pushed by SCIM is found);
//   3. userName equal to the source's login (case-insensitive, unique);
//   4. an email equal to the source's email, when exactly one user has it.
// A hit is linked, so later events find the user in one read whatever its userName
// or externalId become. Users and groups this applier creates get that same
// externalId (none when there is none: no made-up one). Groups are matched the same
// way by link, externalId and displayName (a creation claim for a group found sets
// the externalId it states). So two sources that describe one person
// end as one user.
//
// A profile claim sets, on the user, each attribute the subject gives: userName (the
// login; a change of case alone is no change), displayName, name.givenName,
// name.familyName, the stated externalId, and the email as the primary work email
// (when the user does not have it yet).
//
// Who may be created: with `app_id` set (the source's id of the password manager's
// application), only an assignment to that application creates a user; lifecycle
// events change users already in the directory and report `unknownUser` for others.
// Without it the whole source is in scope: a staged or activated user is created.
// A membership for a user not (yet) in the directory is remembered and applied when
// the user appears (at most kMaxReplayedMemberships per user); a membership names a
// group the directory does not have: it is created (with the externalId above).
//
// Work per batch is bounded: at most kMaxSourceEventsPerBatch events (the adapter
// refuses more), a constant number of directory commands each, plus the replay and
// expiry bounds below.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/result.h"
#include "model/lifecycle_event.h"
#include "model/source_event.h"
#include "store/kv_store.h"

namespace dirbridge {

inline constexpr std::size_t kMaxSourceEventsPerBatch = 100;
// Event uuids are remembered 8 days (Okta retries once after 3 seconds; System Log
// catch-up reaches back a few days at most).
inline constexpr int64_t kSourceDedupeWindowMs = 8LL * 24 * 60 * 60 * 1000;
// Expired uuids removed per batch: more than a batch adds, so storage stays bounded
// by the deliveries of one window.
inline constexpr std::size_t kMaxExpiredPerBatch = 2 * kMaxSourceEventsPerBatch + 16;
// Remembered memberships applied when a user first appears in the directory.
inline constexpr std::size_t kMaxReplayedMemberships = 100;
// Distinct unknown event type names counted one by one; the rest count as "(other)".
inline constexpr std::size_t kMaxCountedUnknownTypes = 32;

struct SourceApplyOptions {
  // The source's id of the application whose assignment means "has an account here";
  // empty: every user of the source is in scope.
  std::string app_id;
  // true: the source names its subjects by permanent ids of its own, which it also
  // sends as externalId (Okta's 00u..., 00g...): they are matched as externalId, are
  // the externalId of what the applier creates, and a deletion is final (an id is
  // never reused). false: it names them by reusable names (a signed event's userName
  // or displayName): only an externalId it states is used, and a claim newer than a
  // deletion brings the subject back (a rehire under the same userName).
  bool permanent_source_ids = false;
};

enum class SourceOutcome {
  kApplied,       // the directory changed
  kUnchanged,     // valid and current, but the directory already said so
  kDuplicate,     // this uuid was handled before
  kStale,         // older than what this subject's aspect last applied, or after its deletion
  kUnknownUser,   // names a user the directory does not have and may not create: nothing changed
  kUnknownGroup,  // names a group the directory does not have (a removal or deletion): nothing changed
  kOutOfScope,    // an assignment to another application
  kRejected,      // the directory refused the change (e.g. userName taken): nothing changed
  kIgnored,       // an event type we do not handle: acknowledged, counted
  kInvalid,       // an event the adapter could not read (no uuid, no subject): counted
};
// "applied", "unchanged", "duplicate", "stale", "unknownUser", "unknownGroup",
// "outOfScope", "rejected", "ignored", "invalid".
const char* SourceOutcomeName(SourceOutcome outcome);

struct SourceEventResult {
  std::string uuid;
  std::string source_type;
  SourceOutcome outcome = SourceOutcome::kApplied;
  std::string detail;
};

struct SourceBatchReport {
  std::vector<SourceEventResult> results;  // in the order applied
  std::size_t expired = 0;                 // dedupe entries removed by this batch
  // How many events changed the directory (outcome kApplied).
  std::size_t applied() const;
};

class SourceEventApplier {
 public:
  // `source` says who (the connection) and how (ChangeChannel::kHook, ...) on every
  // event the directory logs.
  SourceEventApplier(KvStore& store, Env& env, std::string tenant, ChangeSource source, SourceApplyOptions options);

  // Applies one delivery. A directory refusal is a per-event `rejected`; an error of
  // the store or the host (5xx) is returned, and the host then commits nothing.
  Result<SourceBatchReport> ApplyBatch(std::vector<SourceEvent> events,
                                       std::vector<UntranslatedSourceEvent> untranslated);
  // Applies claims a source's own fetches made (not a delivery: any number, in batches
  // of kMaxSourceEventsPerBatch); answers how many changed the directory.
  Result<std::size_t> ApplyAll(std::vector<SourceEvent> events);

 private:
  struct Impl;
  KvStore& store_;
  Env& env_;
  std::string tenant_;
  ChangeSource source_;
  SourceApplyOptions options_;
};

// A connection's counters: {"deliveries", "events", "outcomes": {name: n},
// "unknownTypes": {type: n}, "lastPublished", "lastDelivery"}. `lastPublished` is the
// newest source time seen: where a catch-up poll (Okta's System Log) resumes.
Result<nlohmann::json> ReadSourceStats(KvStore& store, std::string_view tenant, std::string_view connection);

// A user this connection's claims linked to the directory: the source's id, our id
// (empty when the link was dropped: the user was deleted) and the last status the
// source asserted ("active", "suspended", "staged", "deleted"; empty if none).
struct SourceUserLink {
  std::string source_id;
  std::string user_id;
  std::string status;
};
struct SourceUserLinkPage {
  std::vector<SourceUserLink> links;
  std::string next;  // pass back as `after`; empty at the end
};
// The connection's user links in source-id order, at most `limit` from after `after`
// (a full sync uses it to find the users the source no longer lists).
Result<SourceUserLinkPage> ListSourceUserLinks(KvStore& store, std::string_view tenant, std::string_view connection,
                                               std::string_view after, std::size_t limit);

}  // namespace dirbridge
