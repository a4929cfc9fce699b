// The stand-in's Google Workspace directory: users, groups and group members, and their
// resource shapes as the Admin SDK Directory API returns them.
//
// Users resource:   https://developers.google.com/workspace/admin/directory/reference/rest/v1/users
// Groups resource:  https://developers.google.com/workspace/admin/directory/reference/rest/v1/groups
// Members resource: https://developers.google.com/workspace/admin/directory/reference/rest/v1/members
// User search query syntax (users.list `query`):
//   https://developers.google.com/workspace/admin/directory/v1/guides/search-users
//
// int64 fields (group directMembersCount) are JSON strings, as in every Google JSON API.

import { createHash, randomBytes, randomInt } from "node:crypto";

const NEVER_LOGGED_IN = "1970-01-01T00:00:00.000Z";
const ID36 = "0123456789abcdefghijklmnopqrstuvwxyz";

function etagOf(obj) {
  // Google etags are quoted strings; their content is opaque.
  return `"${createHash("sha1").update(typeof obj === "string" ? obj : JSON.stringify(obj)).digest("base64url")}"`;
}

function byKeyInsert(arr, rec) {
  let lo = 0, hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid].seq < rec.seq) lo = mid + 1; else hi = mid;
  }
  arr.splice(lo, 0, rec);
}

function byKeyRemove(arr, rec) {
  let lo = 0, hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid].seq < rec.seq) lo = mid + 1; else hi = mid;
  }
  if (arr[lo] === rec) arr.splice(lo, 1);
}

export class DirectoryError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export class DirectoryData {
  /** @param {{customerId: string, domain: string, nowMs: () => number}} opts */
  constructor({ customerId, domain, nowMs }) {
    this.customerId = customerId;
    this.domain = domain;
    this.nowMs = nowMs;
    this.seq = 0;
    // 21-digit numeric user ids: a fixed 6-digit prefix and a 15-digit counter that grows by a
    // random step (plain numbers, no BigInt, so seeding 100k users stays fast).
    this.idPrefix = String(100000 + randomInt(0, 900000));
    this.idCounter = randomInt(1, 2 ** 40);
    this.users = new Map(); // id -> record (deleted ones too, for undelete)
    this.userByEmail = new Map(); // lower-cased primary email or alias -> live record
    this.liveUsers = []; // live records in creation order (seq)
    this.groups = new Map(); // id -> group record
    this.groupByEmail = new Map();
    this.liveGroups = [];
    this.userGroups = new Map(); // user id -> Set of group ids
    this.version = 0; // bumped whenever a users listing could change
    this.viewCache = new Map();
    this.seedCounter = 0;
  }

  // ---- ids ----------------------------------------------------------------------------

  newUserId() {
    this.idCounter += 1 + Math.floor(Math.random() * 997);
    return this.idPrefix + String(this.idCounter).padStart(15, "0");
  }

  newGroupId() {
    let id;
    do {
      id = "0";
      const bytes = randomBytes(14);
      for (const b of bytes) id += ID36[b % 36];
    } while (this.groups.has(id));
    return id;
  }

  // ---- users --------------------------------------------------------------------------

  normalizeEmail(email) {
    if (typeof email !== "string" || !/^[^@\s]+@[^@\s]+$/.test(email)) {
      throw new DirectoryError(400, `Invalid Input: primary_user_email`);
    }
    return email.toLowerCase();
  }

  emailTaken(lower) {
    return this.userByEmail.has(lower) || this.groupByEmail.has(lower);
  }

  // A user record as addUser and seed make it (Google's defaults for a new user).
  newUserRecord(spec, nowIso) {
    return {
      seq: ++this.seq,
      id: this.newUserId(),
      primaryEmail: spec.primaryEmail,
      givenName: spec.givenName ?? "",
      familyName: spec.familyName ?? "",
      isAdmin: Boolean(spec.isAdmin),
      isDelegatedAdmin: false,
      suspended: Boolean(spec.suspended),
      archived: false,
      orgUnitPath: spec.orgUnitPath ?? "/",
      externalIds: spec.externalIds,
      aliases: [],
      creationTime: nowIso,
      lastLoginTime: NEVER_LOGGED_IN,
      changePasswordAtNextLogin: false,
      deleted: false,
      rev: 0,
      etag: null,
    };
  }

  addUser(spec) {
    const lower = this.normalizeEmail(spec.primaryEmail);
    if (this.emailTaken(lower)) throw new DirectoryError(409, "Entity already exists.");
    const rec = this.newUserRecord(spec, new Date(this.nowMs()).toISOString());
    this.users.set(rec.id, rec);
    this.userByEmail.set(lower, rec);
    this.liveUsers.push(rec);
    this.version++;
    return rec;
  }

  /** Live user by id or primary email/alias (case-insensitive); null when absent or deleted. */
  findUser(key) {
    if (typeof key !== "string" || key === "") return null;
    if (/^\d+$/.test(key)) {
      const rec = this.users.get(key);
      return rec && !rec.deleted ? rec : null;
    }
    return this.userByEmail.get(key.toLowerCase()) ?? null;
  }

  mustFindUser(key) {
    const rec = this.findUser(key);
    if (!rec) throw new DirectoryError(404, `Resource Not Found: userKey`);
    return rec;
  }

  /**
   * Applies a patch; returns what changed.
   * patch: {primaryEmail?, givenName?, familyName?, name?: {givenName?, familyName?},
   *         orgUnitPath?, suspended?, isAdmin?, archived?, externalIds?}
   */
  updateUser(rec, patch) {
    const changed = {};
    if (patch.primaryEmail !== undefined && patch.primaryEmail.toLowerCase() !== rec.primaryEmail.toLowerCase()) {
      const lower = this.normalizeEmail(patch.primaryEmail);
      const holder = this.userByEmail.get(lower);
      if (holder === rec) {
        // Renaming back to one of the user's own aliases: it stops being an alias.
        rec.aliases = rec.aliases.filter((a) => a.toLowerCase() !== lower);
      } else if (this.emailTaken(lower)) {
        throw new DirectoryError(409, "Entity already exists.");
      }
      // Renaming a user keeps the old address as an alias that still resolves to the user.
      rec.aliases.push(rec.primaryEmail);
      changed.primaryEmail = { old: rec.primaryEmail, new: patch.primaryEmail };
      rec.primaryEmail = patch.primaryEmail;
      this.userByEmail.set(lower, rec);
    } else if (patch.primaryEmail !== undefined) {
      rec.primaryEmail = patch.primaryEmail; // case-only change
    }
    const given = patch.givenName ?? patch.name?.givenName;
    const family = patch.familyName ?? patch.name?.familyName;
    if (given !== undefined && given !== rec.givenName) { changed.givenName = true; rec.givenName = given; }
    if (family !== undefined && family !== rec.familyName) { changed.familyName = true; rec.familyName = family; }
    for (const f of ["orgUnitPath", "archived", "externalIds"]) {
      if (patch[f] !== undefined) { changed[f] = true; rec[f] = patch[f]; }
    }
    if (patch.suspended !== undefined && Boolean(patch.suspended) !== rec.suspended) {
      rec.suspended = Boolean(patch.suspended);
      changed.suspended = rec.suspended;
    }
    if (patch.isAdmin !== undefined && Boolean(patch.isAdmin) !== rec.isAdmin) {
      rec.isAdmin = Boolean(patch.isAdmin);
      changed.isAdmin = rec.isAdmin;
    }
    rec.etag = null;
    this.touchMembershipsOf(rec);
    this.version++;
    return changed;
  }

  deleteUser(rec) {
    rec.deleted = true;
    rec.etag = null;
    for (const e of [rec.primaryEmail, ...rec.aliases]) this.userByEmail.delete(e.toLowerCase());
    byKeyRemove(this.liveUsers, rec);
    // A deleted user leaves every group it was in.
    for (const gid of this.userGroups.get(rec.id) ?? []) {
      const g = this.groups.get(gid);
      if (g) { g.members.delete(rec.id); g.membersVersion++; g.etag = null; }
    }
    this.userGroups.delete(rec.id);
    this.version++;
  }

  undeleteUser(id) {
    const rec = this.users.get(id);
    if (!rec || !rec.deleted) throw new DirectoryError(404, "Resource Not Found: userKey");
    if (this.emailTaken(rec.primaryEmail.toLowerCase())) throw new DirectoryError(409, "Entity already exists.");
    rec.deleted = false;
    rec.etag = null;
    this.userByEmail.set(rec.primaryEmail.toLowerCase(), rec);
    for (const a of rec.aliases) {
      if (!this.emailTaken(a.toLowerCase())) this.userByEmail.set(a.toLowerCase(), rec);
    }
    byKeyInsert(this.liveUsers, rec);
    this.version++;
    return rec;
  }

  /** The user resource as users.get returns it. */
  userResource(rec) {
    const r = {
      kind: "admin#directory#user",
      id: rec.id,
      etag: "",
      primaryEmail: rec.primaryEmail,
      name: {
        givenName: rec.givenName,
        familyName: rec.familyName,
        fullName: `${rec.givenName} ${rec.familyName}`.trim(),
      },
      isAdmin: rec.isAdmin,
      isDelegatedAdmin: rec.isDelegatedAdmin,
      lastLoginTime: rec.lastLoginTime,
      creationTime: rec.creationTime,
      agreedToTerms: true,
      suspended: rec.suspended,
      ...(rec.suspended ? { suspensionReason: "ADMIN" } : {}),
      archived: rec.archived,
      changePasswordAtNextLogin: rec.changePasswordAtNextLogin,
      ipWhitelisted: false,
      emails: [
        { address: rec.primaryEmail, primary: true },
        ...rec.aliases.map((address) => ({ address })),
      ],
      ...(rec.aliases.length ? { aliases: [...rec.aliases] } : {}),
      ...(rec.externalIds ? { externalIds: rec.externalIds } : {}),
      customerId: this.customerId,
      orgUnitPath: rec.orgUnitPath,
      isMailboxSetup: true,
      isEnrolledIn2Sv: false,
      isEnforcedIn2Sv: false,
      includeInGlobalAddressList: true,
    };
    // The etag changes whenever the record does (rec.etag is reset to null on every mutation).
    if (rec.etag === null) rec.etag = etagOf(`${rec.id}:${++rec.rev}:${rec.deleted}`);
    r.etag = rec.etag;
    return r;
  }

  /**
   * Live users for users.list, filtered by `query` and sorted by `orderBy`.
   * @returns {{items: object[], keyOf: (rec) => any[], desc: boolean, view: string}}
   */
  usersView({ orderBy, sortOrder, query }) {
    const desc = sortOrder === "DESCENDING";
    const view = `users|${orderBy ?? ""}|${desc ? "d" : "a"}|${query ?? ""}`;
    const keyOf = orderBy === "email" ? (r) => [r.primaryEmail.toLowerCase(), r.seq]
      : orderBy === "givenName" ? (r) => [r.givenName.toLowerCase(), r.seq]
      : orderBy === "familyName" ? (r) => [r.familyName.toLowerCase(), r.seq]
      : (r) => [r.seq];
    const cacheKey = `${this.version}|${view}`;
    let items = this.viewCache.get(cacheKey);
    if (!items) {
      const match = query ? compileUserQuery(query) : null;
      items = match ? this.liveUsers.filter(match) : this.liveUsers;
      if (orderBy) {
        items = [...items].sort((a, b) => {
          const ka = keyOf(a), kb = keyOf(b);
          for (let i = 0; i < ka.length; i++) {
            if (ka[i] < kb[i]) return desc ? 1 : -1;
            if (ka[i] > kb[i]) return desc ? -1 : 1;
          }
          return 0;
        });
      }
      // Only keep views of the current version.
      for (const k of this.viewCache.keys()) if (!k.startsWith(`${this.version}|`)) this.viewCache.delete(k);
      this.viewCache.set(cacheKey, items);
    }
    return { items, keyOf, desc: Boolean(orderBy) && desc, view };
  }

  // ---- groups -------------------------------------------------------------------------

  createGroup({ email, name, description }) {
    const lower = this.normalizeEmail(email);
    if (this.emailTaken(lower)) throw new DirectoryError(409, "Entity already exists.");
    const g = {
      seq: ++this.seq,
      id: this.newGroupId(),
      email,
      name: name ?? email.split("@")[0],
      description: description ?? "",
      members: new Map(), // user id -> {seq, role}
      groupMembers: new Map(), // nested group id -> {seq, role}
      membersVersion: 0,
      etag: null,
    };
    this.groups.set(g.id, g);
    this.groupByEmail.set(lower, g);
    this.liveGroups.push(g);
    return g;
  }

  findGroup(key) {
    if (typeof key !== "string" || key === "") return null;
    const byId = this.groups.get(key);
    if (byId) return byId;
    return this.groupByEmail.get(key.toLowerCase()) ?? null;
  }

  mustFindGroup(key) {
    const g = this.findGroup(key);
    if (!g) throw new DirectoryError(404, "Resource Not Found: groupKey");
    return g;
  }

  renameGroup(g, name) {
    const old = g.name;
    g.name = name;
    g.etag = null;
    return old;
  }

  deleteGroup(g) {
    this.groups.delete(g.id);
    this.groupByEmail.delete(g.email.toLowerCase());
    byKeyRemove(this.liveGroups, g);
    for (const uid of g.members.keys()) this.userGroups.get(uid)?.delete(g.id);
    for (const parent of this.groups.values()) {
      if (parent.groupMembers.delete(g.id)) parent.membersVersion++;
    }
  }

  /** A group as a member of another (members.insert with a group's email). */
  addGroupMember(parent, child) {
    if (parent === child || parent.groupMembers.has(child.id)) throw new DirectoryError(409, "Member already exists.");
    parent.groupMembers.set(child.id, { seq: ++this.seq, role: "MEMBER" });
    parent.membersVersion++;
  }

  removeGroupMember(parent, child) {
    if (!parent.groupMembers.delete(child.id)) throw new DirectoryError(404, "Resource Not Found: memberKey");
    parent.membersVersion++;
  }

  /**
   * The users of a group, direct and through nested groups (members.hasMember and
   * members.list with includeDerivedMembership): user id -> the {seq, role} of the
   * membership that reaches it first.
   */
  derivedUsers(g) {
    const users = new Map();
    const seen = new Set([g.id]);
    const queue = [g];
    while (queue.length) {
      const group = queue.shift();
      for (const [uid, m] of group.members) if (!users.has(uid)) users.set(uid, m);
      for (const gid of group.groupMembers.keys()) {
        const child = this.groups.get(gid);
        if (child && !seen.has(gid)) { seen.add(gid); queue.push(child); }
      }
    }
    return users;
  }

  addMember(g, user, role = "MEMBER") {
    if (g.members.has(user.id)) throw new DirectoryError(409, "Member already exists.");
    g.members.set(user.id, { seq: ++this.seq, role });
    g.membersVersion++;
    g.etag = null;
    let set = this.userGroups.get(user.id);
    if (!set) this.userGroups.set(user.id, (set = new Set()));
    set.add(g.id);
  }

  removeMember(g, user) {
    if (!g.members.delete(user.id)) throw new DirectoryError(404, "Resource Not Found: memberKey");
    g.membersVersion++;
    g.etag = null;
    this.userGroups.get(user.id)?.delete(g.id);
  }

  touchMembershipsOf(rec) {
    // A member resource carries the user's email and status, so its etag changes too.
    for (const gid of this.userGroups.get(rec.id) ?? []) {
      const g = this.groups.get(gid);
      if (g) g.membersVersion++;
    }
  }

  groupResource(g) {
    const r = {
      kind: "admin#directory#group",
      id: g.id,
      etag: "",
      email: g.email,
      name: g.name,
      directMembersCount: String(g.members.size),
      description: g.description,
      adminCreated: true,
    };
    if (g.etag === null) g.etag = etagOf({ ...r, etag: undefined });
    r.etag = g.etag;
    return r;
  }

  /** Groups for groups.list; `userKey` restricts to the groups that user is a direct member of. */
  groupsView({ userRec }) {
    const items = userRec
      ? this.liveGroups.filter((g) => g.members.has(userRec.id))
      : this.liveGroups;
    return { items, keyOf: (g) => [g.seq], desc: false, view: `groups|${userRec?.id ?? ""}` };
  }

  memberResource(userRec, m) {
    const r = {
      kind: "admin#directory#member",
      etag: "",
      id: userRec.id,
      email: userRec.primaryEmail,
      role: m.role,
      type: "USER",
      status: userRec.suspended ? "SUSPENDED" : "ACTIVE",
    };
    r.etag = etagOf({ ...r, etag: undefined });
    return r;
  }

  /** A nested group as members.list shows it: type GROUP. */
  groupMemberResource(child, m) {
    const r = { kind: "admin#directory#member", etag: "", id: child.id, email: child.email, role: m.role, type: "GROUP" };
    r.etag = etagOf({ ...r, etag: undefined });
    return r;
  }

  /**
   * members.list: the direct members (users {uid, m} and nested groups {gid, m}); with
   * `derived`, also the users only reachable through nested groups (not cached: any
   * nested group's change shows).
   */
  membersView(g, { roles, derived = false }) {
    const cacheKey = `members|${g.id}|${g.membersVersion}|${roles ?? ""}`;
    let items = derived ? null : this.viewCache.get(cacheKey);
    if (!items) {
      const allowed = roles ? new Set(roles.split(",").map((s) => s.trim().toUpperCase())) : null;
      items = [];
      for (const [uid, m] of g.members) {
        if (allowed && !allowed.has(m.role)) continue;
        items.push({ uid, m });
      }
      for (const [gid, m] of g.groupMembers) {
        if (allowed && !allowed.has(m.role)) continue;
        items.push({ gid, m });
      }
      if (derived) {
        for (const [uid, m] of this.derivedUsers(g)) {
          if (!g.members.has(uid) && (!allowed || allowed.has(m.role))) items.push({ uid, m });
        }
      }
      items.sort((a, b) => a.m.seq - b.m.seq);
      if (!derived) this.viewCache.set(cacheKey, items);
    }
    return { items, keyOf: (x) => [x.m.seq], desc: false, view: `members|${g.id}|${roles ?? ""}|${derived}` };
  }

  // ---- bulk ---------------------------------------------------------------------------

  /** Bulk creation for benchmarks: no etags computed, no notifications. */
  seed({ users = 0, groups = 0, membersPerGroup = 0 }) {
    const nowIso = new Date(this.nowMs()).toISOString();
    const start = this.seedCounter;
    this.seedCounter += users;
    const created = [];
    for (let i = 0; i < users; i++) {
      const n = String(start + i + 1).padStart(6, "0");
      const primaryEmail = `user${n}@${this.domain}`;
      const lower = primaryEmail.toLowerCase();
      if (this.emailTaken(lower)) continue;
      const rec = this.newUserRecord({ primaryEmail, givenName: "User", familyName: n }, nowIso);
      this.users.set(rec.id, rec);
      this.userByEmail.set(lower, rec);
      this.liveUsers.push(rec);
      created.push(rec);
    }
    const groupStart = this.liveGroups.length;
    let memberships = 0;
    for (let j = 0; j < groups; j++) {
      let email, k = groupStart + j + 1;
      do { email = `group${String(k).padStart(4, "0")}@${this.domain}`; k += groups; } while (this.emailTaken(email));
      const g = this.createGroup({ email, name: `Group ${String(groupStart + j + 1).padStart(4, "0")}` });
      const pool = created.length ? created : this.liveUsers;
      const m = Math.min(membersPerGroup, pool.length);
      for (let x = 0; x < m; x++) {
        this.addMember(g, pool[(j * membersPerGroup + x) % pool.length]);
        memberships++;
      }
    }
    this.version++;
    return { users: created.length, groups, memberships };
  }
}

/**
 * A subset of the documented users.list query language: clauses `field:value`, `field=value`
 * joined by spaces (AND). ':' with a trailing '*' is a prefix match; otherwise exact
 * (case-insensitive). Fields: email, givenName, familyName, name, isAdmin, isSuspended,
 * orgUnitPath. Values may be quoted with ' or ".
 */
export function compileUserQuery(query) {
  const clauses = [];
  const re = /\s*([A-Za-z]+)\s*([:=])\s*('([^']*)'|"([^"]*)"|(\S+))/y;
  let pos = 0;
  const text = query.trim();
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new DirectoryError(400, "Invalid Input: query");
    pos = re.lastIndex;
    while (pos < text.length && text[pos] === " ") pos++;
    const field = m[1];
    const op = m[2];
    const raw = (m[4] ?? m[5] ?? m[6]).toLowerCase();
    const prefix = op === ":" && raw.endsWith("*");
    const value = prefix ? raw.slice(0, -1) : raw;
    const test = (s) => (prefix ? s.toLowerCase().startsWith(value) : s.toLowerCase() === value);
    switch (field) {
      case "email": clauses.push((r) => test(r.primaryEmail)); break;
      case "givenName": clauses.push((r) => test(r.givenName)); break;
      case "familyName": clauses.push((r) => test(r.familyName)); break;
      case "name": clauses.push((r) => test(`${r.givenName} ${r.familyName}`)); break;
      case "isAdmin": clauses.push((r) => String(r.isAdmin) === value); break;
      case "isSuspended": clauses.push((r) => String(r.suspended) === value); break;
      case "orgUnitPath": clauses.push((r) => test(r.orgUnitPath)); break;
      default: throw new DirectoryError(400, "Invalid Input: query");
    }
  }
  return (r) => clauses.every((c) => c(r));
}
