// The Graph stand-in's own contract. Run with: node --test tests/graph/

import { test, describe, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createHash, X509Certificate } from "node:crypto";
import { startGraphStandin, makeApp, signClientAssertion } from "./graph_standin.mjs";
import { USER_DEFAULT_PROPS } from "./directory_data.mjs";

const GRAPH_SCOPE = "https://graph.microsoft.com/.default";
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

// Key generation (openssl) is the slow part: one app with a certificate per file.
const app = makeApp({ withCertificate: true });
const otherApp = makeApp({ withCertificate: true });
const weakApp = makeApp({ roles: ["Mail.Read"] });

function makeClock() {
  const c = { t: Date.now() };
  c.now = () => c.t;
  c.advance = (ms) => { c.t += ms; };
  c.sec = () => Math.floor(c.t / 1000);
  return c;
}

async function start(extra = {}) {
  const clock = makeClock();
  const g = await startGraphStandin({
    apps: [app, weakApp],
    now: clock.now,
    notifyRetryBaseMs: 5,
    ...extra,
  });
  return { g, clock };
}

async function postToken(g, form, { headers = {}, tenant } = {}) {
  const url = tenant ? `${g.base}/${tenant}/oauth2/v2.0/token` : g.tokenUrl;
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

const secretForm = (a = app, extra = {}) => ({ grant_type: "client_credentials", client_id: a.clientId, scope: GRAPH_SCOPE, client_secret: a.clientSecret, ...extra });
const assertionForm = (assertion, a = app) => ({ grant_type: "client_credentials", client_id: a.clientId, scope: GRAPH_SCOPE, client_assertion_type: JWT_BEARER, client_assertion: assertion });

async function tokenFor(g, a = app) {
  const r = await postToken(g, secretForm(a));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.access_token;
}

async function api(g, token, path, { method = "GET", body, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined) h["Content-Type"] = "application/json";
  const res = await fetch(path.startsWith("http") ? path : g.base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

/**
 * A webhook receiver. validation: "echo" (decoded token, text/plain), "raw" (the token as it
 * appears in the query, not decoded), "500", "slow", "json" (echo with the wrong Content-Type).
 * `status` and `delayMs` apply to notifications; `statusQueue` answers the first ones.
 */
async function startReceiver({ validation = "echo", status = 202, delayMs = 0, statusQueue = [] } = {}) {
  const r = { got: [], validations: [], validation, status, delayMs, statusQueue };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url, "http://receiver");
      const token = url.searchParams.get("validationToken");
      if (token !== null) {
        r.validations.push({ method: req.method, url: req.url, headers: req.headers, token });
        const rawToken = /validationToken=([^&]*)/.exec(req.url)[1];
        const reply = (code, type, text) => { res.writeHead(code, { "Content-Type": type }); res.end(text); };
        if (r.validation === "echo") return reply(200, "text/plain", token);
        if (r.validation === "raw") return reply(200, "text/plain", rawToken);
        if (r.validation === "500") return reply(500, "text/plain", "no");
        if (r.validation === "json") return reply(200, "application/json", token);
        if (r.validation === "slow") return setTimeout(() => reply(200, "text/plain", token), 400);
      }
      r.got.push({ method: req.method, url: req.url, headers: req.headers, raw, body: raw ? JSON.parse(raw) : null });
      const code = r.statusQueue.length ? r.statusQueue.shift() : r.status;
      setTimeout(() => { res.writeHead(code); res.end(); }, r.delayMs);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  r.url = `http://127.0.0.1:${server.address().port}/hook`;
  r.close = () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); });
  return r;
}

/** Closes `x` (a stand-in or receiver) when test `t` ends, pass or fail, so a failure cannot hang the run. */
function own(t, x) {
  t.after(() => x.close());
  return x;
}

const inMinutes = (clock, min) => new Date(clock.t + min * 60000).toISOString();

async function subscribe(g, token, clock, receiver, extra = {}) {
  return api(g, token, "/v1.0/subscriptions", {
    method: "POST",
    body: {
      changeType: "updated,deleted",
      notificationUrl: receiver.url,
      resource: "users",
      expirationDateTime: inMinutes(clock, 60),
      clientState: "secret-client-state",
      ...extra,
    },
  });
}

/** Follows nextLinks to the deltaLink; returns {pages, items, deltaLink}. */
async function drain(g, token, first, headers = {}) {
  const pages = [];
  let url = first;
  for (;;) {
    const r = await api(g, token, url, { headers });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    pages.push(r);
    if (r.body["@odata.nextLink"]) { url = r.body["@odata.nextLink"]; continue; }
    return { pages, items: pages.flatMap((p) => p.body.value), deltaLink: r.body["@odata.deltaLink"] };
  }
}

// ---------------------------------------------------------------------------------------------

describe("app helpers", () => {
  test("makeApp makes a real self-signed certificate whose x5t is base64url SHA-1 of its DER", () => {
    const c = app.certificate;
    assert.equal(c.selfSigned, true);
    const der = new X509Certificate(c.certificatePem).raw;
    assert.equal(c.thumbprint, createHash("sha1").update(der).digest("base64url"));
    assert.equal(c.thumbprintS256, createHash("sha256").update(der).digest("base64url"));
    assert.match(app.clientId, /^[0-9a-f-]{36}$/);
    assert.equal(app.clientSecret.length, 40);
    assert.notEqual(app.clientSecret, otherApp.clientSecret);
  });
});

describe("token endpoint (client credentials)", () => {
  let g, clock;
  before(async () => ({ g, clock } = await start()));
  after(() => g.close());

  const assertion = (opts = {}) => signClientAssertion(app, { tenantId: g.tenantId, nowSeconds: clock.sec(), ...opts });

  test("a client secret is accepted: the documented success body", async () => {
    const r = await postToken(g, secretForm());
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body), ["token_type", "expires_in", "ext_expires_in", "access_token"]);
    assert.equal(r.body.token_type, "Bearer");
    assert.equal(r.body.expires_in, 3599);
    assert.equal(r.body.ext_expires_in, 3599);
    assert.equal(r.body.access_token.split(".").length, 3);
    assert.match(r.headers.get("cache-control"), /no-store/);
    const t = g.tokens().find((x) => x.token === r.body.access_token);
    assert.equal(t.credential, "secret");
    assert.equal(t.clientId, app.clientId);
    assert.deepEqual(t.roles, ["User.Read.All", "Group.Read.All"]);
  });

  test("the secret may come as HTTP Basic client authentication", async () => {
    const basic = Buffer.from(`${encodeURIComponent(app.clientId)}:${encodeURIComponent(app.clientSecret)}`).toString("base64");
    const r = await postToken(g, { grant_type: "client_credentials", scope: GRAPH_SCOPE }, { headers: { Authorization: `Basic ${basic}` } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  });

  test("a certificate assertion (RS256, x5t) is accepted", async () => {
    const r = await postToken(g, assertionForm(assertion()));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(g.tokens().find((x) => x.token === r.body.access_token).credential, "certificate");
  });

  test("a PS256 assertion with x5t#S256 (the page's current revision) is accepted", async () => {
    const r = await postToken(g, assertionForm(assertion({ alg: "PS256" })));
    assert.equal(r.status, 200, JSON.stringify(r.body));
  });

  test("the tenant may be named by its domain", async () => {
    const r = await postToken(g, secretForm(), { tenant: g.domain });
    assert.equal(r.status, 200);
  });

  function assertAad(r, status, error, code) {
    assert.equal(r.status, status, JSON.stringify(r.body));
    assert.equal(r.body.error, error);
    assert.deepEqual(r.body.error_codes, [code]);
    assert.ok(r.body.error_description.startsWith(`AADSTS${code}: `), r.body.error_description);
    assert.match(r.body.error_description, /\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    assert.match(r.body.timestamp, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    assert.match(r.body.trace_id, /^[0-9a-f-]{36}$/);
    assert.match(r.body.correlation_id, /^[0-9a-f-]{36}$/);
    assert.equal(r.body.error_uri, `https://login.microsoftonline.com/error?code=${code}`);
  }

  test("a bad secret: 401 invalid_client AADSTS7000215", async () => {
    const r = await postToken(g, secretForm(app, { client_secret: "not-the-secret" }));
    assertAad(r, 401, "invalid_client", 7000215);
    assert.match(r.body.error_description, /Invalid client secret provided/);
  });

  test("the wrong audience is refused, even the stand-in's own token URL", async () => {
    for (const aud of [g.tokenUrl, "https://login.microsoftonline.com/common/oauth2/v2.0/token",
      `https://login.microsoftonline.com/${g.tenantId}/oauth2/token`]) {
      assertAad(await postToken(g, assertionForm(assertion({ aud }))), 401, "invalid_client", 50027);
    }
  });

  test("an expired assertion: AADSTS700024; a little clock skew is tolerated", async () => {
    const old = clock.sec() - 3600;
    const r = await postToken(g, assertionForm(assertion({ nbf: old, exp: old + 600 })));
    assertAad(r, 401, "invalid_client", 700024);
    assert.match(r.body.error_description, /Client assertion is not within its valid time range\. Current time: \d{4}-\d\d-\d\dT[\d:.]+Z, assertion valid from/);
    const future = await postToken(g, assertionForm(assertion({ nbf: clock.sec() + 3600, exp: clock.sec() + 4200 })));
    assertAad(future, 401, "invalid_client", 700024);
    const skewed = await postToken(g, assertionForm(assertion({ nbf: clock.sec() - 700, exp: clock.sec() - 60 })));
    assert.equal(skewed.status, 200, JSON.stringify(skewed.body));
  });

  test("a bad signature: AADSTS700027 (another key, a tampered claim set, alg none)", async () => {
    let r = await postToken(g, assertionForm(assertion({ signWith: otherApp.certificate.privateKeyPem })));
    assertAad(r, 401, "invalid_client", 700027);
    assert.match(r.body.error_description, /invalid signature/);
    const [h, , s] = assertion().split(".");
    const forged = Buffer.from(JSON.stringify({ aud: g.assertionAudience, exp: clock.sec() + 600, iss: app.clientId, jti: "x", nbf: clock.sec(), sub: app.clientId, extra: 1 })).toString("base64url");
    assertAad(await postToken(g, assertionForm(`${h}.${forged}.${s}`)), 401, "invalid_client", 700027);
    const none = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT", x5t: app.certificate.thumbprint })).toString("base64url");
    r = await postToken(g, assertionForm(`${none}.${assertion().split(".")[1]}.AA`));
    assertAad(r, 401, "invalid_client", 700027);
  });

  test("a certificate that is not registered: AADSTS700027 key not found, with its hex thumbprint", async () => {
    const r = await postToken(g, assertionForm(signClientAssertion({ ...otherApp, clientId: app.clientId }, { tenantId: g.tenantId, nowSeconds: clock.sec() })));
    assertAad(r, 401, "invalid_client", 700027);
    const hex = Buffer.from(otherApp.certificate.thumbprint, "base64url").toString("hex").toUpperCase();
    assert.ok(r.body.error_description.includes(`Thumbprint of key used by client: '${hex}'`));
  });

  test("iss must equal sub (AADSTS50048) and the client_id (AADSTS700021)", async () => {
    assertAad(await postToken(g, assertionForm(assertion({ sub: otherApp.clientId }))), 401, "invalid_client", 50048);
    assertAad(await postToken(g, assertionForm(assertion({ iss: otherApp.clientId, sub: otherApp.clientId }))), 401, "invalid_client", 700021);
  });

  test("an unknown client: 400 unauthorized_client AADSTS700016", async () => {
    const r = await postToken(g, secretForm(otherApp));
    assertAad(r, 400, "unauthorized_client", 700016);
    assert.ok(r.body.error_description.includes(`Application with identifier '${otherApp.clientId}' was not found in the directory`));
  });

  test("an unknown tenant: 400 invalid_request AADSTS90002", async () => {
    const r = await postToken(g, secretForm(), { tenant: "00000000-0000-0000-0000-000000000001" });
    assertAad(r, 400, "invalid_request", 90002);
  });

  test("scope, grant_type and missing parameters", async () => {
    assertAad(await postToken(g, secretForm(app, { scope: "https://graph.microsoft.com/User.Read.All" })), 400, "invalid_scope", 70011);
    assertAad(await postToken(g, secretForm(app, { scope: "https://outlook.office.com/.default" })), 400, "invalid_scope", 70011);
    assertAad(await postToken(g, secretForm(app, { grant_type: "password" })), 400, "unsupported_grant_type", 70003);
    const { grant_type: _g, ...noGrant } = secretForm();
    assertAad(await postToken(g, noGrant), 400, "invalid_request", 900144);
    const { client_secret: _s, ...noCred } = secretForm();
    assertAad(await postToken(g, noCred), 401, "invalid_client", 7000218);
  });

  test("token endpoint down answers 503 until it is back", async () => {
    g.setTokenEndpointDown(true);
    const r = await postToken(g, secretForm());
    assert.equal(r.status, 503);
    assert.equal(r.body.error, "temporarily_unavailable");
    g.setTokenEndpointDown(false);
    assert.equal((await postToken(g, secretForm())).status, 200);
  });

  test("requests() holds no secret, assertion or Authorization value", async () => {
    const a = assertion();
    await postToken(g, assertionForm(a));
    await postToken(g, secretForm());
    const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString("base64");
    await postToken(g, { grant_type: "client_credentials", scope: GRAPH_SCOPE }, { headers: { Authorization: `Basic ${basic}` } });
    const log = JSON.stringify(g.requests());
    assert.ok(!log.includes(app.clientSecret));
    assert.ok(!log.includes(a.split(".")[2]));
    assert.ok(!log.includes(basic));
    const last = g.requests().at(-1);
    assert.equal(last.headers.authorization, "[redacted]");
    assert.ok(g.requests().some((e) => e.body?.client_assertion === "[redacted]"));
  });
});

describe("Graph authentication", () => {
  let g, clock, token;
  before(async () => { ({ g, clock } = await start()); token = await tokenFor(g); });
  after(() => g.close());

  test("no token: 401 InvalidAuthenticationToken with the Graph error body", async () => {
    const r = await api(g, null, "/v1.0/users/delta", { headers: { "client-request-id": "my-correlation" } });
    assert.equal(r.status, 401);
    assert.deepEqual(Object.keys(r.body.error), ["code", "message", "innerError"]);
    assert.equal(r.body.error.code, "InvalidAuthenticationToken");
    assert.equal(r.body.error.message, "Access token is empty.");
    assert.match(r.body.error.innerError.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.equal(r.body.error.innerError["request-id"], r.headers.get("request-id"));
    assert.equal(r.body.error.innerError["client-request-id"], "my-correlation");
    assert.equal(r.headers.get("client-request-id"), "my-correlation");
    assert.match(r.headers.get("www-authenticate"), /^Bearer /);
  });

  test("an unknown, an expired and a revoked token are 401", async () => {
    assert.equal((await api(g, "eyJ.eyJ.sig", "/v1.0/users/delta")).status, 401);
    const t2 = await tokenFor(g);
    clock.advance(3600 * 1000);
    const r = await api(g, t2, "/v1.0/users/delta");
    assert.equal(r.status, 401);
    assert.equal(r.body.error.message, "Lifetime validation failed, the token is expired.");
    const t3 = await tokenFor(g);
    assert.equal((await api(g, t3, "/v1.0/users/delta")).status, 200);
    g.revokeTokens();
    assert.equal((await api(g, t3, "/v1.0/users/delta")).status, 401);
    token = await tokenFor(g);
  });

  test("an app without User.Read.All gets 403 Authorization_RequestDenied", async () => {
    const weak = await tokenFor(g, weakApp);
    const r = await api(g, weak, "/v1.0/users/delta");
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, "Authorization_RequestDenied");
    assert.equal((await api(g, weak, "/v1.0/groups/delta")).status, 403);
  });
});

describe("users and groups", () => {
  let g, token, ada, grp;
  before(async () => {
    ({ g } = await start());
    token = await tokenFor(g);
    ada = g.addUser({ userPrincipalName: "Ada.Lovelace@contoso.onmicrosoft.com", displayName: "Ada Lovelace", givenName: "Ada", surname: "Lovelace", mail: "ada@contoso.com", jobTitle: "Analyst" });
    grp = g.createGroup({ displayName: "Engineering", mailNickname: "eng", description: "Engineers" });
    g.addMember(grp.id, ada.id);
  });
  after(() => g.close());

  test("users.get without $select answers the default property set (no accountEnabled)", async () => {
    const r = await api(g, token, `/v1.0/users/${ada.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.body["@odata.context"], "https://graph.microsoft.com/v1.0/$metadata#users/$entity");
    assert.deepEqual(Object.keys(r.body).slice(1), USER_DEFAULT_PROPS);
    assert.deepEqual(Object.keys(r.body).slice(1).sort(), ["businessPhones", "displayName", "givenName", "id", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName"]);
    assert.equal(r.body.accountEnabled, undefined);
    assert.equal(r.body.mobilePhone, null);
    assert.deepEqual(r.body.businessPhones, []);
    assert.equal(r.body.jobTitle, "Analyst");
  });

  test("controls hand back the whole user, accountEnabled included", () => {
    assert.equal(ada.accountEnabled, true);
    assert.equal(ada.userPrincipalName, "Ada.Lovelace@contoso.onmicrosoft.com");
    assert.equal(g.user("ada.lovelace@contoso.onmicrosoft.com").id, ada.id);
    assert.deepEqual(g.members(grp.id).map((m) => m.id), [ada.id]);
  });

  test("users.get with $select answers exactly those properties (and id)", async () => {
    const r = await api(g, token, `/v1.0/users/${ada.id}?$select=accountEnabled,displayName,department`);
    assert.equal(r.body["@odata.context"], "https://graph.microsoft.com/v1.0/$metadata#users(accountEnabled,displayName,department)/$entity");
    assert.deepEqual(Object.keys(r.body).slice(1), ["accountEnabled", "displayName", "department", "id"]);
    assert.equal(r.body.accountEnabled, true);
    assert.equal(r.body.department, null);
    g.disableUser(ada.id);
    assert.equal((await api(g, token, `/v1.0/users/${ada.id}?$select=accountEnabled`)).body.accountEnabled, false);
    g.enableUser(ada.id);
  });

  test("users.get by userPrincipalName, case-insensitively", async () => {
    const r = await api(g, token, `/v1.0/users/${encodeURIComponent("ada.lovelace@CONTOSO.onmicrosoft.com")}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.id, ada.id);
  });

  test("unknown and deleted users: 404 Request_ResourceNotFound; a restore brings the user back", async () => {
    const unknown = "11111111-2222-3333-4444-555555555555";
    let r = await api(g, token, `/v1.0/users/${unknown}`);
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, "Request_ResourceNotFound");
    assert.equal(r.body.error.message, `Resource '${unknown}' does not exist or one of its queried reference-property objects are not present.`);
    const bob = g.addUser({ userPrincipalName: "bob@contoso.onmicrosoft.com", displayName: "Bob" });
    g.deleteUser(bob.id);
    assert.equal((await api(g, token, `/v1.0/users/${bob.id}`)).status, 404);
    assert.equal(g.user(bob.id), null);
    g.restoreUser(bob.id);
    assert.equal((await api(g, token, `/v1.0/users/${bob.id}`)).status, 200);
  });

  test("$select of an unknown property: 400 Request_BadRequest", async () => {
    const r = await api(g, token, `/v1.0/users/${ada.id}?$select=displayName,shoeSize`);
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, "Request_BadRequest");
    assert.equal(r.body.error.message, "Could not find a property named 'shoeSize' on type 'Microsoft.DirectoryServices.User'.");
  });

  test("groups.get with and without $select; group members page with $top", async () => {
    let r = await api(g, token, `/v1.0/groups/${grp.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.id, grp.id);
    assert.equal(r.body.displayName, "Engineering");
    assert.equal(r.body.securityEnabled, true);
    assert.deepEqual(r.body.groupTypes, []);
    r = await api(g, token, `/v1.0/groups/${grp.id}?$select=displayName,description`);
    assert.deepEqual(Object.keys(r.body), ["@odata.context", "id", "displayName", "description"]);
    const extra = ["c1", "c2", "c3"].map((n) => g.addUser({ userPrincipalName: `${n}@contoso.onmicrosoft.com`, displayName: n }));
    for (const u of extra) g.addMember(grp.id, u.id);
    r = await api(g, token, `/v1.0/groups/${grp.id}/members?$top=3&$select=id,userPrincipalName`);
    assert.equal(r.body.value.length, 3);
    assert.equal(r.body.value[0]["@odata.type"], "#microsoft.graph.user");
    assert.ok(r.body["@odata.nextLink"].startsWith(`${g.base}/v1.0/groups/${grp.id}/members?$skiptoken=`));
    const r2 = await api(g, token, r.body["@odata.nextLink"]);
    assert.equal(r2.body.value.length, 1);
    assert.equal(r2.body["@odata.nextLink"], undefined);
    assert.deepEqual([...r.body.value, ...r2.body.value].map((m) => m.id), [ada.id, ...extra.map((u) => u.id)]);
    assert.equal((await api(g, token, `/v1.0/groups/${ada.id}`)).status, 404);
  });
});

describe("subscriptions and the validation handshake", () => {
  let g, clock, token, rx;
  before(async () => {
    ({ g, clock } = await start({ validationTimeoutMs: 200 }));
    token = await tokenFor(g);
    rx = await startReceiver();
  });
  after(async () => { await rx.close(); await g.close(); });

  test("create validates the endpoint with a percent-encoded token, then answers 201 with the resource", async () => {
    const r = await subscribe(g, token, clock, rx, { lifecycleNotificationUrl: `${rx.url}?lifecycle=1` });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual(Object.keys(r.body), [
      "@odata.context", "id", "resource", "applicationId", "changeType", "clientState", "notificationUrl",
      "notificationQueryOptions", "lifecycleNotificationUrl", "expirationDateTime", "creatorId",
      "includeResourceData", "latestSupportedTlsVersion", "encryptionCertificate", "encryptionCertificateId",
      "notificationUrlAppId",
    ]);
    assert.equal(r.body["@odata.context"], "https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity");
    assert.match(r.body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(r.body.applicationId, app.clientId);
    assert.equal(r.body.changeType, "updated,deleted");
    assert.equal(r.body.clientState, "secret-client-state");
    assert.equal(r.body.latestSupportedTlsVersion, "v1_2");
    assert.equal(r.body.notificationQueryOptions, null);
    assert.equal(r.body.encryptionCertificate, null);
    assert.match(r.body.expirationDateTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    // both endpoints were validated, each with a POST and text/plain
    const [v1, v2] = rx.validations.slice(-2);
    assert.equal(v1.method, "POST");
    assert.equal(v1.headers["content-type"], "text/plain; charset=utf-8");
    assert.match(v1.token, / /);
    assert.match(v1.token, /:/);
    assert.match(v1.token, /\+/);
    assert.ok(!/[ +:]/.test(v1.url.split("validationToken=")[1]), "the token is percent-encoded in the query");
    assert.ok(v2.url.startsWith("/hook?lifecycle=1&validationToken="));
    assert.ok(g.validations().slice(-2).every((v) => v.ok));
    // clientState is a shared secret: never in the request log
    const logged = g.requests().find((e) => e.method === "POST" && e.path === "/v1.0/subscriptions");
    assert.equal(logged.body.clientState, "[redacted]");
    assert.ok(!JSON.stringify(g.requests()).includes("secret-client-state"));
  });

  test("a receiver that does not decode the token, answers 500, is slow or not text/plain fails the create", async () => {
    const before = g.subscriptions().length;
    const expect = {
      raw: "Subscription validation request failed. Response must exactly match validationToken query parameter.",
      500: "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.",
      slow: "Subscription validation request timeout.",
      json: "Subscription validation request failed. Response Content-Type must be text/plain.",
    };
    for (const [mode, message] of Object.entries(expect)) {
      rx.validation = mode;
      const r = await subscribe(g, token, clock, rx);
      assert.equal(r.status, 400, mode);
      assert.equal(r.body.error.code, "ValidationError");
      assert.equal(r.body.error.message, message);
    }
    rx.validation = "echo";
    assert.equal(g.subscriptions().length, before);
  });

  test("a lifecycle endpoint that fails validation fails the create", async (t) => {
    const bad = own(t, await startReceiver({ validation: "500" }));
    const r = await subscribe(g, token, clock, rx, { lifecycleNotificationUrl: bad.url });
    assert.equal(r.status, 400);
  });

  test("expirationDateTime: required, in the future, at most 41760 minutes ahead", async () => {
    let r = await subscribe(g, token, clock, rx, { expirationDateTime: inMinutes(clock, 41761) });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, "ExtensionError");
    assert.equal(r.body.error.message, "Subscription expiration can only be 41760 minutes in the future.");
    r = await subscribe(g, token, clock, rx, { expirationDateTime: inMinutes(clock, 41760) });
    assert.equal(r.status, 201);
    r = await subscribe(g, token, clock, rx, { expirationDateTime: inMinutes(clock, -1) });
    assert.equal(r.status, 400);
    r = await subscribe(g, token, clock, rx, { expirationDateTime: undefined });
    assert.equal(r.body.error.message, "expirationDateTime is a required property for subscription creation.");
  });

  test("users and groups take updated and deleted, not created; other resources are refused", async () => {
    let r = await subscribe(g, token, clock, rx, { changeType: "created,updated" });
    assert.equal(r.status, 400);
    r = await subscribe(g, token, clock, rx, { resource: "/groups" });
    assert.equal(r.status, 201);
    r = await subscribe(g, token, clock, rx, { resource: "me/messages" });
    assert.equal(r.status, 400);
    const weak = await tokenFor(g, weakApp);
    r = await subscribe(g, weak, clock, rx);
    assert.equal(r.status, 403);
  });

  test("get, renew (PATCH), reauthorize, delete; other apps cannot see it", async () => {
    const s = (await subscribe(g, token, clock, rx)).body;
    let r = await api(g, token, `/v1.0/subscriptions/${s.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.id, s.id);
    const later = inMinutes(clock, 600);
    r = await api(g, token, `/v1.0/subscriptions/${s.id}`, { method: "PATCH", body: { expirationDateTime: later } });
    assert.equal(r.status, 200);
    assert.equal(Date.parse(r.body.expirationDateTime), Date.parse(later));
    r = await api(g, token, `/v1.0/subscriptions/${s.id}`, { method: "PATCH", body: { expirationDateTime: inMinutes(clock, 50000) } });
    assert.equal(r.status, 400);
    r = await api(g, token, `/v1.0/subscriptions/${s.id}/reauthorize`, { method: "POST" });
    assert.equal(r.status, 204);
    g.registerApp(otherApp);
    const other = await tokenFor(g, otherApp);
    assert.equal((await api(g, other, `/v1.0/subscriptions/${s.id}`)).status, 404);
    assert.ok((await api(g, token, "/v1.0/subscriptions")).body.value.some((x) => x.id === s.id));
    r = await api(g, token, `/v1.0/subscriptions/${s.id}`, { method: "DELETE" });
    assert.equal(r.status, 204);
    r = await api(g, token, `/v1.0/subscriptions/${s.id}`);
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, "ResourceNotFound");
    assert.equal(r.body.error.message, "The object was not found.");
    assert.equal((await api(g, token, `/v1.0/subscriptions/${s.id}`, { method: "DELETE" })).status, 404);
  });

  test("a subscription past its expirationDateTime is gone", async () => {
    const s = (await subscribe(g, token, clock, rx, { expirationDateTime: inMinutes(clock, 30) })).body;
    clock.advance(31 * 60000);
    assert.equal((await api(g, token, `/v1.0/subscriptions/${s.id}`)).status, 404);
    assert.equal(g.subscriptions().find((x) => x.id === s.id).live, false);
  });
});

describe("change notifications", () => {
  let g, clock, token, rx;
  before(async () => {
    ({ g, clock } = await start({ notifyTimeoutMs: 300 }));
    token = await tokenFor(g);
    rx = await startReceiver();
  });
  after(async () => { await rx.close(); await g.close(); });

  async function freshSub(extra = {}, receiver = rx) {
    const r = await subscribe(g, token, clock, receiver, extra);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  }
  const cleanup = async (sub) => { await api(g, token, `/v1.0/subscriptions/${sub.id}`, { method: "DELETE" }); };

  // Each test starts with no subscription and nothing in flight.
  beforeEach(async () => {
    for (const s of (await api(g, token, "/v1.0/subscriptions")).body.value) await cleanup(s);
    await g.flush();
    rx.got.length = 0;
    rx.status = 202;
    rx.delayMs = 0;
  });

  test("an update POSTs the documented change notification collection", async () => {
    const sub = await freshSub();
    const u = g.addUser({ userPrincipalName: "n1@contoso.onmicrosoft.com", displayName: "N1" });
    await g.flush();
    rx.got.length = 0;
    g.updateUser(u.id, { jobTitle: "Tester" });
    await g.flush();
    assert.equal(rx.got.length, 1);
    const got = rx.got[0];
    assert.equal(got.method, "POST");
    assert.equal(got.url, "/hook");
    assert.equal(got.headers["content-type"], "application/json; charset=utf-8");
    assert.equal(got.body.value.length, 1);
    const n = got.body.value[0];
    assert.deepEqual(Object.keys(n), ["id", "subscriptionId", "subscriptionExpirationDateTime", "changeType", "resource", "resourceData", "clientState", "tenantId"]);
    assert.equal(n.subscriptionId, sub.id);
    assert.equal(n.changeType, "updated");
    assert.equal(n.resource, `Users/${u.id}`);
    assert.equal(n.clientState, "secret-client-state");
    assert.equal(n.tenantId, g.tenantId);
    assert.equal(Date.parse(n.subscriptionExpirationDateTime), Date.parse(sub.expirationDateTime));
    assert.match(n.subscriptionExpirationDateTime, /\+00:00$/);
    assert.deepEqual(Object.keys(n.resourceData), ["@odata.type", "@odata.id", "id", "organizationId", "eventTime", "sequenceNumber"]);
    assert.equal(n.resourceData["@odata.type"], "#Microsoft.Graph.User");
    assert.equal(n.resourceData["@odata.id"], `Users/${u.id}`);
    assert.equal(n.resourceData.id, u.id);
    assert.equal(n.resourceData.organizationId, g.tenantId);
    const e = g.notifications().at(-1);
    assert.equal(e.status, 202);
    assert.equal(e.delivered, true);
    assert.equal(e.inTime, true);
    assert.equal(typeof e.latencyMs, "number");
    await cleanup(sub);
  });

  test("changeType: create, update and soft delete are updated; a permanent delete is deleted", async () => {
    const both = await freshSub();
    const delOnly = await freshSub({ changeType: "deleted" });
    rx.got.length = 0;
    const u = g.addUser({ userPrincipalName: "n2@contoso.onmicrosoft.com" });
    g.disableUser(u.id);
    g.deleteUser(u.id);
    g.permanentlyDeleteUser(u.id);
    await g.flush();
    const seen = rx.got.map((x) => [x.body.value[0].subscriptionId === both.id ? "both" : "delOnly", x.body.value[0].changeType]);
    // one URL: deliveries go out in order
    assert.deepEqual(seen, [["both", "updated"], ["both", "updated"], ["both", "updated"], ["both", "deleted"], ["delOnly", "deleted"]]);
    await cleanup(both);
    await cleanup(delOnly);
  });

  test("a membership change is an updated on the group; users/{id} only hears about that user", async () => {
    const groups = await freshSub({ resource: "groups" });
    const u1 = g.addUser({ userPrincipalName: "m1@contoso.onmicrosoft.com" });
    const u2 = g.addUser({ userPrincipalName: "m2@contoso.onmicrosoft.com" });
    const one = await freshSub({ resource: `users/${u1.id}` });
    const grp = g.createGroup({ displayName: "Notified" });
    await g.flush();
    rx.got.length = 0;
    g.addMember(grp.id, u1.id);
    g.updateUser(u2.id, { jobTitle: "x" });
    g.updateUser(u1.id, { jobTitle: "y" });
    await g.flush();
    const bySub = (id) => rx.got.map((x) => x.body.value[0]).filter((n) => n.subscriptionId === id);
    assert.deepEqual(bySub(groups.id).map((n) => [n.changeType, n.resource, n.resourceData["@odata.type"]]), [["updated", `Groups/${grp.id}`, "#Microsoft.Graph.Group"]]);
    assert.deepEqual(bySub(one.id).map((n) => n.resource), [`Users/${u1.id}`]);
    await cleanup(groups);
    await cleanup(one);
  });

  test("dropNext drops notifications (logged, never sent); silent changes send nothing", async () => {
    const sub = await freshSub();
    const u = g.addUser({ userPrincipalName: "d1@contoso.onmicrosoft.com" }, { silent: true });
    await g.flush();
    rx.got.length = 0;
    g.dropNext(2);
    g.updateUser(u.id, { jobTitle: "a" });
    g.updateUser(u.id, { jobTitle: "b" });
    g.updateUser(u.id, { jobTitle: "c" }, { silent: true });
    await g.flush();
    assert.equal(rx.got.length, 0);
    const dropped = g.notifications().filter((e) => e.dropped);
    assert.equal(dropped.length, 2);
    assert.equal(dropped[0].delivered, false);
    g.dropNext(5);
    g.stopDropping();
    g.updateUser(u.id, { jobTitle: "d" });
    await g.flush();
    assert.equal(rx.got.length, 1);
    await cleanup(sub);
  });

  test("a failing receiver is retried; a slow one is timed out and not in time", async (t) => {
    const flaky = own(t, await startReceiver({ statusQueue: [503, 500] }));
    const sub = await freshSub({}, flaky);
    const u = g.addUser({ userPrincipalName: "f1@contoso.onmicrosoft.com" }, { silent: true });
    g.updateUser(u.id, { jobTitle: "r" });
    await g.flush();
    const e = g.notifications().at(-1);
    assert.deepEqual(e.statuses, [503, 500, 202]);
    assert.equal(e.status, 202);
    assert.equal(e.delivered, true);
    flaky.delayMs = 600; // notifyTimeoutMs is 300
    g.updateUser(u.id, { jobTitle: "s" });
    await g.flush();
    const slow = g.notifications().at(-1);
    assert.equal(slow.delivered, false);
    assert.equal(slow.inTime, false);
    assert.equal(slow.error, "timeout");
    assert.equal(slow.attempts.length, 4); // first try + notifyRetries (3)
    await cleanup(sub);
  });

  test("notifyBatchMs puts notifications for one URL in one POST", async (t) => {
    const g2 = own(t, await startGraphStandin({ apps: [app], notifyBatchMs: 30 }));
    const t2 = await tokenFor(g2);
    const c2 = makeClock();
    const sub = (await subscribe(g2, t2, c2, rx)).body;
    rx.got.length = 0;
    const u = g2.addUser({ userPrincipalName: "b1@contoso.onmicrosoft.com" });
    g2.updateUser(u.id, { jobTitle: "1" });
    g2.updateUser(u.id, { jobTitle: "2" });
    await g2.flush();
    assert.equal(rx.got.length, 1);
    assert.equal(rx.got[0].body.value.length, 3);
    assert.ok(rx.got[0].body.value.every((n) => n.subscriptionId === sub.id));
  });

  test("lifecycle notifications: shape, subscriptionRemoved, and a paused subscription losing changes", async (t) => {
    const life = own(t, await startReceiver());
    const sub = await freshSub({ lifecycleNotificationUrl: life.url });
    assert.equal(g.sendLifecycle(sub.id, "missed"), true);
    await g.flush();
    assert.equal(life.got.length, 1);
    const n = life.got[0].body.value[0];
    assert.deepEqual(Object.keys(n), ["subscriptionId", "subscriptionExpirationDateTime", "tenantId", "clientState", "lifecycleEvent"]);
    assert.equal(n.lifecycleEvent, "missed");
    assert.equal(n.subscriptionId, sub.id);
    assert.equal(n.clientState, "secret-client-state");

    const u = g.addUser({ userPrincipalName: "l1@contoso.onmicrosoft.com" }, { silent: true });
    g.sendLifecycle(sub.id, "reauthorizationRequired", { pause: true });
    rx.got.length = 0;
    g.updateUser(u.id, { jobTitle: "lost" });
    await g.flush();
    assert.equal(rx.got.length, 0);
    const lost = g.notifications().filter((e) => e.lost === "paused");
    assert.equal(lost.length, 1);
    assert.equal(lost[0].body.value[0].resource, `Users/${u.id}`);
    assert.equal((await api(g, token, `/v1.0/subscriptions/${sub.id}/reauthorize`, { method: "POST" })).status, 204);
    g.updateUser(u.id, { jobTitle: "flows" });
    await g.flush();
    assert.equal(rx.got.length, 1);

    g.sendLifecycle(sub.id, "subscriptionRemoved");
    await g.flush();
    assert.equal(life.got.at(-1).body.value[0].lifecycleEvent, "subscriptionRemoved");
    assert.equal((await api(g, token, `/v1.0/subscriptions/${sub.id}`)).status, 404);
    rx.got.length = 0;
    g.updateUser(u.id, { jobTitle: "gone" });
    await g.flush();
    assert.equal(rx.got.length, 0);

    const noLife = await freshSub();
    assert.equal(g.sendLifecycle(noLife.id, "missed"), false);
    await cleanup(noLife);
  });

  test("an expired subscription gets no notifications", async () => {
    const sub = await freshSub();
    g.expireSubscription(sub.id);
    rx.got.length = 0;
    g.addUser({ userPrincipalName: "x1@contoso.onmicrosoft.com" });
    await g.flush();
    assert.equal(rx.got.length, 0);
  });

  test("waitFor resolves once the predicate holds", async () => {
    const sub = await freshSub();
    setTimeout(() => g.addUser({ userPrincipalName: "w1@contoso.onmicrosoft.com" }), 20);
    const e = await g.waitFor((s) => s.notifications().find((x) => x.delivered && x.subscriptionIds.includes(sub.id)), 2000);
    assert.equal(e.status, 202);
    await assert.rejects(g.waitFor(() => false, 30), /waitFor/);
    await cleanup(sub);
  });
});

describe("delta query", () => {
  let g, token;
  const upn = (n) => `d${n}@contoso.onmicrosoft.com`;
  before(async () => {
    ({ g } = await start());
    token = await tokenFor(g);
  });
  after(() => g.close());

  test("users: the first round pages with nextLinks (odata.maxpagesize) and ends with a deltaLink", async () => {
    const made = [1, 2, 3, 4, 5].map((n) => g.addUser({ userPrincipalName: upn(n), displayName: `D${n}`, givenName: "D", surname: String(n) }));
    const { pages, items, deltaLink } = await drain(g, token, "/v1.0/users/delta?$select=displayName,givenName,surname", { Prefer: "odata.maxpagesize=2" });
    assert.equal(pages.length, 3);
    assert.equal(pages[0].headers.get("preference-applied"), "odata.maxpagesize=2");
    assert.equal(pages[0].body["@odata.context"], "https://graph.microsoft.com/v1.0/$metadata#users(displayName,givenName,surname)");
    assert.deepEqual(Object.keys(pages[0].body), ["@odata.context", "@odata.nextLink", "value"]);
    assert.ok(pages[0].body["@odata.nextLink"].startsWith(`${g.base}/v1.0/users/delta?$skiptoken=`));
    assert.equal(pages[2].body["@odata.nextLink"], undefined);
    assert.ok(deltaLink.startsWith(`${g.base}/v1.0/users/delta?$deltatoken=`));
    assert.deepEqual(items.map((u) => u.id), made.map((u) => u.id));
    assert.deepEqual(items[0], { displayName: "D1", givenName: "D", surname: "1", id: made[0].id });
    g.__deltaLink = deltaLink;
    g.__made = made;
  });

  test("users: the deltaLink answers only changes, with @removed changed / deleted", async () => {
    const [u1, u2, u3, u4] = g.__made;
    g.updateUser(u1.id, { displayName: "D1 renamed" });
    g.updateUser(u2.id, { jobTitle: "not selected" }); // untracked property: no entry
    g.deleteUser(u3.id);
    g.permanentlyDeleteUser(u4.id);
    const u6 = g.addUser({ userPrincipalName: upn(6), displayName: "D6" });
    const { items, deltaLink } = await drain(g, token, g.__deltaLink);
    assert.deepEqual(items, [
      { displayName: "D1 renamed", givenName: "D", surname: "1", id: u1.id },
      { id: u3.id, "@removed": { reason: "changed" } },
      { id: u4.id, "@removed": { reason: "deleted" } },
      { displayName: "D6", id: u6.id },
    ]);
    const again = await drain(g, token, deltaLink);
    assert.deepEqual(again.items, []);
    g.restoreUser(u3.id);
    const restored = await drain(g, token, again.deltaLink);
    assert.deepEqual(restored.items, [{ displayName: "D3", givenName: "D", surname: "3", id: u3.id }]);
    g.__deltaLink = restored.deltaLink;
  });

  test("Prefer: return=minimal answers only the changed properties", async () => {
    const [u1] = g.__made;
    g.updateUser(u1.id, { surname: "One" });
    const r = await api(g, token, g.__deltaLink, { headers: { Prefer: "return=minimal" } });
    assert.deepEqual(r.body.value, [{ surname: "One", id: u1.id }]);
    assert.equal(r.headers.get("preference-applied"), "return=minimal");
  });

  test("without $select every property is tracked and the default set answered", async () => {
    const first = await drain(g, token, "/v1.0/users/delta");
    const someone = first.items.find((u) => u.id === g.__made[0].id);
    assert.ok(Object.keys(someone).every((k) => USER_DEFAULT_PROPS.includes(k)));
    g.disableUser(g.__made[1].id);
    const next = await drain(g, token, first.deltaLink);
    assert.deepEqual(next.items.map((u) => u.id), [g.__made[1].id]);
  });

  test("groups: members@delta in the first round, then added and removed members", async () => {
    const [a, b] = [g.addUser({ userPrincipalName: upn("ga") }), g.addUser({ userPrincipalName: upn("gb") })];
    const withMembers = g.createGroup({ displayName: "G1", description: "first" });
    const empty = g.createGroup({ displayName: "G2" });
    g.addMember(withMembers.id, a.id);
    const first = await drain(g, token, "/v1.0/groups/delta?$select=displayName,description,members");
    assert.equal(first.pages[0].body["@odata.context"], "https://graph.microsoft.com/v1.0/$metadata#groups(displayName,description)");
    assert.deepEqual(first.items, [
      { displayName: "G1", description: "first", id: withMembers.id, "members@delta": [{ "@odata.type": "#microsoft.graph.user", id: a.id }] },
      { displayName: "G2", id: empty.id },
    ]);
    g.addMember(withMembers.id, b.id);
    g.removeMember(withMembers.id, a.id);
    const next = await drain(g, token, first.deltaLink);
    assert.deepEqual(next.items, [{
      displayName: "G1", description: "first", id: withMembers.id,
      "members@delta": [
        { "@odata.type": "#microsoft.graph.user", id: a.id, "@removed": { reason: "deleted" } },
        { "@odata.type": "#microsoft.graph.user", id: b.id },
      ],
    }]);
    g.deleteUser(b.id); // a deleted user leaves its groups
    g.deleteGroup(empty.id);
    const third = await drain(g, token, next.deltaLink);
    assert.deepEqual(third.items, [
      { displayName: "G1", description: "first", id: withMembers.id, "members@delta": [{ "@odata.type": "#microsoft.graph.user", id: b.id, "@removed": { reason: "deleted" } }] },
      { id: empty.id, "@removed": { reason: "changed" } },
    ]);
    // without members selected, membership changes do not show
    const plain = await drain(g, token, "/v1.0/groups/delta?$select=displayName");
    g.addMember(withMembers.id, a.id);
    assert.deepEqual((await drain(g, token, plain.deltaLink)).items, []);
  });

  test("a big group's members are split over pages, the group repeated", async (t) => {
    const g3 = own(t, await startGraphStandin({ apps: [app] }));
    const t3 = await tokenFor(g3);
    g3.seed({ users: 1100, groups: 1, membersPerGroup: 1100 });
    const { pages, items } = await drain(g3, t3, "/v1.0/groups/delta?$select=displayName,members");
    assert.equal(pages.length, 3);
    assert.equal(items.length, 3);
    assert.ok(items.every((x) => x.id === items[0].id && x.displayName === items[0].displayName));
    const ids = items.flatMap((x) => x["members@delta"].map((m) => m.id));
    assert.deepEqual(items.map((x) => x["members@delta"].length), [500, 500, 100]);
    assert.equal(new Set(ids).size, 1100);
  });

  test("a change between two pages neither repeats nor skips the others; it shows next round", async (t) => {
    const g4 = own(t, await startGraphStandin({ apps: [app] }));
    const t4 = await tokenFor(g4);
    const users = [0, 1, 2, 3, 4, 5].map((n) => g4.addUser({ userPrincipalName: upn(`s${n}`), displayName: `S${n}` }));
    const prefer = { Prefer: "odata.maxpagesize=2" };
    const p1 = await api(g4, t4, "/v1.0/users/delta?$select=displayName", { headers: prefer });
    g4.updateUser(users[0].id, { displayName: "S0 again" }); // already returned
    g4.updateUser(users[3].id, { displayName: "S3 changed" }); // not yet returned
    g4.deleteUser(users[2].id); // not yet returned
    const late = g4.addUser({ userPrincipalName: upn("late"), displayName: "Late" });
    const rest = await drain(g4, t4, p1.body["@odata.nextLink"], prefer);
    const seen = [...p1.body.value, ...rest.items].map((u) => u.id);
    assert.equal(new Set(seen).size, seen.length, "no repeats");
    for (const u of [users[0], users[1], users[4], users[5]]) assert.ok(seen.includes(u.id));
    assert.ok(!seen.includes(late.id), "created after the round began: next round");
    const next = await drain(g4, t4, rest.deltaLink);
    const nextIds = next.items.map((u) => u.id);
    for (const u of [users[0], users[3], users[2], late]) assert.ok(nextIds.includes(u.id));
    assert.deepEqual(next.items.find((u) => u.id === users[2].id), { id: users[2].id, "@removed": { reason: "changed" } });
  });

  test("a garbled or foreign token: 400; an expired one: 410 with a Location to start over", async () => {
    const first = await drain(g, token, "/v1.0/users/delta?$select=displayName");
    const tok = new URL(first.deltaLink).searchParams.get("$deltatoken");
    let r = await api(g, token, `/v1.0/users/delta?$deltatoken=${tok.slice(0, -3)}abc`);
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, "Request_BadRequest");
    r = await api(g, token, `/v1.0/groups/delta?$deltatoken=${tok}`);
    assert.equal(r.status, 400);
    r = await api(g, token, "/v1.0/users/delta?$skiptoken=hello");
    assert.equal(r.status, 400);
    g.expireDeltaTokens();
    r = await api(g, token, first.deltaLink);
    assert.equal(r.status, 410);
    assert.equal(r.body.error.code, "syncStateNotFound");
    assert.equal(r.headers.get("location"), `${g.base}/v1.0/users/delta?$select=displayName`);
    const fresh = await drain(g, token, r.headers.get("location"));
    assert.ok(fresh.items.length > 0);
  });

  test("delta tokens expire after seven days", async (t) => {
    const { g: g5, clock } = await start();
    own(t, g5);
    const t5 = await tokenFor(g5);
    const first = await drain(g5, t5, "/v1.0/users/delta");
    clock.advance(6 * 86400000);
    const fresh = await tokenFor(g5);
    assert.equal((await api(g5, fresh, first.deltaLink)).status, 200);
    clock.advance(2 * 86400000);
    const fresher = await tokenFor(g5);
    assert.equal((await api(g5, fresher, first.deltaLink)).status, 410);
  });

  test("$deltatoken=latest starts from now with no data", async () => {
    const r = await api(g, token, "/v1.0/users/delta?$deltatoken=latest&$select=displayName");
    assert.deepEqual(r.body.value, []);
    const u = g.addUser({ userPrincipalName: upn("latest"), displayName: "Latest" });
    const next = await drain(g, token, r.body["@odata.deltaLink"]);
    assert.deepEqual(next.items, [{ displayName: "Latest", id: u.id }]);
  });

  test("seeding 50,000 users is fast and so is a full delta round", async (t) => {
    const g6 = own(t, await startGraphStandin({ apps: [app] }));
    const t6 = await tokenFor(g6);
    let began = performance.now();
    g6.seed({ users: 50000, groups: 20, membersPerGroup: 100 });
    assert.ok(performance.now() - began < 5000, `seed took ${performance.now() - began} ms`);
    began = performance.now();
    const { pages, items } = await drain(g6, t6, "/v1.0/users/delta?$select=displayName,accountEnabled");
    assert.equal(items.length, 50000);
    assert.equal(pages.length, 250);
    assert.ok(performance.now() - began < 20000, `delta took ${performance.now() - began} ms`);
  });
});

describe("fault injection", () => {
  let g, token;
  before(async () => { ({ g } = await start()); token = await tokenFor(g); });
  after(() => g.close());

  test("429 TooManyRequests with Retry-After, for `count` matching requests", async () => {
    g.failNext({ method: "GET", pathPrefix: "/v1.0/users", status: 429, count: 2, headers: { "Retry-After": "7" } });
    for (let i = 0; i < 2; i++) {
      const r = await api(g, token, "/v1.0/users/delta");
      assert.equal(r.status, 429);
      assert.equal(r.headers.get("retry-after"), "7");
      assert.equal(r.body.error.code, "TooManyRequests");
      assert.equal(r.body.error.message, "Please retry again later.");
      assert.equal(r.body.error.innerError.status, "429");
    }
    assert.equal((await api(g, token, "/v1.0/groups/delta")).status, 200);
    assert.equal((await api(g, token, "/v1.0/users/delta")).status, 200);
  });

  test("503 serviceNotAvailable with a default Retry-After", async () => {
    g.failNext({ pathPrefix: "/v1.0/subscriptions", status: 503 });
    const r = await api(g, token, "/v1.0/subscriptions");
    assert.equal(r.status, 503);
    assert.equal(r.body.error.code, "serviceNotAvailable");
    assert.equal(r.headers.get("retry-after"), "2");
  });

  test("the token endpoint can be throttled too, with the identity platform's body", async () => {
    g.failNext({ pathPrefix: `/${g.tenantId}/oauth2`, status: 429 });
    const r = await postToken(g, secretForm());
    assert.equal(r.status, 429);
    assert.equal(r.body.error, "temporarily_unavailable");
    assert.ok(r.headers.get("retry-after"));
    assert.equal((await postToken(g, secretForm())).status, 200);
  });

  test("an oversized body is refused with 413", async () => {
    const r = await api(g, token, "/v1.0/subscriptions", { method: "POST", body: { pad: "x".repeat(1.5 * 1024 * 1024) } });
    assert.equal(r.status, 413);
    assert.equal(r.body.error.code, "RequestEntityTooLarge");
  });
});
