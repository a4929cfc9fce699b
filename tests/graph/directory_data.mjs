// The stand-in's Entra directory: users, groups, group members, and the change log the delta
// queries read.
//
// Resources:
//   user:  https://learn.microsoft.com/graph/api/resources/user
//   user get ($select; the default property set): https://learn.microsoft.com/graph/api/user-get
//   group: https://learn.microsoft.com/graph/api/resources/group, https://learn.microsoft.com/graph/api/group-get
// Delta queries:
//   https://learn.microsoft.com/graph/delta-query-overview
//   https://learn.microsoft.com/graph/delta-query-users, https://learn.microsoft.com/graph/api/user-delta
//   https://learn.microsoft.com/graph/delta-query-groups, https://learn.microsoft.com/graph/api/group-delta
// What those pages document and this file follows:
//   - the first round returns the objects that exist (objects created and deleted before it are
//     not returned); later rounds return only objects changed since the previous deltaLink;
//   - with $select only changes to selected properties make an object appear; without $select
//     all properties are tracked (users answer the default property set, groups their default
//     set and members@delta);
//   - a changed object is returned with all its selected properties (or, with
//     "Prefer: return=minimal", only the changed ones); a property never set is left out;
//   - a soft-deleted object is {"id", "@removed": {"reason": "changed"}}, a permanently deleted
//     one has reason "deleted"; a restored one comes back as a plain object;
//   - group membership is the members@delta annotation: members as
//     {"@odata.type": "#microsoft.graph.user", "id"}, removed members with
//     "@removed": {"reason": "deleted"}; a group without members has no members@delta; a big
//     group's members may be split over several pages, the group repeated on each;
//   - replays are allowed ("the same change appears in subsequent responses").
// Paging is over a snapshot: a round covers the changes up to a sequence number fixed at its
// first page, objects are emitted in creation order and pages resume at a key, so a change made
// between two pages neither repeats nor skips other objects in that round; it is reported in
// the next round.

import { randomUUID } from "node:crypto";

export class DirectoryError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// user-get: "By default, only a limited set of properties are returned (businessPhones,
// displayName, givenName, id, jobTitle, mail, mobilePhone, officeLocation, preferredLanguage,
// surname, and userPrincipalName)." Order as in the user-delta example.
export const USER_DEFAULT_PROPS = Object.freeze([
  "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation",
  "preferredLanguage", "surname", "userPrincipalName", "id",
]);

// Properties of the user resource the stand-in knows ($select of anything else is refused the
// way the directory refuses it).
export const USER_PROPS = new Set([
  ...USER_DEFAULT_PROPS, "accountEnabled", "ageGroup", "assignedLicenses", "city", "companyName",
  "consentProvidedForMinor", "country", "createdDateTime", "creationType", "deletedDateTime",
  "department", "employeeHireDate", "employeeId", "employeeLeaveDateTime", "employeeType",
  "externalUserState", "externalUserStateChangeDateTime", "faxNumber", "identities", "imAddresses",
  "lastPasswordChangeDateTime", "legalAgeGroupClassification", "mailNickname",
  "onPremisesDistinguishedName", "onPremisesDomainName", "onPremisesImmutableId",
  "onPremisesLastSyncDateTime", "onPremisesSamAccountName", "onPremisesSecurityIdentifier",
  "onPremisesSyncEnabled", "onPremisesUserPrincipalName", "otherMails", "passwordPolicies",
  "postalCode", "preferredDataLocation", "proxyAddresses", "securityIdentifier",
  "showInAddressList", "signInSessionsValidFromDateTime", "state", "streetAddress",
  "usageLocation", "userType",
]);

// group-get: the properties returned without $select (a subset of the group resource).
export const GROUP_DEFAULT_PROPS = Object.freeze([
  "id", "deletedDateTime", "classification", "createdDateTime", "creationOptions", "description",
  "displayName", "expirationDateTime", "groupTypes", "isAssignableToRole", "mail", "mailEnabled",
  "mailNickname", "membershipRule", "membershipRuleProcessingState", "onPremisesDomainName",
  "onPremisesLastSyncDateTime", "onPremisesNetBiosName", "onPremisesSamAccountName",
  "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "preferredDataLocation",
  "preferredLanguage", "proxyAddresses", "renewedDateTime", "resourceBehaviorOptions",
  "resourceProvisioningOptions", "securityEnabled", "securityIdentifier", "theme", "visibility",
]);
export const GROUP_PROPS = new Set([...GROUP_DEFAULT_PROPS, "onPremisesProvisioningErrors", "serviceProvisioningErrors"]);

const TYPE_NAMES = { user: "Microsoft.DirectoryServices.User", group: "Microsoft.DirectoryServices.Group" };

// "2024-05-01T10:00:00Z": directory date-times carry seconds and Z.
export function directoryTime(ms) {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function lowerBound(arr, seq) {
  let lo = 0, hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid].seq < seq) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** Last event of `events` (sorted by seq) at or before `seq`, or undefined. */
function lastAtOrBefore(events, seq) {
  let lo = 0, hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid].seq <= seq) lo = mid + 1; else hi = mid;
  }
  return lo > 0 ? events[lo - 1] : undefined;
}

const STATE_REASON = { softDeleted: "changed", purged: "deleted" };
const MEMBER_TYPE = "#microsoft.graph.user";

export class DirectoryData {
  /** @param {{nowMs: () => number, domain: string}} opts */
  constructor({ nowMs, domain }) {
    this.nowMs = nowMs;
    this.domain = domain;
    this.seq = 0;
    this.records = { user: [], group: [] }; // every record ever made, in creation (seq) order
    this.byId = { user: new Map(), group: new Map() };
    this.userByUpn = new Map(); // lower-cased UPN -> live or soft-deleted record
    this.log = { user: [], group: [] }; // {seq, rec, props: string[]|null, members: boolean}
    this.roundCache = new Map();
  }

  next() {
    return ++this.seq;
  }

  record(kind, rec, props, members = false) {
    const seq = this.next();
    this.log[kind].push({ seq, rec, props, members });
    rec.changedSeq = seq;
    return seq;
  }

  setState(rec, state, seq) {
    rec.state = state;
    rec.stateEvents.push({ seq, state });
  }

  // ---- users ------------------------------------------------------------------------------------

  /** @returns the record; spec: user properties (userPrincipalName required). */
  addUser(spec) {
    const upn = spec?.userPrincipalName;
    if (typeof upn !== "string" || !/^[^@\s]+@[^@\s]+$/.test(upn)) {
      throw new DirectoryError(400, "Request_BadRequest", "Invalid value specified for property 'userPrincipalName' of resource 'User'.");
    }
    if (this.userByUpn.has(upn.toLowerCase())) {
      throw new DirectoryError(400, "Request_BadRequest", "Another object with the same value for property userPrincipalName already exists.");
    }
    for (const k of Object.keys(spec)) {
      if (!USER_PROPS.has(k)) throw new DirectoryError(400, "Request_BadRequest", `Property '${k}' does not exist as a declared property or extension property.`);
    }
    const props = {
      businessPhones: [],
      displayName: upn.split("@")[0],
      accountEnabled: true,
      mailNickname: upn.split("@")[0],
      userType: "Member",
      createdDateTime: directoryTime(this.nowMs()),
      ...spec,
    };
    delete props.id;
    const rec = {
      kind: "user", id: spec.id ?? randomUUID(), seq: 0, props, state: "live", stateEvents: [],
      groups: new Set(), removedFrom: null, changedSeq: 0,
    };
    if (this.byId.user.has(rec.id)) throw new DirectoryError(400, "Request_BadRequest", "Another object with the same value for property id already exists.");
    rec.seq = this.record("user", rec, null);
    this.setState(rec, "live", rec.seq);
    this.records.user.push(rec);
    this.byId.user.set(rec.id, rec);
    this.userByUpn.set(upn.toLowerCase(), rec);
    return rec;
  }

  /** A live user by id or userPrincipalName (case-insensitive), else undefined. */
  findUser(key) {
    if (typeof key !== "string") return undefined;
    const rec = this.byId.user.get(key) ?? this.byId.user.get(key.toLowerCase()) ?? this.userByUpn.get(key.toLowerCase());
    return rec && rec.state === "live" ? rec : undefined;
  }

  mustFindUser(key) {
    const rec = this.findUser(key);
    if (!rec) throw new DirectoryError(404, "Request_ResourceNotFound", `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
    return rec;
  }

  /** @returns the names of the properties that changed (empty: nothing logged). */
  updateUser(rec, patch) {
    const changed = [];
    for (const [k, v] of Object.entries(patch)) {
      if (k === "id") continue;
      if (!USER_PROPS.has(k)) throw new DirectoryError(400, "Request_BadRequest", `Property '${k}' does not exist as a declared property or extension property.`);
      if (JSON.stringify(rec.props[k]) === JSON.stringify(v)) continue;
      if (k === "userPrincipalName") {
        if (typeof v !== "string" || !/^[^@\s]+@[^@\s]+$/.test(v)) {
          throw new DirectoryError(400, "Request_BadRequest", "Invalid value specified for property 'userPrincipalName' of resource 'User'.");
        }
        const other = this.userByUpn.get(v.toLowerCase());
        if (other && other !== rec) throw new DirectoryError(400, "Request_BadRequest", "Another object with the same value for property userPrincipalName already exists.");
        this.userByUpn.delete(String(rec.props.userPrincipalName).toLowerCase());
        this.userByUpn.set(v.toLowerCase(), rec);
      }
      rec.props[k] = v;
      changed.push(k);
    }
    if (changed.length) this.record("user", rec, changed);
    return changed;
  }

  /**
   * Soft delete: the user goes to deleted items and leaves its groups (a restore brings both
   * back). @returns the groups it left.
   */
  softDeleteUser(rec) {
    const left = [...rec.groups].map((gid) => this.byId.group.get(gid));
    for (const g of left) this.removeMember(g, rec);
    rec.removedFrom = left.map((g) => g.id);
    rec.props.deletedDateTime = directoryTime(this.nowMs());
    const seq = this.record("user", rec, null);
    this.setState(rec, "softDeleted", seq);
    return left;
  }

  /** Restores a soft-deleted user by id. @returns {rec, groups} (groups it rejoined). */
  restoreUser(id) {
    const rec = this.byId.user.get(id);
    if (!rec || rec.state !== "softDeleted") throw new DirectoryError(404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
    rec.props.deletedDateTime = null;
    const seq = this.record("user", rec, null);
    this.setState(rec, "live", seq);
    const groups = [];
    for (const gid of rec.removedFrom ?? []) {
      const g = this.byId.group.get(gid);
      if (g && g.state === "live") { this.addMember(g, rec); groups.push(g); }
    }
    rec.removedFrom = null;
    return { rec, groups };
  }

  /** Permanent delete (from live or from deleted items). @returns groups it left. */
  purgeUser(rec) {
    const left = rec.state === "live" ? this.softDeleteUser(rec) : [];
    this.userByUpn.delete(String(rec.props.userPrincipalName).toLowerCase());
    rec.removedFrom = null;
    const seq = this.record("user", rec, null);
    this.setState(rec, "purged", seq);
    return left;
  }

  // ---- groups -----------------------------------------------------------------------------------

  createGroup(spec = {}) {
    if (typeof spec.displayName !== "string" || spec.displayName === "") {
      throw new DirectoryError(400, "Request_BadRequest", "Invalid value specified for property 'displayName' of resource 'Group'.");
    }
    for (const k of Object.keys(spec)) {
      if (!GROUP_PROPS.has(k)) throw new DirectoryError(400, "Request_BadRequest", `Property '${k}' does not exist as a declared property or extension property.`);
    }
    const now = directoryTime(this.nowMs());
    const props = {
      mailNickname: spec.mailNickname ?? (spec.displayName.replace(/[^A-Za-z0-9]/g, "").toLowerCase() || "group"),
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      createdDateTime: now,
      renewedDateTime: now,
      proxyAddresses: [],
      resourceBehaviorOptions: [],
      resourceProvisioningOptions: [],
      ...spec,
    };
    delete props.id;
    const rec = {
      kind: "group", id: spec.id ?? randomUUID(), seq: 0, props, state: "live", stateEvents: [],
      members: new Map(), // user id -> [{seq, op: "add"|"remove"}] (sorted)
      current: new Set(), // user ids that are members now
      changedSeq: 0,
    };
    rec.seq = this.record("group", rec, null);
    this.setState(rec, "live", rec.seq);
    this.records.group.push(rec);
    this.byId.group.set(rec.id, rec);
    return rec;
  }

  /** A live group by id (or, for tests, by displayName). */
  findGroup(key) {
    if (typeof key !== "string") return undefined;
    let rec = this.byId.group.get(key) ?? this.byId.group.get(key.toLowerCase());
    if (!rec) rec = this.records.group.find((g) => g.state === "live" && g.props.displayName === key);
    return rec && rec.state === "live" ? rec : undefined;
  }

  mustFindGroup(key) {
    const rec = this.findGroup(key);
    if (!rec) throw new DirectoryError(404, "Request_ResourceNotFound", `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
    return rec;
  }

  updateGroup(rec, patch) {
    const changed = [];
    for (const [k, v] of Object.entries(patch)) {
      if (k === "id") continue;
      if (!GROUP_PROPS.has(k)) throw new DirectoryError(400, "Request_BadRequest", `Property '${k}' does not exist as a declared property or extension property.`);
      if (JSON.stringify(rec.props[k]) === JSON.stringify(v)) continue;
      rec.props[k] = v;
      changed.push(k);
    }
    if (changed.length) this.record("group", rec, changed);
    return changed;
  }

  deleteGroup(rec) {
    rec.props.deletedDateTime = directoryTime(this.nowMs());
    const seq = this.record("group", rec, null);
    this.setState(rec, "softDeleted", seq);
  }

  purgeGroup(rec) {
    const seq = this.record("group", rec, null);
    this.setState(rec, "purged", seq);
    for (const uid of rec.current) this.byId.user.get(uid)?.groups.delete(rec.id);
  }

  /** @returns false when the user already was a member. */
  addMember(g, u) {
    if (g.current.has(u.id)) return false;
    const seq = this.record("group", g, [], true);
    if (!g.members.has(u.id)) g.members.set(u.id, []);
    g.members.get(u.id).push({ seq, op: "add" });
    g.current.add(u.id);
    u.groups.add(g.id);
    return true;
  }

  /** @returns false when the user was not a member. */
  removeMember(g, u) {
    if (!g.current.has(u.id)) return false;
    const seq = this.record("group", g, [], true);
    g.members.get(u.id).push({ seq, op: "remove" });
    g.current.delete(u.id);
    u.groups.delete(g.id);
    return true;
  }

  /** Current member records of a group, in creation order. */
  memberRecords(g) {
    return [...g.current].map((id) => this.byId.user.get(id)).sort((a, b) => a.seq - b.seq);
  }

  // ---- bulk -------------------------------------------------------------------------------------

  /** Bulk creation without notifications: {users, groups, membersPerGroup}. */
  seed({ users = 0, groups = 0, membersPerGroup = 0, prefix = "seed" } = {}) {
    const made = { users: [], groups: [] };
    const base = this.records.user.length;
    for (let i = 0; i < users; i++) {
      const n = base + i;
      made.users.push(this.addUser({
        userPrincipalName: `${prefix}${n}@${this.domain}`,
        displayName: `Seed User ${n}`,
        givenName: "Seed",
        surname: `User${n}`,
        mail: `${prefix}${n}@${this.domain}`,
      }));
    }
    const pool = made.users.length ? made.users : this.records.user.filter((u) => u.state === "live");
    for (let j = 0; j < groups; j++) {
      const g = this.createGroup({ displayName: `${prefix} group ${this.records.group.length}` });
      made.groups.push(g);
      for (let k = 0; k < Math.min(membersPerGroup, pool.length); k++) {
        this.addMember(g, pool[(j * membersPerGroup + k) % pool.length]);
      }
    }
    return { users: made.users.length, groups: made.groups.length };
  }

  // ---- resources ----------------------------------------------------------------------------------

  /** @returns the select list validated, or null for "default". */
  parseSelect(kind, raw, { allowMembers = false } = {}) {
    if (raw === null || raw === undefined || raw.trim() === "") return null;
    const known = kind === "user" ? USER_PROPS : GROUP_PROPS;
    const list = [];
    for (const p of raw.split(",").map((s) => s.trim()).filter(Boolean)) {
      if (!(known.has(p) || (allowMembers && p === "members"))) {
        throw new DirectoryError(400, "Request_BadRequest", `Could not find a property named '${p}' on type '${TYPE_NAMES[kind]}'.`);
      }
      if (!list.includes(p)) list.push(p);
    }
    return list;
  }

  /** The resource as GET answers it: every selected property, null when unset. */
  resource(rec, select) {
    const props = select ?? (rec.kind === "user" ? USER_DEFAULT_PROPS : GROUP_DEFAULT_PROPS);
    const out = {};
    for (const p of props) {
      if (p === "id") continue;
      out[p] = rec.props[p] === undefined ? null : rec.props[p];
    }
    // Graph puts id first for groups (group-get example) and last for users (user-get example).
    return rec.kind === "group" ? { id: rec.id, ...out } : { ...out, id: rec.id };
  }

  // ---- delta ----------------------------------------------------------------------------------------

  /** Is a change-log entry one this tracked query sees? */
  relevant(entry, q) {
    if (entry.props === null) return true; // created, deleted, restored
    if (entry.members) return q.members;
    if (!q.select) return true; // no $select: every property is tracked
    return entry.props.some((p) => q.select.includes(p));
  }

  stateAt(rec, seq) {
    return lastAtOrBefore(rec.stateEvents, seq)?.state;
  }

  /** The records a round (since, upto] returns, in creation order; cached per round. */
  roundRecords(q, since, upto) {
    const cacheKey = `${q.kind}|${q.select ? q.select.join(",") : "*"}|${q.members}|${since}|${upto}`;
    let recs = this.roundCache.get(cacheKey);
    if (recs) return recs;
    if (since === 0) {
      recs = this.records[q.kind].filter((r) => r.seq <= upto && this.stateAt(r, upto) === "live");
    } else {
      const log = this.log[q.kind];
      const seen = new Set();
      recs = [];
      for (let i = lowerBound(log, since + 1); i < log.length && log[i].seq <= upto; i++) {
        const e = log[i];
        if (!seen.has(e.rec) && this.relevant(e, q)) { seen.add(e.rec); recs.push(e.rec); }
      }
      // Created and deleted within one incremental round still shows as @removed (allowed:
      // "The @removed object can be returned in ... tracked (deltaLink) responses").
      recs.sort((a, b) => a.seq - b.seq);
    }
    if (this.roundCache.size > 16) this.roundCache.delete(this.roundCache.keys().next().value);
    this.roundCache.set(cacheKey, recs);
    return recs;
  }

  /** Property names of rec changed in (since, upto], or null when it was created in that window. */
  changedProps(rec, since, upto) {
    if (rec.seq > since) return null;
    const out = new Set();
    const log = this.log[rec.kind];
    for (let i = lowerBound(log, since + 1); i < log.length && log[i].seq <= upto; i++) {
      if (log[i].rec === rec && log[i].props) for (const p of log[i].props) out.add(p);
    }
    return out;
  }

  /** members@delta of group g for the round (since, upto], sorted by member creation. */
  memberDelta(g, since, upto) {
    const out = [];
    for (const [uid, events] of g.members) {
      const atUpto = lastAtOrBefore(events, upto)?.op === "add";
      if (since === 0) {
        if (atUpto) out.push({ uid, removed: false });
        continue;
      }
      if (events.length === 0 || events[events.length - 1].seq <= since) continue; // untouched this round
      const atSince = lastAtOrBefore(events, since)?.op === "add";
      if (atSince !== atUpto) out.push({ uid, removed: !atUpto });
    }
    out.sort((a, b) => this.byId.user.get(a.uid).seq - this.byId.user.get(b.uid).seq);
    return out.map(({ uid, removed }) => (removed
      ? { "@odata.type": MEMBER_TYPE, id: uid, "@removed": { reason: "deleted" } }
      : { "@odata.type": MEMBER_TYPE, id: uid }));
  }

  /** One object as a delta response shows it (without members@delta). */
  deltaObject(rec, q, since, upto, minimal) {
    if (rec.state !== "live") return { id: rec.id, "@removed": { reason: STATE_REASON[rec.state] } };
    const props = q.select ?? (rec.kind === "user" ? USER_DEFAULT_PROPS : GROUP_DEFAULT_PROPS);
    const changed = minimal && since > 0 ? this.changedProps(rec, since, upto) : null;
    const out = {};
    for (const p of props) {
      if (p === "id" || p === "members") continue;
      if (changed && !changed.has(p)) continue;
      if (rec.props[p] !== undefined) out[p] = rec.props[p];
    }
    out.id = rec.id;
    return out;
  }

  /**
   * One page of a delta round.
   * @param {{kind: "user"|"group", select: string[]|null, members: boolean}} q
   * @param {{since: number, upto: number, pos: [number, number]|null, pageSize: number,
   *          memberBudget: number, minimal: boolean}} r
   * @returns {{items: object[], next: [number, number]|null}} next: resume position
   */
  deltaPage(q, { since, upto, pos, pageSize, memberBudget, minimal }) {
    const recs = this.roundRecords(q, since, upto);
    const items = [];
    let links = 0;
    let idx = pos ? lowerBound(recs, pos[0]) : 0;
    let offset = pos && idx < recs.length && recs[idx].seq === pos[0] ? pos[1] : 0;
    while (idx < recs.length) {
      const rec = recs[idx];
      if (items.length >= pageSize) return { items, next: [rec.seq, offset] };
      const obj = this.deltaObject(rec, q, since, upto, minimal);
      const members = q.kind === "group" && q.members && rec.state === "live" ? this.memberDelta(rec, since, upto) : [];
      if (members.length > offset) {
        const room = memberBudget - links;
        if (room <= 0) return { items, next: [rec.seq, offset] };
        const chunk = members.slice(offset, offset + room);
        items.push({ ...obj, "members@delta": chunk });
        links += chunk.length;
        if (offset + chunk.length < members.length) return { items, next: [rec.seq, offset + chunk.length] };
      } else if (offset === 0) {
        items.push(obj);
      }
      idx++;
      offset = 0;
    }
    return { items, next: null };
  }
}
