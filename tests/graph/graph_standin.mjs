// A local stand-in for Microsoft Graph and the Microsoft identity platform token endpoint, for the
// Entra "Graph change notifications" feature: the client-credentials token endpoint, users and
// groups (get, delta query, group members), change-notification subscriptions with the
// validation handshake, and the change and lifecycle notifications Graph sends. Plain node:http
// on 127.0.0.1, no dependencies.
//
// The stand-in's base URL stands for both https://login.microsoftonline.com (POST
// /{tenant}/oauth2/v2.0/token) and https://graph.microsoft.com (every /v1.0/... path). Links it
// hands out for paging (@odata.nextLink, @odata.deltaLink) are absolute URLs on the stand-in so
// a client can follow them as-is; @odata.context names the real host, as Graph does.
//
// Files:
//   client_credentials.mjs  token endpoint checks; makeApp, signClientAssertion (test side)
//   directory_data.mjs      users, groups, members, change log and delta pages
//   state_tokens.mjs        opaque $skiptoken / $deltatoken
//   subscriptions.mjs       subscription rules, resource shape, validation handshake
//   notification_sender.mjs change and lifecycle notifications, drops, retries
//   graph_errors.mjs        Graph and token endpoint error bodies
// Each cites the learn.microsoft.com pages its shapes come from; README.md lists them all.

import http from "node:http";
import { closeServer, listenOnLoopback, pollUntil, readBoundedBody } from "../loopback_server.mjs";
import { randomBytes, randomUUID } from "node:crypto";
import {
  AppRegistry, GRAPH_APP_ID, GRAPH_RESOURCE, assertionAudience, verifyTokenRequest,
} from "./client_credentials.mjs";
import { DirectoryData, DirectoryError } from "./directory_data.mjs";
import { StateTokens } from "./state_tokens.mjs";
import { GraphRefusal, SubscriptionStore, graphDateTime, parseResource } from "./subscriptions.mjs";
import { LIFECYCLE_EVENTS, NotificationSender } from "./notification_sender.mjs";
import { AAD, aadRefusal, faultBody, graphErrorBody } from "./graph_errors.mjs";

export { makeApp, makeCertificate, signClientAssertion, assertionAudience, thumbprintsOf } from "./client_credentials.mjs";

const GRAPH_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
const MAX_BODY = 1 << 20;
const METADATA = "https://graph.microsoft.com/v1.0/$metadata";
// Application permissions each API accepts (the "Permissions" table of each reference page).
const READ_USERS = ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
const READ_GROUPS = ["Group.Read.All", "Group.ReadWrite.All", "GroupMember.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"];
const DELTA_MAX_PAGE = 200; // objects per delta page (default and cap of odata.maxpagesize)
const DELTA_MEMBER_LINKS = 500; // members@delta entries per delta page
const DAY_MS = 86400000;


/** The query with system query option names lower-cased ($skipToken -> $skiptoken). */
function queryOf(url) {
  const q = new Map();
  for (const [k, v] of url.searchParams) q.set(k.startsWith("$") ? k.toLowerCase() : k, v);
  return q;
}

function preferOf(req) {
  const out = { maxPageSize: null, minimal: false };
  for (const part of String(req.headers.prefer ?? "").split(",")) {
    const p = part.trim();
    const m = /^odata\.maxpagesize\s*=\s*(\d+)$/i.exec(p);
    if (m) out.maxPageSize = Number(m[1]);
    if (/^return\s*=\s*minimal$/i.test(p)) out.minimal = true;
  }
  return out;
}

function redactBody(body) {
  if (!body || typeof body !== "object") return body;
  const out = Array.isArray(body) ? [...body] : { ...body };
  for (const k of ["client_secret", "client_assertion", "clientState"]) {
    if (out[k] !== undefined && out[k] !== null) out[k] = "[redacted]";
  }
  return out;
}

function fakeSignature() {
  return randomBytes(256).toString("base64url");
}

/**
 * @param {{tenantId?: string, domain?: string, apps?: object[], now?: () => number,
 *          tokenLifetimeSeconds?: number, maxSubscriptionMinutes?: number,
 *          notifyTimeoutMs?: number, notifyRetries?: number, notifyRetryBaseMs?: number,
 *          notifyBatchMs?: number, validationTimeoutMs?: number, requireHttps?: boolean,
 *          assertionAudiences?: string[], clockSkewSeconds?: number,
 *          deltaTokenLifetimeMs?: number, validationToken?: () => string}} [options]
 */
export async function startGraphStandin(options = {}) {
  const nowMs = options.now ?? Date.now;
  const tenantId = (options.tenantId ?? randomUUID()).toLowerCase();
  const domain = options.domain ?? "contoso.onmicrosoft.com";
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3599;
  const deltaTokenLifetimeMs = options.deltaTokenLifetimeMs ?? 7 * DAY_MS; // delta-query-overview, "Token duration"
  const audiences = [assertionAudience(tenantId), ...(options.assertionAudiences ?? [])];

  const registry = new AppRegistry();
  for (const app of options.apps ?? []) registry.register(app);
  const data = new DirectoryData({ nowMs, domain });
  const tokens = new StateTokens();
  const store = new SubscriptionStore({
    nowMs,
    tenantId,
    maxMinutes: options.maxSubscriptionMinutes,
    validationTimeoutMs: options.validationTimeoutMs ?? 10000,
    requireHttps: options.requireHttps ?? false,
    validationToken: options.validationToken,
  });
  const sender = new NotificationSender({
    nowMs,
    tenantId,
    timeoutMs: options.notifyTimeoutMs ?? 3000,
    retries: options.notifyRetries ?? 3,
    retryBaseMs: options.notifyRetryBaseMs ?? 50,
    batchMs: options.notifyBatchMs ?? 0,
  });
  const issued = new Map(); // access token -> {clientId, app, roles, credential, issuedAt, expiresAt}
  const requestLog = [];
  const faults = [];
  let tokenEndpointDown = false;
  let deltaEpoch = 0;
  let expiredCode = "syncStateNotFound";

  // ---- HTTP plumbing ------------------------------------------------------------------------------

  function ids(req) {
    const requestId = randomUUID();
    const given = req.headers["client-request-id"];
    return { requestId, clientRequestId: typeof given === "string" && given ? given : requestId };
  }

  function send(res, ctx, status, body, headers = {}, type = GRAPH_JSON) {
    ctx.entry.status = status;
    const base = { "request-id": ctx.requestId, "client-request-id": ctx.clientRequestId, ...headers };
    if (body === null) {
      res.writeHead(status, base);
      res.end();
      return;
    }
    const raw = JSON.stringify(body);
    res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(raw), ...base });
    res.end(raw);
  }

  function graphError(res, ctx, status, code, message, headers = {}) {
    send(res, ctx, status, graphErrorBody({ code, message, requestId: ctx.requestId, clientRequestId: ctx.clientRequestId, nowMs: nowMs() }), headers, "application/json");
  }

  function aadError(res, ctx, entry) {
    const { status, body } = aadRefusal(entry, nowMs());
    send(res, ctx, status, body, { "Cache-Control": "no-store, no-cache", Pragma: "no-cache" }, "application/json; charset=utf-8");
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

  const isTokenPath = (p) => /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(p);

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://standin");
    const { requestId, clientRequestId } = ids(req);
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
      requestId,
    };
    requestLog.push(entry);
    const ctx = { entry, requestId, clientRequestId };
    const got = await readBoundedBody(req, MAX_BODY);
    if (got.over) {
      if (isTokenPath(url.pathname)) return aadError(res, ctx, ["invalid_request", 90004, 413, "The request isn't properly formatted: the body is too large."]);
      return graphError(res, ctx, 413, "RequestEntityTooLarge", "The request size exceeds the maximum limit.");
    }
    const raw = got.raw;
    let parsed = null;
    if (raw !== "") {
      if (/^application\/x-www-form-urlencoded/i.test(req.headers["content-type"] ?? "")) parsed = Object.fromEntries(new URLSearchParams(raw));
      else { try { parsed = JSON.parse(raw); } catch { parsed = raw; } }
    }
    entry.body = redactBody(parsed);

    const fault = takeFault(req.method, url.pathname);
    if (fault) {
      const hdrs = { ...(fault.status === 429 || fault.status === 503 ? { "Retry-After": "2" } : {}), ...(fault.headers ?? {}) };
      if (fault.body !== undefined) return send(res, ctx, fault.status, fault.body, hdrs, "application/json");
      if (isTokenPath(url.pathname)) {
        const e = fault.status === 429 ? AAD.throttled() : fault.status >= 500 ? AAD.unavailable() : AAD.missingParameter("grant_type");
        const { body } = aadRefusal(e, nowMs());
        return send(res, ctx, fault.status, body, hdrs, "application/json; charset=utf-8");
      }
      return send(res, ctx, fault.status, faultBody(fault.status, { requestId, clientRequestId, nowMs: nowMs() }), hdrs, "application/json");
    }
    try {
      await route(req, res, url, raw, parsed, ctx);
    } catch (e) {
      if (e instanceof DirectoryError || e instanceof GraphRefusal) return graphError(res, ctx, e.status, e.code, e.message);
      graphError(res, ctx, 500, "generalException", `stand-in failure: ${e.message}`);
    }
  });

  // ---- routing ----------------------------------------------------------------------------------------

  const DELTA = "(?:microsoft\\.graph\\.)?delta(?:\\(\\))?";
  const USERS_DELTA = new RegExp(`^/v1\\.0/users/${DELTA}$`);
  const GROUPS_DELTA = new RegExp(`^/v1\\.0/groups/${DELTA}$`);

  async function route(req, res, url, raw, parsed, ctx) {
    const p = url.pathname;
    const m = req.method;
    let g;
    if ((g = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(p))) return tokenEndpoint(req, res, decodeURIComponent(g[1]), raw, ctx);
    if (!p.startsWith("/v1.0/")) return graphError(res, ctx, 404, "itemNotFound", `The stand-in has no route for ${m} ${p}`);
    const caller = authenticate(req, res, ctx);
    if (!caller) return;
    if (USERS_DELTA.test(p) && m === "GET") return delta("user", req, res, url, caller, ctx);
    if (GROUPS_DELTA.test(p) && m === "GET") return delta("group", req, res, url, caller, ctx);
    if ((g = /^\/v1\.0\/users\/([^/]+)$/.exec(p)) && m === "GET") return getUser(res, url, decodeURIComponent(g[1]), caller, ctx);
    if ((g = /^\/v1\.0\/groups\/([^/]+)$/.exec(p)) && m === "GET") return getGroup(res, url, decodeURIComponent(g[1]), caller, ctx);
    if ((g = /^\/v1\.0\/groups\/([^/]+)\/members$/.exec(p)) && m === "GET") return listMembers(req, res, url, decodeURIComponent(g[1]), caller, ctx);
    if (p === "/v1.0/subscriptions" && m === "POST") return createSubscription(req, res, parsed, caller, ctx);
    if (p === "/v1.0/subscriptions" && m === "GET") return listSubscriptions(res, caller, ctx);
    if ((g = /^\/v1\.0\/subscriptions\/([^/]+)$/.exec(p))) {
      const id = decodeURIComponent(g[1]);
      if (m === "GET") return send(res, ctx, 200, store.resource(store.mustGet(caller.app, id)));
      if (m === "PATCH") return updateSubscription(res, id, parsed, caller, ctx);
      if (m === "DELETE") { store.remove(caller.app, id); return send(res, ctx, 204, null); }
    }
    if ((g = /^\/v1\.0\/subscriptions\/([^/]+)\/reauthorize$/.exec(p)) && m === "POST") {
      store.reauthorize(caller.app, decodeURIComponent(g[1]));
      return send(res, ctx, 204, null);
    }
    const seg = p.split("/").filter(Boolean)[1] ?? "";
    graphError(res, ctx, 400, "BadRequest", `Resource not found for the segment '${seg}'.`);
  }

  // ---- token endpoint -------------------------------------------------------------------------------
  // https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow

  function tokenEndpoint(req, res, tenantKey, raw, ctx) {
    if (tokenEndpointDown) return aadError(res, ctx, AAD.unavailable());
    if (req.method !== "POST") {
      return aadError(res, ctx, ["invalid_request", 900561, 400, `The endpoint only accepts POST, OPTIONS requests. Received a ${req.method} request.`]);
    }
    const form = /^application\/x-www-form-urlencoded\s*(;|$)/i.test(req.headers["content-type"] ?? "") ? new URLSearchParams(raw) : new URLSearchParams();
    const v = verifyTokenRequest(form, {
      tenantKey,
      tenantId,
      tenantNames: [domain],
      registry,
      nowMs: nowMs(),
      authorization: req.headers.authorization,
      audiences,
      skewSeconds: options.clockSkewSeconds,
    });
    if (!v.ok) return aadError(res, ctx, v.refusal);
    const now = nowMs();
    const iat = Math.floor(now / 1000);
    const exp = iat + tokenLifetimeSeconds;
    const roles = [...v.app.roles];
    // An access token shaped like Entra's (a JWT for https://graph.microsoft.com); clients must
    // treat it as opaque, and the stand-in only looks it up.
    const header = { typ: "JWT", alg: "RS256", x5t: "standin", kid: "standin" };
    const claims = {
      aud: GRAPH_RESOURCE, iss: `https://sts.windows.net/${tenantId}/`, iat, nbf: iat, exp,
      app_displayname: v.app.displayName, appid: v.app.clientId, appidacr: v.credential === "secret" ? "1" : "2",
      idp: `https://sts.windows.net/${tenantId}/`, idtyp: "app", oid: v.app.servicePrincipalId,
      roles, sub: v.app.servicePrincipalId, tid: tenantId, uti: randomBytes(16).toString("base64url"), ver: "1.0",
    };
    const token = `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${fakeSignature()}`;
    issued.set(token, {
      clientId: v.app.clientId, app: v.app, roles: new Set(roles), credential: v.credential,
      issuedAt: now, expiresAt: now + tokenLifetimeSeconds * 1000,
    });
    send(res, ctx, 200, {
      token_type: "Bearer",
      expires_in: tokenLifetimeSeconds,
      ext_expires_in: tokenLifetimeSeconds,
      access_token: token,
    }, { "Cache-Control": "no-store, no-cache", Pragma: "no-cache" }, "application/json; charset=utf-8");
  }

  // ---- Graph authentication -------------------------------------------------------------------------
  // 401 InvalidAuthenticationToken (https://learn.microsoft.com/graph/errors, 401 Unauthorized:
  // "Required authentication information is either missing or not valid"); 403
  // Authorization_RequestDenied when the token lacks every accepted application permission.

  function authenticate(req, res, ctx) {
    const challenge = { "WWW-Authenticate": `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"` };
    const h = req.headers.authorization;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h ?? "");
    if (!m) {
      graphError(res, ctx, 401, "InvalidAuthenticationToken", "Access token is empty.", challenge);
      return null;
    }
    const t = issued.get(m[1]);
    if (!t) {
      graphError(res, ctx, 401, "InvalidAuthenticationToken", m[1].split(".").length === 3 ? "Access token validation failure." : "IDX14100: JWT is not well formed, there are no dots (.).", challenge);
      return null;
    }
    if (nowMs() >= t.expiresAt) {
      graphError(res, ctx, 401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.", challenge);
      return null;
    }
    return t;
  }

  function permitted(res, ctx, caller, accepted) {
    if (accepted.some((r) => caller.roles.has(r))) return true;
    graphError(res, ctx, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
    return false;
  }

  // ---- users and groups ---------------------------------------------------------------------------

  // user get: https://learn.microsoft.com/graph/api/user-get
  function getUser(res, url, key, caller, ctx) {
    if (!permitted(res, ctx, caller, READ_USERS)) return;
    const select = data.parseSelect("user", queryOf(url).get("$select"));
    const rec = data.mustFindUser(key);
    send(res, ctx, 200, {
      "@odata.context": `${METADATA}#users${select ? `(${select.join(",")})` : ""}/$entity`,
      ...data.resource(rec, select),
    });
  }

  // group get: https://learn.microsoft.com/graph/api/group-get
  function getGroup(res, url, key, caller, ctx) {
    if (!permitted(res, ctx, caller, READ_GROUPS)) return;
    const select = data.parseSelect("group", queryOf(url).get("$select"));
    const rec = data.findGroup(key);
    if (!rec || rec.id !== key.toLowerCase()) {
      throw new DirectoryError(404, "Request_ResourceNotFound", `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
    }
    send(res, ctx, 200, {
      "@odata.context": `${METADATA}#groups${select ? `(${select.join(",")})` : ""}/$entity`,
      ...data.resource(rec, select),
    });
  }

  // group members: https://learn.microsoft.com/graph/api/group-list-members
  //   {"@odata.context": ".../$metadata#directoryObjects", "@odata.nextLink"?, "value": [{
  //   "@odata.type": "#microsoft.graph.user", ...}]}; $top 1..999 (default 100), $select.
  function listMembers(req, res, url, key, caller, ctx) {
    if (!permitted(res, ctx, caller, READ_GROUPS)) return;
    const q = queryOf(url);
    const g = data.findGroup(key);
    if (!g || g.id !== key.toLowerCase()) {
      throw new DirectoryError(404, "Request_ResourceNotFound", `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
    }
    let after = 0;
    let top = 100;
    let select = null;
    if (q.has("$skiptoken")) {
      const t = tokens.decode(q.get("$skiptoken"));
      if (!t || t.t !== "members" || t.g !== g.id) throw new DirectoryError(400, "Request_BadRequest", "Invalid skip token.");
      ({ a: after, top, s: select } = t);
    } else {
      if (q.has("$top")) {
        top = Number(q.get("$top"));
        if (!Number.isInteger(top) || top < 1 || top > 999) throw new DirectoryError(400, "Request_BadRequest", "Invalid page size specified: '" + q.get("$top") + "'. Must be between 1 and 999 inclusive.");
      }
      select = data.parseSelect("user", q.get("$select"));
    }
    const members = data.memberRecords(g).filter((u) => u.seq > after);
    const page = members.slice(0, top);
    const body = { "@odata.context": `${METADATA}#directoryObjects${select ? `(${select.join(",")})` : ""}` };
    if (members.length > top) {
      body["@odata.nextLink"] = `${controls.base}/v1.0/groups/${g.id}/members?$skiptoken=${tokens.encode({ t: "members", g: g.id, a: page[page.length - 1].seq, top, s: select })}`;
    }
    body.value = page.map((u) => ({ "@odata.type": "#microsoft.graph.user", ...data.resource(u, select) }));
    send(res, ctx, 200, body);
  }

  // ---- delta query ------------------------------------------------------------------------------------
  // https://learn.microsoft.com/graph/delta-query-overview, /graph/api/user-delta, /graph/api/group-delta

  function delta(kind, req, res, url, caller, ctx) {
    if (!permitted(res, ctx, caller, kind === "user" ? READ_USERS : READ_GROUPS)) return;
    const q = queryOf(url);
    const collection = kind === "user" ? "users" : "groups";
    const prefer = preferOf(req);
    const applied = [];
    let pageSize = DELTA_MAX_PAGE;
    if (prefer.maxPageSize !== null && prefer.maxPageSize > 0) {
      pageSize = Math.min(prefer.maxPageSize, DELTA_MAX_PAGE);
      applied.push(`odata.maxpagesize=${pageSize}`);
    }
    if (prefer.minimal) applied.push("return=minimal");
    if (q.has("$filter")) throw new DirectoryError(400, "Request_UnsupportedQuery", "Unsupported query: this stand-in does not implement $filter on delta.");

    const selectFromRequest = () => {
      const select = data.parseSelect(kind, q.get("$select"), { allowMembers: kind === "group" });
      const expandMembers = kind === "group" && /(^|,)\s*members\s*(,|$)/.test(q.get("$expand") ?? "");
      const members = kind === "group" && (select === null || select.includes("members") || expandMembers);
      return { select: select ? select.filter((p) => p !== "members") : null, members };
    };

    let query; // {kind, select, members}
    let since, upto, pos = null;
    const initialLink = (sel) => `${controls.base}/v1.0/${collection}/delta${sel ? `?$select=${[...sel.select ?? [], ...(sel.members && sel.select ? ["members"] : [])].join(",")}` : ""}`;
    const expired = (t) => t.e !== deltaEpoch || nowMs() - t.i > deltaTokenLifetimeMs;
    const gone = (t) => {
      // "Synchronization reset": 410 Gone with a Location header holding the initial query;
      // expired tokens: a 40X with syncStateNotFound (delta-query-overview, "Token duration").
      graphError(res, ctx, 410, expiredCode, expiredCode === "resyncRequired"
        ? "The delta token is no longer valid, and the app must reset the sync state."
        : "The sync state generation is not found. The delta token is expired and data must be synchronized again.",
      { Location: initialLink({ select: t.s, members: t.m }) });
    };

    if (q.has("$skiptoken")) {
      const t = tokens.decode(q.get("$skiptoken"));
      if (!t || t.t !== "skip" || t.k !== kind) throw new DirectoryError(400, "Request_BadRequest", "Invalid skip token.");
      if (expired(t)) return gone(t);
      query = { kind, select: t.s, members: t.m };
      ({ si: since, up: upto, p: pos } = t);
    } else if (q.has("$deltatoken")) {
      const raw = q.get("$deltatoken");
      if (raw.toLowerCase() === "latest") {
        // "sync from now": a deltaLink and no resource data
        const sel = selectFromRequest();
        const token = tokens.encode({ t: "delta", k: kind, s: sel.select, m: sel.members, si: data.seq, e: deltaEpoch, i: nowMs() });
        return send(res, ctx, 200, {
          "@odata.context": `${METADATA}#${collection}`,
          "@odata.deltaLink": `${controls.base}/v1.0/${collection}/delta?$deltatoken=${token}`,
          value: [],
        }, applied.length ? { "Preference-Applied": applied.join(",") } : {});
      }
      const t = tokens.decode(raw);
      if (!t || t.t !== "delta" || t.k !== kind) throw new DirectoryError(400, "Request_BadRequest", "Invalid delta token.");
      if (expired(t)) return gone(t);
      // "$select and $deltaLink query parameters will be supported ... so that customers can
      // change the properties they want to track for an existing @odata.deltaLink."
      query = q.has("$select") ? { kind, ...selectFromRequest() } : { kind, select: t.s, members: t.m };
      since = t.si;
      upto = data.seq;
    } else {
      query = { kind, ...selectFromRequest() };
      since = 0;
      upto = data.seq;
    }

    const page = data.deltaPage(query, { since, upto, pos, pageSize, memberBudget: DELTA_MEMBER_LINKS, minimal: prefer.minimal });
    const context = since === 0 && pos === null && query.select
      ? `${METADATA}#${collection}(${query.select.join(",")})`
      : `${METADATA}#${collection}`;
    const body = { "@odata.context": context };
    if (page.next) {
      const token = tokens.encode({ t: "skip", k: kind, s: query.select, m: query.members, si: since, up: upto, p: page.next, e: deltaEpoch, i: nowMs() });
      body["@odata.nextLink"] = `${controls.base}/v1.0/${collection}/delta?$skiptoken=${token}`;
    } else {
      const token = tokens.encode({ t: "delta", k: kind, s: query.select, m: query.members, si: upto, e: deltaEpoch, i: nowMs() });
      body["@odata.deltaLink"] = `${controls.base}/v1.0/${collection}/delta?$deltatoken=${token}`;
    }
    body.value = page.items;
    send(res, ctx, 200, body, applied.length ? { "Preference-Applied": applied.join(",") } : {});
  }

  // ---- subscriptions --------------------------------------------------------------------------------

  async function createSubscription(req, res, body, caller, ctx) {
    const target = parseResource(body?.resource);
    if (target && !permitted(res, ctx, caller, target.kind === "user" ? READ_USERS : READ_GROUPS)) return;
    const sub = await store.create(caller.app, body);
    send(res, ctx, 201, store.resource(sub));
  }

  function listSubscriptions(res, caller, ctx) {
    send(res, ctx, 200, {
      "@odata.context": `${METADATA}#subscriptions`,
      value: store.list(caller.app).map((s) => { const r = store.resource(s); delete r["@odata.context"]; return r; }),
    });
  }

  async function updateSubscription(res, id, body, caller, ctx) {
    const sub = await store.update(caller.app, id, body);
    send(res, ctx, 200, store.resource(sub));
  }

  // ---- notifications from directory changes ------------------------------------------------------
  // changeType per https://learn.microsoft.com/graph/api/resources/subscription: "updated" when a
  // user or group is created, updated or soft deleted (or restored, or its members change);
  // "deleted" when it is permanently deleted.

  function notify(rec, changeType) {
    for (const sub of store.matching(rec.kind, rec.id, changeType)) sender.sendChange(sub, rec, changeType);
  }

  const quiet = (opts) => Boolean(opts?.silent);
  // What the controls hand back: every property the record has, and its id.
  const full = (rec) => ({ ...rec.props, id: rec.id });

  // ---- controls -----------------------------------------------------------------------------------

  const controls = {
    base: "",
    tokenUrl: "",
    tenantId,
    domain,
    /** The audience client assertions must carry. */
    assertionAudience: assertionAudience(tenantId),

    registerApp(app) { registry.register(app); },

    addUser(spec, opts) {
      const rec = data.addUser(spec);
      if (!quiet(opts)) notify(rec, "updated");
      return full(rec);
    },

    updateUser(key, patch, opts) {
      const rec = data.mustFindUser(key);
      const changed = data.updateUser(rec, patch);
      if (changed.length && !quiet(opts)) notify(rec, "updated");
      return full(rec);
    },

    disableUser(key, opts) { return controls.updateUser(key, { accountEnabled: false }, opts); },
    enableUser(key, opts) { return controls.updateUser(key, { accountEnabled: true }, opts); },

    /** Soft delete: users.get 404s, delta shows @removed "changed", its groups lose it. */
    deleteUser(key, opts) {
      const rec = data.mustFindUser(key);
      const left = data.softDeleteUser(rec);
      if (!quiet(opts)) {
        notify(rec, "updated");
        for (const g of left) notify(g, "updated");
      }
      return { id: rec.id, userPrincipalName: rec.props.userPrincipalName };
    },

    /** Restores a soft-deleted user (by id) with its group memberships. */
    restoreUser(id, opts) {
      const { rec, groups } = data.restoreUser(id);
      if (!quiet(opts)) {
        notify(rec, "updated");
        for (const g of groups) notify(g, "updated");
      }
      return full(rec);
    },

    /** Permanent delete (live or soft-deleted user): delta @removed "deleted", changeType deleted. */
    permanentlyDeleteUser(key, opts) {
      const rec = data.findUser(key) ?? [...data.byId.user.values()].find((u) => u.state === "softDeleted" && (u.id === key || String(u.props.userPrincipalName).toLowerCase() === String(key).toLowerCase()));
      if (!rec) throw new DirectoryError(404, "Request_ResourceNotFound", `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
      const left = data.purgeUser(rec);
      if (!quiet(opts)) {
        notify(rec, "deleted");
        for (const g of left) notify(g, "updated");
      }
      return { id: rec.id };
    },

    createGroup(spec, opts) {
      const g = data.createGroup(spec);
      if (!quiet(opts)) notify(g, "updated");
      return full(g);
    },

    updateGroup(key, patch, opts) {
      const g = data.mustFindGroup(key);
      const changed = data.updateGroup(g, patch);
      if (changed.length && !quiet(opts)) notify(g, "updated");
      return full(g);
    },

    deleteGroup(key, opts) {
      const g = data.mustFindGroup(key);
      data.deleteGroup(g);
      if (!quiet(opts)) notify(g, "updated");
      return { id: g.id };
    },

    permanentlyDeleteGroup(key, opts) {
      const g = data.findGroup(key) ?? data.byId.group.get(key);
      if (!g || g.state === "purged") throw new DirectoryError(404, "Request_ResourceNotFound", `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
      data.purgeGroup(g);
      if (!quiet(opts)) notify(g, "deleted");
      return { id: g.id };
    },

    addMember(groupKey, userKey, opts) {
      const g = data.mustFindGroup(groupKey);
      const u = data.mustFindUser(userKey);
      if (data.addMember(g, u) && !quiet(opts)) notify(g, "updated");
    },

    removeMember(groupKey, userKey, opts) {
      const g = data.mustFindGroup(groupKey);
      const u = data.mustFindUser(userKey);
      if (data.removeMember(g, u) && !quiet(opts)) notify(g, "updated");
    },

    /** The member users of a group (every property), in creation order. */
    members(groupKey) { return data.memberRecords(data.mustFindGroup(groupKey)).map(full); },
    /** Every property of a live user (by id or UPN), or null (deleted/unknown). */
    user(key) { const r = data.findUser(key); return r ? full(r) : null; },
    group(key) { const g = data.findGroup(key); return g ? full(g) : null; },
    userCount() { return data.records.user.filter((u) => u.state === "live").length; },

    /** Bulk creation without notifications: {users, groups, membersPerGroup}. */
    seed(spec) { return data.seed(spec); },

    subscriptions() {
      return [...store.byId.values()].map((s) => ({
        id: s.id,
        applicationId: s.applicationId,
        resource: s.resource,
        changeType: s.changeType,
        notificationUrl: s.notificationUrl,
        lifecycleNotificationUrl: s.lifecycleNotificationUrl,
        clientState: s.clientState,
        expirationDateTime: graphDateTime(s.expiration),
        expiresAt: s.expiration,
        live: store.isLive(s),
        reauthorizationRequired: s.reauthorizationRequired,
        paused: s.paused,
      }));
    },
    /** Validation handshakes: {url, token, status, ok, message, latencyMs}. */
    validations() { return store.validationLog; },
    /** Delivery log: one entry per POST (or per dropped / paused notification). */
    notifications() { return sender.log; },
    /** Drops the next n change notifications; filter {subscriptionId?, kind?: "user"|"group", lifecycle?: true}. */
    dropNext(n, filter) { sender.dropNext(n, filter); },
    stopDropping() { sender.dropRules.length = 0; },

    /**
     * Sends a lifecycle notification. reauthorizationRequired marks the subscription (and with
     * {pause: true} holds its change notifications back - they are lost - until reauthorize or
     * renew); subscriptionRemoved removes it. @returns false when it has no lifecycleNotificationUrl.
     */
    sendLifecycle(subscriptionId, event, opts = {}) {
      if (!LIFECYCLE_EVENTS.has(event)) throw new Error(`sendLifecycle: unknown lifecycle event ${event}`);
      const sub = store.byId.get(String(subscriptionId).toLowerCase());
      if (!sub || !store.isLive(sub)) throw new Error(`sendLifecycle: no live subscription ${subscriptionId}`);
      const sent = sender.sendLifecycle(sub, event);
      if (event === "reauthorizationRequired") {
        sub.reauthorizationRequired = true;
        if (opts.pause) sub.paused = true;
      }
      if (event === "subscriptionRemoved") sub.removed = true;
      return sent;
    },

    /** The subscription's expiration is now: 404 from then on, and no notifications. */
    expireSubscription(id) {
      const sub = store.byId.get(String(id).toLowerCase());
      if (!sub) throw new Error(`expireSubscription: no subscription ${id}`);
      sub.expiration = Math.min(sub.expiration, nowMs());
    },

    requests() { return requestLog; },
    tokens() {
      return [...issued.entries()].map(([token, t]) => ({
        token, clientId: t.clientId, roles: [...t.roles], credential: t.credential, issuedAt: t.issuedAt, expiresAt: t.expiresAt,
      }));
    },

    /**
     * The next `count` requests matching method (optional) and path prefix are answered with
     * `status` and the documented body for it (or `body`), plus `headers`. 429 and 503 carry
     * Retry-After: 2 unless headers say otherwise.
     */
    failNext({ method, pathPrefix = "/", status, count = 1, headers, body }) {
      faults.push({ method, pathPrefix, status, count, headers, body });
    },
    setTokenEndpointDown(down) { tokenEndpointDown = Boolean(down); },
    revokeTokens() { issued.clear(); },
    /** Every $skiptoken and $deltatoken issued so far answers 410 (code syncStateNotFound or resyncRequired). */
    expireDeltaTokens({ code = "syncStateNotFound" } = {}) {
      deltaEpoch++;
      expiredCode = code;
    },

    flush() { return sender.flush(); },

    /** Polls `predicate(standin)` every 10 ms until it returns something truthy. */
    async waitFor(predicate, timeoutMs = 2000) { return pollUntil(() => predicate(controls), timeoutMs); },


    close() { return closeServer(server); },

  };

  controls.base = await listenOnLoopback(server);
  controls.tokenUrl = `${controls.base}/${tenantId}/oauth2/v2.0/token`;
  return controls;
}
