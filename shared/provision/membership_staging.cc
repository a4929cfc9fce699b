#include "provision/membership_staging.h"
#include "core/json_text.h"

#include <set>

#include "core/timestamp.h"
#include "provision/event_log.h"
#include "provision/record_limits.h"
#include "provision/stored_records.h"
#include "store/key_layout.h"

namespace dirbridge {
namespace {

constexpr std::size_t kListBatch = 500;

std::string MemberValue(const MemberRef& member) {
  nlohmann::json value = nlohmann::json::object();
  if (!member.display.empty()) value["display"] = member.display;
  return JsonText(value);
}

}  // namespace

Result<MembershipStaging::GroupRule> MembershipStaging::RuleOf(const Group& group) {
  GroupRule out;
  auto rule = LoadRule(txn, tenant, group.display_name);
  if (!rule.ok()) {
    if (rule.error().kind != ErrorKind::kCorrupt) return rule.error();
    out.error = rule.error().detail;
  } else if (*rule) {
    out.entitlements = EntitlementsToJson((*rule)->entitlements);
  }
  return out;
}

Status MembershipStaging::Add(const Group& group, const GroupRule& rule, const MemberRef& member, bool* changed) {
  DB_ASSIGN_OR_RETURN(auto user, txn.Get(keys::User(tenant, member.user_id)));
  if (!user) return InvalidInput("member '" + member.user_id + "' is not a user of this tenant", "invalidValue");
  if (member.display.size() > kMaxValueBytes) {
    return InvalidInput("the display of member '" + member.user_id + "' is " + std::to_string(member.display.size()) +
                        " bytes; the limit is " + std::to_string(kMaxValueBytes));
  }
  const std::string key = keys::Member(tenant, group.id, member.user_id);
  DB_ASSIGN_OR_RETURN(auto existing, txn.Get(key));
  const std::string value = MemberValue(member);
  if (existing) {
    // Already a member: refresh a changed display, but it is no membership change.
    if (!member.display.empty() && *existing != value) txn.Put(key, value);
    return Status::Ok();
  }
  txn.Put(key, value);
  txn.Put(keys::MemberOf(tenant, member.user_id, group.id), "");
  std::string user_name;
  if (rule.entitlements) {
    // The userName is at hand in the user record just read; a record that does not
    // parse only leaves it out.
    auto parsed = stored::UserFromText(*user, member.user_id);
    if (parsed.ok()) user_name = parsed->user_name;
  }
  DB_RETURN_IF_ERROR(AppendMembershipEvents(EventType::kGroupMemberAdded, EventType::kEntitlementGranted, group, rule,
                                            member.user_id, user_name));
  *changed = true;
  return Status::Ok();
}

Status MembershipStaging::Remove(const Group& group, const GroupRule& rule, std::string_view user_id,
                                 std::string_view user_name, bool* changed) {
  const std::string key = keys::Member(tenant, group.id, user_id);
  DB_ASSIGN_OR_RETURN(auto existing, txn.Get(key));
  if (!existing) return Status::Ok();
  txn.Delete(key);
  txn.Delete(keys::MemberOf(tenant, user_id, group.id));
  DB_RETURN_IF_ERROR(AppendMembershipEvents(EventType::kGroupMemberRemoved, EventType::kEntitlementRevoked, group,
                                            rule, user_id, user_name));
  *changed = true;
  return Status::Ok();
}

// The membership's event, then (when the group has a rule) the entitlement event.
Status MembershipStaging::AppendMembershipEvents(EventType member_type, EventType entitlement_type,
                                                 const Group& group, const GroupRule& rule, std::string_view user_id,
                                                 std::string_view user_name) {
  EventLog log(txn, env, tenant);
  auto event = NewEvent(member_type, source, env);
  event.group_id = group.id;
  event.user_id = std::string(user_id);
  event.data["displayName"] = group.display_name;
  if (!rule.error.empty()) event.data["entitlementRuleError"] = rule.error;
  DB_RETURN_IF_ERROR(log.Append(event));
  if (!rule.entitlements) return Status::Ok();
  auto granted = NewEvent(entitlement_type, source, env);
  granted.group_id = group.id;
  granted.user_id = std::string(user_id);
  granted.data["displayName"] = group.display_name;
  granted.data["entitlements"] = *rule.entitlements;
  if (!user_name.empty()) granted.data["userName"] = std::string(user_name);
  return log.Append(granted);
}

Status MembershipStaging::Apply(const Group& group, const MembershipChange& change, bool* changed) {
  DB_ASSIGN_OR_RETURN(auto rule, RuleOf(group));
  if (change.replace_all) {
    // Members that are re-added stay, without churn.
    std::set<std::string, std::less<>> keep;
    for (const auto& m : change.add) keep.insert(m.user_id);
    std::string after;
    for (;;) {
      DB_ASSIGN_OR_RETURN(auto page, txn.List(keys::MemberPrefix(tenant, group.id), after, kListBatch));
      for (const auto& e : page) {
        const std::string_view user_id = keys::LastSegment(e.key);
        if (!keep.count(user_id)) DB_RETURN_IF_ERROR(Remove(group, rule, user_id, {}, changed));
      }
      if (page.size() < kListBatch) break;
      after = page.back().key;
    }
  }
  for (const auto& user_id : change.remove) DB_RETURN_IF_ERROR(Remove(group, rule, user_id, {}, changed));
  for (const auto& m : change.add) DB_RETURN_IF_ERROR(Add(group, rule, m, changed));
  return Status::Ok();
}

Status MembershipStaging::EndAllOf(std::string_view user_id, std::string_view user_name) {
  const std::string now = FormatRfc3339Millis(env.NowMillis());
  std::string after;
  for (;;) {
    DB_ASSIGN_OR_RETURN(auto page, txn.List(keys::MemberOfPrefix(tenant, user_id), after, kListBatch));
    for (const auto& e : page) {
      DB_ASSIGN_OR_RETURN(auto group, stored::LoadGroup(txn, tenant, keys::LastSegment(e.key)));
      if (!group) {  // a dangling reverse key: drop it
        txn.Delete(e.key);
        continue;
      }
      bool changed = false;
      DB_ASSIGN_OR_RETURN(auto rule, RuleOf(*group));
      DB_RETURN_IF_ERROR(Remove(*group, rule, user_id, user_name, &changed));
      group->meta.version += 1;
      group->meta.last_modified = now;
      DB_RETURN_IF_ERROR(stored::PutGroup(txn, tenant, *group));
    }
    if (page.size() < kListBatch) break;
    after = page.back().key;
  }
  return Status::Ok();
}

}  // namespace dirbridge
