#include "store/key_layout.h"

#include "core/ascii.h"
#include "core/utf8.h"

#include <cstdio>

namespace dirbridge::keys {

std::string EscapePart(std::string_view raw) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(raw.size());
  for (std::size_t pos = 0; pos < raw.size();) {
    const auto c = static_cast<unsigned char>(raw[pos]);
    const std::size_t n = Utf8CharLength(raw, pos);
    // A byte that is not part of valid UTF-8 is escaped too: keys are always text, so
    // a host that decodes them strictly never fails on a hostile id or cursor.
    if (c == '%' || c == '/' || c < 0x20 || c == 0x7f || (c >= 0x80 && n == 1)) {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    } else {
      out.append(raw.substr(pos, n));
    }
    pos += n == 0 ? 1 : n;
  }
  return out;
}


namespace {
std::string Join(std::string_view tenant, std::string_view rest) {
  std::string key = "t/";
  key.append(tenant).append("/").append(rest);
  return key;
}
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) out.append(p);
  return out;
}
}  // namespace

std::string TenantRecord(std::string_view t) { return Join(t, "tenant"); }
std::string TenantPrefix(std::string_view t) { return Join(t, ""); }
std::string Connection(std::string_view t, std::string_view c) { return Join(t, Cat({"conn/", EscapePart(c)})); }
std::string ProvisioningHashIndex(std::string_view t, std::string_view sha256_hex) {
  return Join(t, Cat({"provhash/", EscapePart(sha256_hex)}));
}

std::string User(std::string_view t, std::string_view id) { return Join(t, Cat({"user/", EscapePart(id)})); }
std::string UserPrefix(std::string_view t) { return Join(t, "user/"); }
std::string Group(std::string_view t, std::string_view id) { return Join(t, Cat({"group/", EscapePart(id)})); }
std::string GroupPrefix(std::string_view t) { return Join(t, "group/"); }

std::string Member(std::string_view t, std::string_view g, std::string_view u) {
  return Join(t, Cat({"member/", EscapePart(g), "/", EscapePart(u)}));
}
std::string MemberPrefix(std::string_view t, std::string_view g) { return Join(t, Cat({"member/", EscapePart(g), "/"})); }
std::string MemberOf(std::string_view t, std::string_view u, std::string_view g) {
  return Join(t, Cat({"memberof/", EscapePart(u), "/", EscapePart(g)}));
}
std::string MemberOfPrefix(std::string_view t, std::string_view u) {
  return Join(t, Cat({"memberof/", EscapePart(u), "/"}));
}

std::string UserNameIndex(std::string_view t, std::string_view v) {
  return Join(t, Cat({"idx/user.userName/", EscapePart(ToLowerAscii(v))}));
}
std::string UserExternalIdIndexPrefix(std::string_view t, std::string_view v) {
  return Join(t, Cat({"idx/user.externalId/", EscapePart(v), "/"}));
}
std::string UserExternalIdIndex(std::string_view t, std::string_view v, std::string_view id) {
  return Cat({UserExternalIdIndexPrefix(t, v), EscapePart(id)});
}
std::string UserEmailIndexPrefix(std::string_view t, std::string_view email) {
  return Join(t, Cat({"idx/user.email/", EscapePart(ToLowerAscii(email)), "/"}));
}
std::string UserEmailIndex(std::string_view t, std::string_view email, std::string_view id) {
  return Cat({UserEmailIndexPrefix(t, email), EscapePart(id)});
}
std::string GroupNameIndexPrefix(std::string_view t, std::string_view name) {
  return Join(t, Cat({"idx/group.displayName/", EscapePart(ToLowerAscii(name)), "/"}));
}
std::string GroupNameIndex(std::string_view t, std::string_view name, std::string_view id) {
  return Cat({GroupNameIndexPrefix(t, name), EscapePart(id)});
}
std::string GroupExternalIdIndexPrefix(std::string_view t, std::string_view v) {
  return Join(t, Cat({"idx/group.externalId/", EscapePart(v), "/"}));
}
std::string GroupExternalIdIndex(std::string_view t, std::string_view v, std::string_view id) {
  return Cat({GroupExternalIdIndexPrefix(t, v), EscapePart(id)});
}

std::string Event(std::string_view t, uint64_t seq) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llu", static_cast<unsigned long long>(seq));
  return Join(t, Cat({"event/", buf}));
}
std::string EventPrefix(std::string_view t) { return Join(t, "event/"); }
std::string EventSequence(std::string_view t) { return Join(t, "seq/event"); }
std::string UserCount(std::string_view t) { return Join(t, "count/users"); }
std::string GroupCount(std::string_view t) { return Join(t, "count/groups"); }
std::string CollectionGeneration(std::string_view t, std::string_view c) { return Join(t, Cat({"gen/", c})); }
std::string PageHint(std::string_view t, std::string_view c, std::size_t start_index) {
  return Join(t, Cat({"pagehint/", c, "/", std::to_string(start_index)}));
}

namespace {
std::string SourceKey(std::string_view t, std::string_view c, std::string_view rest) {
  return Join(t, Cat({"src/", EscapePart(c), "/", rest}));
}
}  // namespace

std::string SourceSeenPrefix(std::string_view t, std::string_view c) { return SourceKey(t, c, "seen/"); }
std::string SourceExpiryPrefix(std::string_view t, std::string_view c) { return SourceKey(t, c, "expiry/"); }
std::string SourceUser(std::string_view t, std::string_view c, std::string_view id) {
  return SourceKey(t, c, Cat({"user/", EscapePart(id)}));
}
std::string SourceGroup(std::string_view t, std::string_view c, std::string_view id) {
  return SourceKey(t, c, Cat({"group/", EscapePart(id)}));
}
std::string SourceMemberPrefix(std::string_view t, std::string_view c, std::string_view user) {
  return SourceKey(t, c, Cat({"member/", EscapePart(user), "/"}));
}
std::string SourceMember(std::string_view t, std::string_view c, std::string_view user, std::string_view group) {
  return Cat({SourceMemberPrefix(t, c, user), EscapePart(group)});
}
std::string SourceStats(std::string_view t, std::string_view c) { return SourceKey(t, c, "stats"); }
std::string ConnectionSecret(std::string_view t, std::string_view c, std::string_view name) {
  return Join(t, Cat({"secret/", EscapePart(c), "/", EscapePart(name)}));
}
std::string ConnectionSecretPrefix(std::string_view t, std::string_view c) {
  return Join(t, Cat({"secret/", EscapePart(c), "/"}));
}
std::string HookSeenPrefix(std::string_view t, std::string_view c) {
  return Join(t, Cat({"hookseen/", EscapePart(c), "/"}));
}
std::string HookExpiryPrefix(std::string_view t, std::string_view c) {
  return Join(t, Cat({"hookexp/", EscapePart(c), "/"}));
}
std::string ConnectionStatePrefix(std::string_view t, std::string_view c, std::string_view kind) {
  return Join(t, Cat({"cstate/", EscapePart(c), "/", EscapePart(kind), "/"}));
}
std::string ConnectionState(std::string_view t, std::string_view c, std::string_view kind, std::string_view name) {
  return Cat({ConnectionStatePrefix(t, c, kind), EscapePart(name)});
}
std::string HookReplays(std::string_view t, std::string_view c) { return Join(t, Cat({"hookreplays/", EscapePart(c)})); }

std::string_view LastSegment(std::string_view key) {
  auto pos = key.rfind('/');
  return pos == std::string_view::npos ? key : key.substr(pos + 1);
}

std::string OutboxEntry(std::string_view t, std::string_view id) { return Join(t, Cat({"outbox/", EscapePart(id)})); }
std::string OutboxPrefix(std::string_view t) { return Join(t, "outbox/"); }
std::string OutboxCount(std::string_view t) { return Join(t, "count/outbox"); }
std::string TimeOrdered(int64_t ms) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%016lld", static_cast<long long>(ms < 0 ? 0 : ms));
  return digits;
}
std::string OutboxDue(std::string_view t, int64_t due_ms, std::string_view id) {
  return Join(t, Cat({"due/", TimeOrdered(due_ms), "/", EscapePart(id)}));
}
std::string OutboxDuePrefix(std::string_view t) { return Join(t, "due/"); }
std::string UserHold(std::string_view t, std::string_view u) { return Join(t, Cat({"hold/", EscapePart(u)})); }
std::string ArchivedUser(std::string_view t, std::string_view u) { return Join(t, Cat({"archive/", EscapePart(u)})); }
std::string ArchivedUserPrefix(std::string_view t) { return Join(t, "archive/"); }
std::string ArchivedUserNameIndex(std::string_view t, std::string_view v) {
  return Join(t, Cat({"idx/archive.userName/", EscapePart(ToLowerAscii(v))}));
}
std::string ScheduledPurge(std::string_view t, std::string_view u) { return Join(t, Cat({"purge/", EscapePart(u)})); }
std::string PrecedenceRules(std::string_view t) { return Join(t, "precedence"); }
std::string TrustedIdp(std::string_view t, std::string_view c) { return Join(t, Cat({"fed/idp/", EscapePart(c)})); }
std::string TrustedIdpPrefix(std::string_view t) { return Join(t, "fed/idp/"); }
std::string IdpSigningKeys(std::string_view t, std::string_view c) { return Join(t, Cat({"fed/jwks/", EscapePart(c)})); }
std::string UserKeyFragment(std::string_view t, std::string_view u) { return Join(t, Cat({"fed/k2/", EscapePart(u)})); }
std::string UsedIdTokenPrefix(std::string_view t) { return Join(t, "fed/jti/"); }
std::string UsedIdTokenExpiryPrefix(std::string_view t) { return Join(t, "fed/jtiexp/"); }
std::string ReleaseCount(std::string_view t, int64_t window_ms, std::string_view who) {
  return Join(t, Cat({"fed/rate/", TimeOrdered(window_ms), "/", EscapePart(who)}));
}
std::string ReleaseCountPrefix(std::string_view t) { return Join(t, "fed/rate/"); }
std::string AttributeOwnership(std::string_view t, std::string_view u) { return Join(t, Cat({"owner/", EscapePart(u)})); }
std::string ConnectionPrefix(std::string_view t) { return Join(t, "conn/"); }
std::string GuardSettings(std::string_view t) { return Join(t, "guard/settings"); }
std::string GuardWindow(std::string_view t, std::string_view c) { return Join(t, Cat({"guard/window/", EscapePart(c)})); }
std::string PendingRemoval(std::string_view t, std::string_view u) { return Join(t, Cat({"pending/", EscapePart(u)})); }
std::string PendingRemovalPrefix(std::string_view t) { return Join(t, "pending/"); }
std::string ConnectionActivity(std::string_view t, std::string_view c) {
  return Join(t, Cat({"activity/", EscapePart(c)}));
}

std::string EntitlementRule(std::string_view t, std::string_view name) {
  return Join(t, Cat({"rule/", EscapePart(ToLowerAscii(name))}));
}
std::string EntitlementRulePrefix(std::string_view t) { return Join(t, "rule/"); }
std::string EntitlementRuleCount(std::string_view t) { return Join(t, "count/rules"); }

std::string TestEffectRecord(std::string_view t, std::string_view note) {
  return Join(t, Cat({"testfx/", EscapePart(note)}));
}
std::string FeedState(std::string_view t) { return Join(t, "feed/state"); }

}  // namespace dirbridge::keys
