// A local stand-in for the Google APIs dirbridge talks to: the OAuth 2.0 token endpoint
// (service-account JWT bearer), the Admin SDK Directory API (users, groups, members, users.watch,
// channels.stop) and the Reports API (activities.watch, channels.stop), plus the push
// notifications Google sends to watch channels. Plain node:http, no dependencies.
//
// The stand-in's base URL stands for both https://oauth2.googleapis.com (POST /token) and
// https://admin.googleapis.com (every /admin/... path). Resource URIs it hands out
// (channel resourceUri, X-Goog-Resource-URI) name the real host, as Google would.
//
// See the other files in this directory for the shapes and the pages they come from:
//   jwt_assertion.mjs   token endpoint verification      google_errors.mjs  error bodies
//   directory_data.mjs  users/groups/members resources    paging.mjs         page tokens
//   push_sender.mjs     channels and notifications        reports_activity.mjs activity resources

import http from "node:http";
import { closeServer, listenOnLoopback, pollUntil, readBoundedBody } from "../loopback_server.mjs";
import { createHash, randomBytes, randomInt } from "node:crypto";
import { DirectoryData, DirectoryError } from "./directory_data.mjs";
import { ServiceAccountRegistry, verifyJwtAssertion } from "./jwt_assertion.mjs";
import { PushSender } from "./push_sender.mjs";
import { encodePageToken, decodePageToken, pageAfter } from "./paging.mjs";
import { adminActivity, GROUP_SETTINGS, USER_SETTINGS } from "./reports_activity.mjs";
import {
  apiErrorBody, badRequestBody, insufficientScopesBody, invalidCredentialsBody,
  missingCredentialsBody, notFoundBody, oauthErrorBody,
} from "./google_errors.mjs";

export { makeServiceAccount, signJwtAssertion } from "./service_account.mjs";

const ADMIN_HOST = "https://admin.googleapis.com";
const SCOPE = (s) => `https://www.googleapis.com/auth/${s}`;

// Scopes each method accepts (the "Authorization scopes" section of each reference page):
//   users.list/get/watch: https://developers.google.com/workspace/admin/directory/reference/rest/v1/users/list
//   groups.list/get:      https://developers.google.com/workspace/admin/directory/reference/rest/v1/groups/list
//   members.list:         https://developers.google.com/workspace/admin/directory/reference/rest/v1/members/list
//   channels.stop:        https://developers.google.com/workspace/admin/directory/reference/rest/v1/channels/stop
//   activities.watch, channels.stop (Reports):
//                         https://developers.google.com/workspace/admin/reports/reference/rest/v1/activities/watch
const SCOPES = {
  users: [SCOPE("admin.directory.user"), SCOPE("admin.directory.user.readonly"), SCOPE("cloud-platform")],
  groups: [SCOPE("admin.directory.group"), SCOPE("admin.directory.group.readonly"), SCOPE("cloud-platform")],
  members: [SCOPE("admin.directory.group"), SCOPE("admin.directory.group.readonly"),
    SCOPE("admin.directory.group.member"), SCOPE("admin.directory.group.member.readonly"), SCOPE("cloud-platform")],
  directoryChannels: [SCOPE("admin.directory.user"), SCOPE("admin.directory.user.readonly"),
    SCOPE("admin.directory.user.alias"), SCOPE("admin.directory.user.alias.readonly"), SCOPE("cloud-platform")],
  reports: [SCOPE("admin.reports.audit.readonly")],
};

// users.watch `event` values: https://developers.google.com/workspace/admin/directory/reference/rest/v1/users/watch
const USER_EVENTS = new Set(["add", "delete", "makeAdmin", "undelete", "update"]);
const DEFAULT_MAX_CHANNEL_TTL_SECONDS = 21600; // 6 hours
const JSON_TYPE = "application/json; charset=UTF-8";
const MAX_BODY = 1 << 20;

function etagOfList(parts) {
  const h = createHash("sha1");
  for (const p of parts) h.update(p);
  return `"${h.digest("base64url")}"`;
}

function randomResourceId() {
  const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  let s = "";
  for (const b of randomBytes(27)) s += abc[b % 64];
  return s;
}


/**
 * @param {{serviceAccounts?: {keyJson: object, publicKey?: any, scopes?: string[]}[],
 *          admins?: string[], customerId?: string, domain?: string,
 *          maxChannelTtlSeconds?: number, tokenLifetimeSeconds?: number, now?: () => number,
 *          pushRetries?: number, pushRetryBaseMs?: number, pushTimeoutMs?: number,
 *          requireHttps?: boolean}} [options]
 */
export async function startGoogleStandin(options = {}) {
  const nowMs = options.now ?? Date.now;
  const domain = options.domain ?? "example.com";
  const customerId = options.customerId ?? "C01abcde";
  const admins = (options.admins ?? [`admin@${domain}`]).map((a) => a.toLowerCase());
  const adminSet = new Set(admins);
  const adminProfileIds = new Map(admins.map((a) => [a, `1${String(randomInt(0, 1e10)).padStart(10, "0")}${String(randomInt(0, 1e10)).padStart(10, "0")}`]));
  const maxTtlSeconds = options.maxChannelTtlSeconds ?? DEFAULT_MAX_CHANNEL_TTL_SECONDS;
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3599;

  const registry = new ServiceAccountRegistry();
  for (const sa of options.serviceAccounts ?? []) registry.register(sa);
  const data = new DirectoryData({ customerId, domain, nowMs });
  const push = new PushSender({
    nowMs,
    retries: options.pushRetries ?? 2,
    retryBaseMs: options.pushRetryBaseMs ?? 25,
    timeoutMs: options.pushTimeoutMs ?? 5000,
  });
  const issued = new Map(); // access token -> {clientEmail, sub, scopes: Set, expiresAt}
  const requestLog = [];
  const faults = [];
  let tokenEndpointDown = false;

  // ---- HTTP plumbing ------------------------------------------------------------------

  function send(res, entry, status, body, headers = {}) {
    entry.status = status;
    if (body === null) {
      res.writeHead(status, headers);
      res.end();
      return;
    }
    const raw = JSON.stringify(body);
    res.writeHead(status, { "Content-Type": JSON_TYPE, "Content-Length": Buffer.byteLength(raw), ...headers });
    res.end(raw);
  }

  function parseBody(raw, contentType) {
    if (raw === "") return null;
    if (/^application\/x-www-form-urlencoded/i.test(contentType ?? "")) {
      return Object.fromEntries(new URLSearchParams(raw));
    }
    try { return JSON.parse(raw); } catch { return raw; }
  }

  function takeFault(method, path) {
    for (const f of faults) {
      if (f.count > 0 && (!f.method || f.method.toUpperCase() === method) && path.startsWith(f.pathPrefix)) {
        f.count--;
        return f;
      }
    }
    return null;
  }

  function faultBody(f, path) {
    if (f.body !== undefined) return f.body;
    if (path === "/token") {
      const error = f.status === 429 ? "rate_limit_exceeded" : f.status >= 500 ? "backend_error" : "invalid_request";
      return oauthErrorBody(error);
    }
    return apiErrorBody(f.status);
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://standin");
    const headers = { ...req.headers };
    if (headers.authorization !== undefined) headers.authorization = "[redacted]";
    const entry = {
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: null,
      time: nowMs(),
      status: null,
    };
    requestLog.push(entry);
    const got = await readBoundedBody(req, MAX_BODY);
    if (got.over) {
      send(res, entry, 413, apiErrorBody(400, { message: "Request body too large" }));
      return;
    }
    const raw = got.raw;
    entry.body = parseBody(raw, req.headers["content-type"]);

    const fault = takeFault(req.method, url.pathname);
    if (fault) {
      send(res, entry, fault.status, faultBody(fault, url.pathname), fault.headers ?? {});
      return;
    }
    try {
      await route(req, res, url, raw, entry);
    } catch (e) {
      if (e instanceof DirectoryError) {
        send(res, entry, e.status, apiErrorBody(e.status, { message: e.message }));
      } else {
        send(res, entry, 500, apiErrorBody(500, { message: `stand-in failure: ${e.message}` }));
      }
    }
  });

  // ---- routing --------------------------------------------------------------------------

  async function route(req, res, url, raw, entry) {
    const p = url.pathname;
    const m = req.method;
    let g;
    if (p === "/token") return tokenEndpoint(req, res, raw, entry);
    if (p === "/admin/directory/v1/users" && m === "GET") return listUsers(req, res, url, entry);
    if (p === "/admin/directory/v1/users/watch" && m === "POST") return watchUsers(req, res, url, raw, entry);
    if ((g = /^\/admin\/directory\/v1\/users\/([^/]+)$/.exec(p)) && m === "GET") return getUser(req, res, decodeURIComponent(g[1]), entry);
    if (p === "/admin/directory_v1/channels/stop" && m === "POST") return stopChannel(req, res, raw, entry, "directory");
    if (p === "/admin/directory/v1/groups" && m === "GET") return listGroups(req, res, url, entry);
    if ((g = /^\/admin\/directory\/v1\/groups\/([^/]+)$/.exec(p)) && m === "GET") return getGroup(req, res, decodeURIComponent(g[1]), entry);
    if ((g = /^\/admin\/directory\/v1\/groups\/([^/]+)\/members$/.exec(p)) && m === "GET") return listMembers(req, res, url, decodeURIComponent(g[1]), entry);
    if ((g = /^\/admin\/directory\/v1\/groups\/([^/]+)\/hasMember\/([^/]+)$/.exec(p)) && m === "GET") {
      return hasMember(req, res, decodeURIComponent(g[1]), decodeURIComponent(g[2]), entry);
    }
    if ((g = /^\/admin\/reports\/v1\/activity\/users\/([^/]+)\/applications\/([^/]+)\/watch$/.exec(p)) && m === "POST") {
      return watchActivities(req, res, url, raw, decodeURIComponent(g[1]), decodeURIComponent(g[2]), entry);
    }
    if (p === "/admin/reports_v1/channels/stop" && m === "POST") return stopChannel(req, res, raw, entry, "reports");
    send(res, entry, 404, apiErrorBody(404, { message: `The stand-in has no route for ${m} ${p}` }));
  }

  // ---- token endpoint -------------------------------------------------------------------
  // https://developers.google.com/identity/protocols/oauth2/service-account#makingrequest
  // POST application/x-www-form-urlencoded: grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer
  // &assertion=<JWT>; answer {"access_token", "expires_in", "token_type": "Bearer"}.

  function tokenEndpoint(req, res, raw, entry) {
    const noStore = { "Cache-Control": "no-cache, no-store, max-age=0, must-revalidate", Pragma: "no-cache" };
    const oauthError = (status, error, description) => send(res, entry, status, oauthErrorBody(error, description), noStore);
    if (tokenEndpointDown) return oauthError(503, "backend_error");
    if (req.method !== "POST") return oauthError(405, "invalid_request", `Method ${req.method} not allowed; use POST.`);
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(req.headers["content-type"] ?? "")) {
      return oauthError(400, "invalid_request", "Request must be application/x-www-form-urlencoded.");
    }
    const form = new URLSearchParams(raw);
    const grantType = form.get("grant_type");
    if (!grantType) return oauthError(400, "invalid_request", "Missing required parameter: grant_type");
    if (grantType !== "urn:ietf:params:oauth:grant-type:jwt-bearer") {
      return oauthError(400, "unsupported_grant_type", `Invalid grant_type: ${grantType}`);
    }
    const assertion = form.get("assertion");
    if (!assertion) return oauthError(400, "invalid_request", "Missing required parameter: assertion");
    const v = verifyJwtAssertion(assertion, { registry, admins: adminSet, nowMs: nowMs() });
    if (!v.ok) return oauthError(v.error === "unauthorized_client" ? 401 : 400, v.error, v.description);
    const token = `ya29.${randomBytes(64).toString("base64url")}`;
    issued.set(token, {
      clientEmail: v.account.clientEmail,
      sub: v.sub,
      scopes: new Set(v.scopes),
      issuedAt: nowMs(),
      expiresAt: nowMs() + tokenLifetimeSeconds * 1000,
    });
    send(res, entry, 200, { access_token: token, expires_in: tokenLifetimeSeconds, token_type: "Bearer" }, noStore);
  }

  /** Checks the bearer token and its scopes; answers the error itself and returns null on failure. */
  function authorize(req, res, entry, accepted, methodName) {
    const h = req.headers.authorization;
    const unauth = { "WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"' };
    if (!h) {
      send(res, entry, 401, missingCredentialsBody(), { "WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"' });
      return null;
    }
    const mm = /^Bearer\s+(\S+)\s*$/i.exec(h);
    const t = mm ? issued.get(mm[1]) : undefined;
    if (!t || nowMs() >= t.expiresAt) {
      send(res, entry, 401, invalidCredentialsBody(), unauth);
      return null;
    }
    if (!accepted.some((s) => t.scopes.has(s))) {
      send(res, entry, 403, insufficientScopesBody(methodName), {
        "WWW-Authenticate": `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${accepted.join(" ")}"`,
      });
      return null;
    }
    return t;
  }

  function maxResultsOf(url, def, max) {
    const v = url.searchParams.get("maxResults");
    if (v === null) return def;
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < 1 || n > max) throw new DirectoryError(400, "Invalid Input: maxResults");
    return n;
  }

  function listPage(url, view, maxResults) {
    const token = url.searchParams.get("pageToken");
    let lastKey = null;
    if (token) {
      lastKey = decodePageToken(token, view.view);
      if (!lastKey) throw new DirectoryError(400, "Invalid Input: pageToken");
    }
    const page = pageAfter(view.items, view.keyOf, lastKey, maxResults, view.desc);
    return { items: page.items, nextPageToken: page.nextKey ? encodePageToken(view.view, page.nextKey) : undefined };
  }

  /** customer=my_customer|<id> or domain=<domain>; false when neither names this domain. */
  function checkCustomer(url, res, entry) {
    const customer = url.searchParams.get("customer");
    const dom = url.searchParams.get("domain");
    if (customer === null && dom === null) {
      send(res, entry, 400, badRequestBody());
      return false;
    }
    if ((customer !== null && customer !== "my_customer" && customer !== customerId) ||
        (dom !== null && dom.toLowerCase() !== domain.toLowerCase())) {
      send(res, entry, 400, badRequestBody());
      return false;
    }
    return true;
  }

  // ---- Directory: users -----------------------------------------------------------------
  // users.list: https://developers.google.com/workspace/admin/directory/reference/rest/v1/users/list
  //   {"kind": "admin#directory#users", "etag", "users": [...], "nextPageToken"}; maxResults 1..500,
  //   default 100; orderBy email|familyName|givenName; sortOrder ASCENDING|DESCENDING; query.
  // users.get:  https://developers.google.com/workspace/admin/directory/reference/rest/v1/users/get

  function listUsers(req, res, url, entry) {
    if (!authorize(req, res, entry, SCOPES.users, "ccc.hosted.frontend.directory.v1.DirectoryUsers.List")) return;
    if (!checkCustomer(url, res, entry)) return;
    const maxResults = maxResultsOf(url, 100, 500);
    const orderBy = url.searchParams.get("orderBy") ?? undefined;
    if (orderBy !== undefined && !["email", "familyName", "givenName"].includes(orderBy)) {
      throw new DirectoryError(400, "Invalid Input: orderBy");
    }
    const sortOrder = url.searchParams.get("sortOrder") ?? undefined;
    if (sortOrder !== undefined && !["ASCENDING", "DESCENDING"].includes(sortOrder)) {
      throw new DirectoryError(400, "Invalid Input: sortOrder");
    }
    const view = data.usersView({ orderBy, sortOrder, query: url.searchParams.get("query") ?? undefined });
    const page = listPage(url, view, maxResults);
    const users = page.items.map((r) => data.userResource(r));
    send(res, entry, 200, {
      kind: "admin#directory#users",
      etag: etagOfList(users.map((u) => u.etag)),
      ...(users.length ? { users } : {}),
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    });
  }

  function getUser(req, res, userKey, entry) {
    if (!authorize(req, res, entry, SCOPES.users, "ccc.hosted.frontend.directory.v1.DirectoryUsers.Get")) return;
    const rec = data.findUser(userKey);
    if (!rec) return send(res, entry, 404, notFoundBody("userKey"));
    send(res, entry, 200, data.userResource(rec));
  }

  // ---- watch channels ---------------------------------------------------------------------
  // Request/response: https://developers.google.com/workspace/admin/directory/reference/rest/v1/users/watch
  // and the Channel resource https://developers.google.com/workspace/admin/directory/reference/rest/v1/channels
  //   request {"id", "type": "web_hook", "address", "token"?, "params": {"ttl": "<seconds>"}?, "expiration"?}
  //   response {"kind": "api#channel", "id", "resourceId", "resourceUri", "token"?, "expiration": "<ms>"}

  function parseChannelRequest(raw) {
    let body;
    try { body = JSON.parse(raw); } catch {
      throw new DirectoryError(400, "Invalid JSON payload received.");
    }
    if (!body || typeof body !== "object") throw new DirectoryError(400, "Invalid JSON payload received.");
    if (typeof body.id !== "string" || body.id === "") throw new DirectoryError(400, "Invalid Input: id");
    if (body.type !== "web_hook" && body.type !== "webhook") throw new DirectoryError(400, "Invalid Input: type");
    let address;
    try { address = new URL(body.address); } catch { address = null; }
    const okScheme = options.requireHttps ? ["https:"] : ["https:", "http:"];
    if (!address || !okScheme.includes(address.protocol)) {
      throw new DirectoryError(400, `WebHook callback must be HTTPS: ${body.address}`);
    }
    if (body.token !== undefined && (typeof body.token !== "string" || body.token.length > 256)) {
      throw new DirectoryError(400, "Invalid Input: token");
    }
    let ttl = maxTtlSeconds;
    if (body.params?.ttl !== undefined) {
      const t = String(body.params.ttl);
      if (!/^\d+$/.test(t)) throw new DirectoryError(400, "Invalid Input: params.ttl");
      ttl = Math.min(Number(t), maxTtlSeconds);
    }
    let expiration = nowMs() + ttl * 1000;
    if (body.expiration !== undefined && body.expiration !== null) {
      const e = Number(body.expiration);
      if (!Number.isFinite(e) || e <= nowMs()) throw new DirectoryError(400, "Invalid Input: expiration");
      expiration = Math.min(expiration, e);
    }
    if (push.has(body.id)) {
      throw new DirectoryError(400, `Channel id ${body.id} not unique`);
    }
    return { id: body.id, address: body.address, token: body.token, expiration };
  }

  function channelResponse(ch) {
    return {
      kind: "api#channel",
      id: ch.id,
      resourceId: ch.resourceId,
      resourceUri: ch.resourceUri,
      ...(ch.token !== undefined ? { token: ch.token } : {}),
      expiration: String(ch.expiration),
    };
  }

  function resourceUri(path, url, extra = {}) {
    const q = new URLSearchParams({ alt: "json" });
    for (const [k, v] of url.searchParams) if (k !== "access_token") q.append(k, v);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return `${ADMIN_HOST}${path}?${q}`;
  }

  // users.watch and the push guide: https://developers.google.com/workspace/admin/directory/v1/guides/push
  function watchUsers(req, res, url, raw, entry) {
    if (!authorize(req, res, entry, SCOPES.users, "ccc.hosted.frontend.directory.v1.DirectoryUsers.Watch")) return;
    if (!checkCustomer(url, res, entry)) return;
    const event = url.searchParams.get("event") ?? undefined;
    if (event !== undefined && !USER_EVENTS.has(event)) throw new DirectoryError(400, "Invalid Input: event");
    const spec = parseChannelRequest(raw);
    const ch = push.open({
      api: "directory",
      ...spec,
      resourceId: randomResourceId(),
      resourceUri: resourceUri("/admin/directory/v1/users", url),
      filter: { event },
    });
    send(res, entry, 200, channelResponse(ch));
  }

  // activities.watch: https://developers.google.com/workspace/admin/reports/reference/rest/v1/activities/watch
  // Reports push guide: https://developers.google.com/workspace/admin/reports/v1/guides/push
  function watchActivities(req, res, url, raw, userKey, applicationName, entry) {
    if (!authorize(req, res, entry, SCOPES.reports, "google.admin.AdminService.watchActivities")) return;
    const cust = url.searchParams.get("customerId");
    if (cust !== null && cust !== customerId) throw new DirectoryError(400, "Invalid Input: customerId");
    const spec = parseChannelRequest(raw);
    const ch = push.open({
      api: "reports",
      ...spec,
      resourceId: randomResourceId(),
      resourceUri: resourceUri(`/admin/reports/v1/activity/users/${encodeURIComponent(userKey)}/applications/${encodeURIComponent(applicationName)}`, url),
      filter: {
        userKey: userKey.toLowerCase(),
        applicationName,
        eventName: url.searchParams.get("eventName") ?? undefined,
      },
    });
    send(res, entry, 200, channelResponse(ch));
  }

  // channels.stop: Directory https://developers.google.com/workspace/admin/directory/reference/rest/v1/channels/stop
  //   (POST /admin/directory_v1/channels/stop), Reports
  //   https://developers.google.com/workspace/admin/reports/reference/rest/v1/channels/stop
  //   (POST /admin/reports_v1/channels/stop); body {"id", "resourceId"}; empty answer.
  function stopChannel(req, res, raw, entry, api) {
    const scopes = api === "directory" ? SCOPES.directoryChannels : SCOPES.reports;
    if (!authorize(req, res, entry, scopes, `${api}.channels.stop`)) return;
    let body;
    try { body = JSON.parse(raw); } catch { throw new DirectoryError(400, "Invalid JSON payload received."); }
    if (!body || typeof body.id !== "string" || typeof body.resourceId !== "string") {
      throw new DirectoryError(400, "Invalid Input: id");
    }
    if (!push.stop(api, body.id, body.resourceId)) {
      return send(res, entry, 404, apiErrorBody(404, { message: `Channel '${body.id}' not found for project '${customerId}'`, reason: "notFound" }));
    }
    send(res, entry, 204, null);
  }

  // ---- Directory: groups and members ------------------------------------------------------
  // groups.list: https://developers.google.com/workspace/admin/directory/reference/rest/v1/groups/list
  //   {"kind": "admin#directory#groups", "etag", "groups": [...], "nextPageToken"}; maxResults max 200.
  // groups.get:  https://developers.google.com/workspace/admin/directory/reference/rest/v1/groups/get
  // members.list: https://developers.google.com/workspace/admin/directory/reference/rest/v1/members/list
  //   {"kind": "admin#directory#members", "etag", "members": [...], "nextPageToken"}; maxResults max 200.

  function listGroups(req, res, url, entry) {
    if (!authorize(req, res, entry, SCOPES.groups, "ccc.hosted.frontend.directory.v1.DirectoryGroups.List")) return;
    const userKey = url.searchParams.get("userKey");
    let userRec = null;
    if (userKey !== null) {
      userRec = data.findUser(userKey);
      if (!userRec) return send(res, entry, 404, notFoundBody("userKey"));
    } else if (!checkCustomer(url, res, entry)) {
      return;
    }
    const maxResults = maxResultsOf(url, 200, 200);
    const page = listPage(url, data.groupsView({ userRec }), maxResults);
    const groups = page.items.map((g) => data.groupResource(g));
    send(res, entry, 200, {
      kind: "admin#directory#groups",
      etag: etagOfList(groups.map((x) => x.etag)),
      ...(groups.length ? { groups } : {}),
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    });
  }

  function getGroup(req, res, groupKey, entry) {
    if (!authorize(req, res, entry, SCOPES.groups, "ccc.hosted.frontend.directory.v1.DirectoryGroups.Get")) return;
    const g = data.findGroup(groupKey);
    if (!g) return send(res, entry, 404, notFoundBody("groupKey"));
    send(res, entry, 200, data.groupResource(g));
  }

  function listMembers(req, res, url, groupKey, entry) {
    if (!authorize(req, res, entry, SCOPES.members, "ccc.hosted.frontend.directory.v1.DirectoryMembers.List")) return;
    const g = data.findGroup(groupKey);
    if (!g) return send(res, entry, 404, notFoundBody("groupKey"));
    const maxResults = maxResultsOf(url, 200, 200);
    const derived = url.searchParams.get("includeDerivedMembership") === "true";
    const page = listPage(url, data.membersView(g, { roles: url.searchParams.get("roles") ?? undefined, derived }), maxResults);
    const members = page.items.map(({ uid, gid, m }) =>
      gid ? data.groupMemberResource(data.groups.get(gid), m) : data.memberResource(data.users.get(uid), m));
    send(res, entry, 200, {
      kind: "admin#directory#members",
      etag: etagOfList(members.map((x) => x.etag)),
      ...(members.length ? { members } : {}),
      ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
    });
  }

  // members.hasMember: https://developers.google.com/workspace/admin/directory/reference/rest/v1/members/hasMember
  //   GET .../groups/{groupKey}/hasMember/{memberKey} -> {"isMember": boolean}; direct or nested.
  function hasMember(req, res, groupKey, memberKey, entry) {
    if (!authorize(req, res, entry, SCOPES.members, "ccc.hosted.frontend.directory.v1.DirectoryMembers.HasMember")) return;
    const g = data.findGroup(groupKey);
    if (!g) return send(res, entry, 404, notFoundBody("groupKey"));
    const u = data.findUser(memberKey);
    if (!u) return send(res, entry, 404, notFoundBody("memberKey"));
    send(res, entry, 200, { isMember: data.derivedUsers(g).has(u.id) });
  }

  // ---- notifications from mutations ---------------------------------------------------------

  // Directory users notification body (push guide, "Understanding the notification message
  // format"): {"kind": "admin#directory#user", "id", "etag", "primaryEmail"};
  // X-Goog-Resource-State is the event: add, delete, makeAdmin, undelete, update.
  function userEvent(event, rec) {
    const r = data.userResource(rec);
    push.publish("directory", (ch) => !ch.filter.event || ch.filter.event === event, {
      state: event,
      body: { kind: "admin#directory#user", id: r.id, etag: r.etag, primaryEmail: r.primaryEmail },
    });
  }

  // Reports notifications carry the activity resource as the body; X-Goog-Resource-State is
  // the event name (Reports push guide).
  function activity(type, name, parameters) {
    const actorEmail = admins[0];
    const act = adminActivity({
      customerId,
      actor: { email: actorEmail, profileId: adminProfileIds.get(actorEmail) },
      ipAddress: "203.0.113.10",
      type,
      name,
      parameters,
      nowMs: nowMs(),
    });
    push.publish("reports", (ch) => {
      const f = ch.filter;
      if (f.applicationName !== "admin") return false;
      if (f.eventName && f.eventName !== name) return false;
      return f.userKey === "all" || f.userKey === actorEmail || f.userKey === act.actor.profileId;
    }, { state: name, body: act });
  }

  // ---- controls -----------------------------------------------------------------------------

  const quiet = (opts) => Boolean(opts?.silent);

  const controls = {
    base: "",
    tokenUrl: "",
    customerId,
    domain,
    admins: [...admins],

    registerServiceAccount(sa) {
      registry.register(sa);
    },

    addUser(spec, opts) {
      const rec = data.addUser(spec);
      if (!quiet(opts)) {
        userEvent("add", rec);
        activity(USER_SETTINGS, "CREATE_USER", { USER_EMAIL: rec.primaryEmail });
      }
      return data.userResource(rec);
    },

    updateUser(key, patch, opts) {
      const rec = data.mustFindUser(key);
      const changed = data.updateUser(rec, patch);
      if (!quiet(opts)) {
        const others = Object.keys(changed).filter((k) => k !== "isAdmin");
        if (others.length || changed.isAdmin === false) userEvent("update", rec);
        if (changed.isAdmin === true) userEvent("makeAdmin", rec);
        if (changed.primaryEmail) {
          activity(USER_SETTINGS, "RENAME_USER", { USER_EMAIL: changed.primaryEmail.old, NEW_VALUE: changed.primaryEmail.new });
        }
        if (changed.suspended === true) activity(USER_SETTINGS, "SUSPEND_USER", { USER_EMAIL: rec.primaryEmail });
        if (changed.suspended === false) activity(USER_SETTINGS, "UNSUSPEND_USER", { USER_EMAIL: rec.primaryEmail });
        if (changed.isAdmin === true) activity(USER_SETTINGS, "GRANT_ADMIN_PRIVILEGE", { USER_EMAIL: rec.primaryEmail });
        if (changed.isAdmin === false) activity(USER_SETTINGS, "REVOKE_ADMIN_PRIVILEGE", { USER_EMAIL: rec.primaryEmail });
      }
      return data.userResource(rec);
    },

    makeAdmin(key, opts) { return controls.updateUser(key, { isAdmin: true }, opts); },
    suspendUser(key, opts) { return controls.updateUser(key, { suspended: true }, opts); },
    unsuspendUser(key, opts) { return controls.updateUser(key, { suspended: false }, opts); },

    deleteUser(key, opts) {
      const rec = data.mustFindUser(key);
      const before = data.userResource(rec);
      data.deleteUser(rec);
      if (!quiet(opts)) {
        userEvent("delete", rec);
        activity(USER_SETTINGS, "DELETE_USER", { USER_EMAIL: rec.primaryEmail });
      }
      return { id: before.id, primaryEmail: before.primaryEmail };
    },

    undeleteUser(id, opts) {
      const rec = data.undeleteUser(id);
      if (!quiet(opts)) {
        userEvent("undelete", rec);
        activity(USER_SETTINGS, "UNDELETE_USER", { USER_EMAIL: rec.primaryEmail });
      }
      return data.userResource(rec);
    },

    createGroup(spec, opts) {
      const g = data.createGroup(spec);
      if (!quiet(opts)) activity(GROUP_SETTINGS, "CREATE_GROUP", { GROUP_EMAIL: g.email });
      return data.groupResource(g);
    },

    renameGroup(key, name, opts) {
      const g = data.mustFindGroup(key);
      data.renameGroup(g, name);
      if (!quiet(opts)) activity(GROUP_SETTINGS, "CHANGE_GROUP_NAME", { GROUP_EMAIL: g.email, NEW_VALUE: name });
      return data.groupResource(g);
    },

    deleteGroup(key, opts) {
      const g = data.mustFindGroup(key);
      const r = data.groupResource(g);
      data.deleteGroup(g);
      if (!quiet(opts)) activity(GROUP_SETTINGS, "DELETE_GROUP", { GROUP_EMAIL: g.email });
      return r;
    },

    addMember(groupKey, userEmail, opts) {
      const g = data.mustFindGroup(groupKey);
      const u = data.mustFindUser(userEmail);
      data.addMember(g, u, opts?.role ?? "MEMBER");
      if (!quiet(opts)) activity(GROUP_SETTINGS, "ADD_GROUP_MEMBER", { USER_EMAIL: u.primaryEmail, GROUP_EMAIL: g.email });
      return data.memberResource(u, g.members.get(u.id));
    },

    removeMember(groupKey, userEmail, opts) {
      const g = data.mustFindGroup(groupKey);
      const u = data.mustFindUser(userEmail);
      data.removeMember(g, u);
      if (!quiet(opts)) activity(GROUP_SETTINGS, "REMOVE_GROUP_MEMBER", { USER_EMAIL: u.primaryEmail, GROUP_EMAIL: g.email });
    },

    /** A group made a member of another; the Reports activity names the member group by USER_EMAIL. */
    addGroupMember(parentKey, childKey, opts) {
      const parent = data.mustFindGroup(parentKey);
      const child = data.mustFindGroup(childKey);
      data.addGroupMember(parent, child);
      if (!quiet(opts)) activity(GROUP_SETTINGS, "ADD_GROUP_MEMBER", { USER_EMAIL: child.email, GROUP_EMAIL: parent.email });
    },

    removeGroupMember(parentKey, childKey, opts) {
      const parent = data.mustFindGroup(parentKey);
      const child = data.mustFindGroup(childKey);
      data.removeGroupMember(parent, child);
      if (!quiet(opts)) activity(GROUP_SETTINGS, "REMOVE_GROUP_MEMBER", { USER_EMAIL: child.email, GROUP_EMAIL: parent.email });
    },

    /** Bulk creation without notifications: {users, groups, membersPerGroup}. */
    seed(spec) { return data.seed(spec); },

    /** The user resource as users.get would answer, or null (deleted or unknown). */
    user(key) { const r = data.findUser(key); return r ? data.userResource(r) : null; },
    group(key) { const g = data.findGroup(key); return g ? data.groupResource(g) : null; },
    members(groupKey) {
      const g = data.mustFindGroup(groupKey);
      return data.membersView(g, {}).items.map(({ uid, gid, m }) =>
        gid ? data.groupMemberResource(data.groups.get(gid), m) : data.memberResource(data.users.get(uid), m));
    },
    userCount() { return data.liveUsers.length; },

    /** Drops the next n change notifications; filter {channelId?, api?: "directory"|"reports"}. */
    dropNext(n, filter) { push.dropNext(n, filter); },
    /** Forgets every pending dropNext: notifications are delivered again. */
    stopDropping() { push.dropRules.length = 0; },
    channels() { return push.channels(); },
    notifications() { return push.log; },
    requests() { return requestLog; },
    tokens() {
      return [...issued.entries()].map(([token, t]) => ({ token, clientEmail: t.clientEmail, sub: t.sub, scopes: [...t.scopes], issuedAt: t.issuedAt, expiresAt: t.expiresAt }));
    },

    /**
     * The next `count` requests matching method (optional) and path prefix are answered with
     * `status` and Google's error body for it (or `body`), plus `headers` (e.g. Retry-After).
     */
    failNext({ method, pathPrefix = "/", status, count = 1, headers, body }) {
      faults.push({ method, pathPrefix, status, count, headers, body });
    },
    setTokenEndpointDown(down) { tokenEndpointDown = Boolean(down); },
    revokeTokens() { issued.clear(); },

    flush() { return push.flush(); },

    /** Polls `predicate(standin)` every 10 ms until it returns something truthy. */
    async waitFor(predicate, timeoutMs = 2000) { return pollUntil(() => predicate(controls), timeoutMs); },


    close() { return closeServer(server); },

  };

  controls.base = await listenOnLoopback(server);
  controls.tokenUrl = `${controls.base}/token`;
  return controls;
}
