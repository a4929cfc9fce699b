// Where everything lives in the store. Every key starts with the tenant
// ("t/{tenant}/"), so tenants are isolated by construction. The layout is built
// for a 500,000-user tenant with 50,000-member groups:
//   t/{t}/tenant                              the tenant record
//   t/{t}/conn/{connection}                   an IdP connection (token stored as a hash)
//   t/{t}/provhash/{sha256 hex}               -> connection id: a custom API connection's
//                                             provisioning hash (tenancy/provisioning_hash.h)
//   t/{t}/user/{id}                           one record per user (with its version)
//   t/{t}/group/{id}                          one record per group, without members
//   t/{t}/member/{group}/{user}               one key per membership ...
//   t/{t}/memberof/{user}/{group}             ... and its reverse
//   t/{t}/idx/user.userName/{lowercased}      -> user id (unique)
//   t/{t}/idx/user.externalId/{value}/{id}    -> "" (not unique)
//   t/{t}/idx/user.email/{lowercased}/{id}    -> "" (not unique)
//   t/{t}/idx/group.displayName/{lowercased}/{id} -> ""
//   t/{t}/idx/group.externalId/{value}/{id}   -> "" (not unique)
//   t/{t}/event/{sequence, 16 digits}         the ordered event log
//   t/{t}/seq/event                           the last event sequence number
//   t/{t}/count/{users|groups}                how many users / groups exist
//   t/{t}/gen/{users|groups}                  bumped by each create and delete
//   t/{t}/pagehint/{users|groups}/{index}     where index paging resumes (page_hints.h)
//   t/{t}/src/{conn}/seen/{event uuid}        a pushed event already handled -> expiry ms
//   t/{t}/src/{conn}/expiry/{ms, 16 digits}/{uuid}  the same, in expiry order (bounded cleanup)
//   t/{t}/src/{conn}/user/{source id}         per source user: link to our id + last claim per aspect
//   t/{t}/src/{conn}/group/{source id}        per source group: link + existence claim
//   t/{t}/src/{conn}/member/{user}/{group}    per source membership: last claim (source ids)
//   t/{t}/src/{conn}/stats                    counters by outcome, last `published` seen
//                                             (provision/source_event_applier.h)
//   t/{t}/secret/{connection}/{name}          a sealed secret of a connection (tenancy/sealed_secrets.h)
//   t/{t}/hookseen/{connection}/{delivery id} a signed delivery already taken (tenancy/hook_deliveries.h) ...
//   t/{t}/hookexp/{connection}/{expiry ms, 16 digits}/{delivery id}  ... and when it may be forgotten
//   t/{t}/hookreplays/{connection}            that connection's count of replayed deliveries
//   t/{t}/outbox/{id}                         an effect or timer waiting, in flight or parked (effects/outbox.h)
//   t/{t}/due/{ms, 16 digits}/{id}            -> "": when a pending outbox entry is next due
//   t/{t}/count/outbox                        how many outbox entries are stored (kMaxStoredEffects)
//   t/{t}/cstate/{conn}/{kind}/{name}         a watching connection's state (Google Workspace,
//                                             Graph: settings, channels or subscriptions, token
//                                             expiry, sync runs; tenancy/connection_state.h)
//   t/{t}/testfx/{note}                       what the test continuation recorded (functions/admin)
//   t/{t}/feed/state                          the event feed's receiver, cursor and run (provision/event_feed.h)
//   t/{t}/activity/{conn}                     how many changes a connection made, the last one's
//                                             time and request (provision/connection_activity.h)
//   t/{t}/guard/settings, t/{t}/guard/window/{conn}   the mass-change guardrail's settings and
//                                             each source's removals in its window
//   t/{t}/pending/{user}                      a removal the guardrail held for the admin
//                                             (provision/mass_change_guard.h)
//   t/{t}/hold/{user}                         an offboarded user, held suspended until an admin
//                                             restores them (provision/offboarding_hold.h)
//   t/{t}/rule/{lowercased group name}        a group automation rule: the entitlements the
//                                             members of the group with that displayName get
//                                             (provision/entitlement_rules.h)
//   t/{t}/count/rules                         how many rules the tenant has (kMaxRulesPerTenant)
//   t/{t}/archive/{user}                      a user its source deleted, archived suspended
//   t/{t}/idx/archive.userName/{lowercased}   -> that user's id (a re-provisioning revives it)
//   t/{t}/purge/{user}                        a remove or delete policy's purge, due after its
//                                             grace period (provision/deprovisioning.h)
//   t/{t}/precedence                          which source owns which attribute, when several
//                                             describe one person (model/attribute_precedence.h)
//   t/{t}/owner/{user}                        who owns each attribute of a user, and the
//                                             conflicts recorded (provision/attribute_ownership.h)
//   t/{t}/fed/idp/{connection}                an IdP trusted for federated login (key_fragments/trusted_idp.h)
//   t/{t}/fed/jwks/{connection}               that IdP's signing keys, as last fetched (key_fragments/jwks_cache.h)
//   t/{t}/fed/k2/{user}                       a user's K2, sealed (key_fragments/k2_store.h); the
//                                             engine deletes it with the user's purge
//   t/{t}/fed/jti/{hash}, t/{t}/fed/jtiexp/{ms, 16 digits}/{hash}  ID tokens already used, until
//                                             they expire (store/expiring_ids.h)
//   t/{t}/fed/rate/{window ms, 16 digits}/{who}  K2 releases per user and per address in a
//                                             window (key_fragments/release_limits.h)
// User-supplied parts are escaped ('%', '/', control bytes and bytes that are not
// valid UTF-8, as %XX) so that a value can never reach into another key's namespace,
// and every key is valid UTF-8.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace dirbridge::keys {

std::string EscapePart(std::string_view raw);

std::string TenantRecord(std::string_view tenant);
std::string TenantPrefix(std::string_view tenant);
std::string Connection(std::string_view tenant, std::string_view connection_id);
std::string ProvisioningHashIndex(std::string_view tenant, std::string_view sha256_hex);

std::string User(std::string_view tenant, std::string_view user_id);
std::string UserPrefix(std::string_view tenant);
std::string Group(std::string_view tenant, std::string_view group_id);
std::string GroupPrefix(std::string_view tenant);

std::string Member(std::string_view tenant, std::string_view group_id, std::string_view user_id);
std::string MemberPrefix(std::string_view tenant, std::string_view group_id);
std::string MemberOf(std::string_view tenant, std::string_view user_id, std::string_view group_id);
std::string MemberOfPrefix(std::string_view tenant, std::string_view user_id);

std::string UserNameIndex(std::string_view tenant, std::string_view user_name);
std::string UserExternalIdIndex(std::string_view tenant, std::string_view external_id, std::string_view user_id);
std::string UserExternalIdIndexPrefix(std::string_view tenant, std::string_view external_id);
std::string UserEmailIndex(std::string_view tenant, std::string_view email, std::string_view user_id);
std::string UserEmailIndexPrefix(std::string_view tenant, std::string_view email);
std::string GroupNameIndex(std::string_view tenant, std::string_view display_name, std::string_view group_id);
std::string GroupNameIndexPrefix(std::string_view tenant, std::string_view display_name);
std::string GroupExternalIdIndex(std::string_view tenant, std::string_view external_id, std::string_view group_id);
std::string GroupExternalIdIndexPrefix(std::string_view tenant, std::string_view external_id);

std::string Event(std::string_view tenant, uint64_t sequence);
std::string EventPrefix(std::string_view tenant);
std::string EventSequence(std::string_view tenant);
std::string UserCount(std::string_view tenant);
std::string GroupCount(std::string_view tenant);
std::string CollectionGeneration(std::string_view tenant, std::string_view collection);
std::string PageHint(std::string_view tenant, std::string_view collection, std::size_t start_index);

// What provision/source_event_applier.h keeps per pushing connection.
// The uuids it handled (store/expiring_ids.h): by uuid, and by expiry.
std::string SourceSeenPrefix(std::string_view tenant, std::string_view connection);
std::string SourceExpiryPrefix(std::string_view tenant, std::string_view connection);
std::string SourceUser(std::string_view tenant, std::string_view connection, std::string_view source_id);
std::string SourceGroup(std::string_view tenant, std::string_view connection, std::string_view source_id);
std::string SourceMember(std::string_view tenant, std::string_view connection, std::string_view user_source_id,
                         std::string_view group_source_id);
std::string SourceMemberPrefix(std::string_view tenant, std::string_view connection, std::string_view user_source_id);
std::string SourceStats(std::string_view tenant, std::string_view connection);
std::string ConnectionSecret(std::string_view tenant, std::string_view connection_id, std::string_view name);
std::string ConnectionSecretPrefix(std::string_view tenant, std::string_view connection_id);
// The delivery ids a webhook connection took (store/expiring_ids.h): by id, and by expiry.
std::string HookSeenPrefix(std::string_view tenant, std::string_view connection_id);
std::string HookExpiryPrefix(std::string_view tenant, std::string_view connection_id);
std::string HookReplays(std::string_view tenant, std::string_view connection_id);
std::string OutboxEntry(std::string_view tenant, std::string_view id);
std::string OutboxPrefix(std::string_view tenant);
std::string OutboxCount(std::string_view tenant);
// A time as 16 digits, so keys holding it list in time order.
std::string TimeOrdered(int64_t ms);
std::string OutboxDue(std::string_view tenant, int64_t due_ms, std::string_view id);
std::string OutboxDuePrefix(std::string_view tenant);
// A Google Workspace connection's state: one record per (kind, name), `name` escaped.
std::string ConnectionState(std::string_view tenant, std::string_view connection, std::string_view kind,
                            std::string_view name);
std::string ConnectionStatePrefix(std::string_view tenant, std::string_view connection, std::string_view kind);
std::string TestEffectRecord(std::string_view tenant, std::string_view note);
std::string FeedState(std::string_view tenant);
// An offboarded user's hold (provision/offboarding_hold.h).
std::string UserHold(std::string_view tenant, std::string_view user_id);
std::string ConnectionPrefix(std::string_view tenant);
// Deprovisioning (provision/deprovisioning.h): archived users, by id and by userName,
// and the purges scheduled by a remove or delete policy.
std::string ArchivedUser(std::string_view tenant, std::string_view user_id);
std::string ArchivedUserPrefix(std::string_view tenant);
std::string ArchivedUserNameIndex(std::string_view tenant, std::string_view user_name);
std::string ScheduledPurge(std::string_view tenant, std::string_view user_id);
// Attribute precedence (provision/attribute_ownership.h): the tenant's rules and who
// owns each attribute of a user.
std::string PrecedenceRules(std::string_view tenant);
std::string AttributeOwnership(std::string_view tenant, std::string_view user_id);
// The mass-change guardrail (provision/mass_change_guard.h): settings, each source's
// window, and the removals held for the admin, one per user.
std::string GuardSettings(std::string_view tenant);
std::string GuardWindow(std::string_view tenant, std::string_view connection_id);
std::string PendingRemoval(std::string_view tenant, std::string_view user_id);
std::string PendingRemovalPrefix(std::string_view tenant);
// What a connection's changes were: count, last time, last request (provision/connection_activity.h).
std::string ConnectionActivity(std::string_view tenant, std::string_view connection_id);
// Group automation rules (provision/entitlement_rules.h): one per group displayName,
// keyed by the name lowercased (ASCII, as the displayName index), and their count.
std::string EntitlementRule(std::string_view tenant, std::string_view group_name);
std::string EntitlementRulePrefix(std::string_view tenant);
std::string EntitlementRuleCount(std::string_view tenant);

// Federated login's key fragments (key_fragments/): trusted IdPs, their cached keys,
// sealed K2 per user, used ID tokens, and release counts per window.
std::string TrustedIdp(std::string_view tenant, std::string_view connection_id);
std::string TrustedIdpPrefix(std::string_view tenant);
std::string IdpSigningKeys(std::string_view tenant, std::string_view connection_id);
std::string UserKeyFragment(std::string_view tenant, std::string_view user_id);
std::string UsedIdTokenPrefix(std::string_view tenant);
std::string UsedIdTokenExpiryPrefix(std::string_view tenant);
std::string ReleaseCount(std::string_view tenant, int64_t window_ms, std::string_view who);
std::string ReleaseCountPrefix(std::string_view tenant);

// The last path segment of a key (an id at the end of an index or membership key).
std::string_view LastSegment(std::string_view key);

}  // namespace dirbridge::keys
