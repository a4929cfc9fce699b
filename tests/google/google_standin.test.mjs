// The Google stand-in's own contract. Run with: node --test tests/google/

import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { startGoogleStandin } from "./google_standin.mjs";
import { makeServiceAccount, signJwtAssertion } from "./service_account.mjs";

const S = (s) => `https://www.googleapis.com/auth/${s}`;
const ALL_SCOPES = [
  S("admin.directory.user.readonly"),
  S("admin.directory.group.readonly"),
  S("admin.directory.group.member.readonly"),
  S("admin.reports.audit.readonly"),
];
const ADMIN = "admin@example.com";
const JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

// One key pair per file: RSA generation is the slow part.
const sa = makeServiceAccount({});
const otherSa = makeServiceAccount({});

/** A fake clock the stand-in reads (ms). */
function makeClock() {
  const c = { t: Date.now() };
  c.now = () => c.t;
  c.advance = (ms) => { c.t += ms; };
  c.sec = () => Math.floor(c.t / 1000);
  return c;
}

async function start(extra = {}) {
  const clock = makeClock();
  const g = await startGoogleStandin({
    serviceAccounts: [sa],
    admins: [ADMIN],
    customerId: "C01abcde",
    domain: "example.com",
    now: clock.now,
    ...extra,
  });
  return { g, clock };
}

async function postToken(g, form) {
  const res = await fetch(g.tokenUrl, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: await res.json() };
}

async function tokenFor(g, clock, scopes = ALL_SCOPES, extra = {}) {
  const assertion = signJwtAssertion(sa.keyJson, { sub: ADMIN, scope: scopes, iat: clock.sec(), ...extra });
  const r = await postToken(g, { grant_type: JWT_GRANT, assertion });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.access_token;
}

async function api(g, token, path, { method = "GET", body, query } = {}) {
  const url = new URL(g.base + path);
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, String(v));
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

/** A webhook receiver that records what it gets and answers `status` (settable). */
async function startReceiver() {
  const got = [];
  const r = { got, status: 200 };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      got.push({ method: req.method, url: req.url, headers: req.headers, rawHeaders: req.rawHeaders, raw, body: raw ? JSON.parse(raw) : null });
      res.writeHead(r.status);
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  r.url = `http://127.0.0.1:${server.address().port}/hook`;
  r.close = () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); });
  return r;
}

// ---------------------------------------------------------------------------------------

describe("service account key file", () => {
  test("has every field of a Google key file", () => {
    const k = makeServiceAccount({ clientEmail: "sync@proj.iam.gserviceaccount.com", tokenUri: "http://127.0.0.1:1/token" }).keyJson;
    assert.deepEqual(Object.keys(k), [
      "type", "project_id", "private_key_id", "private_key", "client_email", "client_id", "auth_uri",
      "token_uri", "auth_provider_x509_cert_url", "client_x509_cert_url", "universe_domain",
    ]);
    assert.equal(k.type, "service_account");
    assert.match(k.private_key_id, /^[0-9a-f]{40}$/);
    assert.match(k.private_key, /^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    assert.equal(k.client_email, "sync@proj.iam.gserviceaccount.com");
    assert.match(k.client_id, /^\d{21}$/);
    assert.equal(k.token_uri, "http://127.0.0.1:1/token");
    assert.equal(k.universe_domain, "googleapis.com");
    assert.equal(sa.publicKey.asymmetricKeyDetails.modulusLength, 2048);
  });
});

describe("token endpoint (JWT bearer)", () => {
  let g, clock;
  before(async () => ({ g, clock } = await start()));
  after(() => g.close());

  const assertion = (opts = {}) => signJwtAssertion(sa.keyJson, { sub: ADMIN, scope: ALL_SCOPES, iat: clock.sec(), ...opts });
  const grant = (a) => postToken(g, { grant_type: JWT_GRANT, assertion: a });

  test("accepts a good assertion", async () => {
    const r = await grant(assertion());
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body), ["access_token", "expires_in", "token_type"]);
    assert.match(r.body.access_token, /^ya29\./);
    assert.equal(r.body.expires_in, 3599);
    assert.equal(r.body.token_type, "Bearer");
    const t = g.tokens().find((x) => x.token === r.body.access_token);
    assert.deepEqual(t.scopes, ALL_SCOPES);
    assert.equal(t.sub, ADMIN);
  });

  test("accepts iat up to 60 s in the future (clock skew)", async () => {
    assert.equal((await grant(assertion({ iat: clock.sec() + 50 }))).status, 200);
  });

  test("refuses a bad signature", async () => {
    const r = await grant(assertion({ signWith: otherSa.keyJson.private_key }));
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, { error: "invalid_grant", error_description: "Invalid JWT Signature." });
  });

  test("refuses a tampered claim set", async () => {
    const [h, , s] = assertion().split(".");
    const forged = Buffer.from(JSON.stringify({ iss: sa.keyJson.client_email, sub: "someone@example.com", scope: ALL_SCOPES.join(" "), aud: "https://oauth2.googleapis.com/token", iat: clock.sec(), exp: clock.sec() + 3600 })).toString("base64url");
    const r = await grant(`${h}.${forged}.${s}`);
    assert.equal(r.body.error_description, "Invalid JWT Signature.");
  });

  test("refuses alg none", async () => {
    const h = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT", kid: sa.keyJson.private_key_id })).toString("base64url");
    const [, c] = assertion().split(".");
    const r = await grant(`${h}.${c}.`);
    assert.equal(r.status, 400);
    assert.equal(r.body.error, "invalid_grant");
  });

  test("refuses the wrong audience (even the stand-in's own URL)", async () => {
    const r = await grant(assertion({ aud: g.tokenUrl }));
    assert.equal(r.status, 400);
    assert.equal(r.body.error, "invalid_grant");
    assert.match(r.body.error_description, /audience/);
  });

  const TIMEFRAME = "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.";

  test("refuses an expired assertion", async () => {
    const r = await grant(assertion({ iat: clock.sec() - 7200, exp: clock.sec() - 3600 }));
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, { error: "invalid_grant", error_description: TIMEFRAME });
  });

  test("refuses exp more than an hour after iat, and iat in the future", async () => {
    assert.equal((await grant(assertion({ exp: clock.sec() + 3601 }))).body.error_description, TIMEFRAME);
    assert.equal((await grant(assertion({ iat: clock.sec() + 120 }))).body.error_description, TIMEFRAME);
  });

  test("refuses a scope that was not delegated", async () => {
    const r = await grant(assertion({ scope: [S("admin.directory.user.readonly"), S("admin.directory.user")] }));
    assert.equal(r.status, 401);
    assert.equal(r.body.error, "unauthorized_client");
  });

  test("refuses an empty scope", async () => {
    const r = await grant(assertion({ scope: "" }));
    assert.equal(r.status, 400);
    assert.equal(r.body.error, "invalid_scope");
  });

  test("refuses a sub without delegation, and a missing sub", async () => {
    let r = await grant(assertion({ sub: "bob@example.com" }));
    assert.equal(r.status, 401);
    assert.equal(r.body.error, "unauthorized_client");
    r = await grant(signJwtAssertion(sa.keyJson, { scope: ALL_SCOPES, iat: clock.sec() }));
    assert.equal(r.body.error, "unauthorized_client");
  });

  test("refuses an unknown kid", async () => {
    const r = await grant(assertion({ header: { alg: "RS256", typ: "JWT", kid: "0".repeat(40) } }));
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, { error: "invalid_grant", error_description: "Invalid JWT Signature." });
  });

  test("finds the key by iss when there is no kid", async () => {
    assert.equal((await grant(assertion({ header: { alg: "RS256", typ: "JWT" } }))).status, 200);
  });

  test("refuses an unknown service account", async () => {
    const r = await grant(signJwtAssertion(otherSa.keyJson, { sub: ADMIN, scope: ALL_SCOPES, iat: clock.sec() }));
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, { error: "invalid_grant", error_description: "Invalid grant: account not found" });
  });

  test("a service account registered after start works", async () => {
    const late = makeServiceAccount({ tokenUri: g.tokenUrl });
    g.registerServiceAccount(late);
    const r = await grant(signJwtAssertion(late.keyJson, { sub: ADMIN, scope: ALL_SCOPES, iat: clock.sec() }));
    assert.equal(r.status, 200);
  });

  test("refuses malformed requests", async () => {
    let r = await postToken(g, { grant_type: "client_credentials", assertion: assertion() });
    assert.equal(r.body.error, "unsupported_grant_type");
    r = await postToken(g, { grant_type: JWT_GRANT });
    assert.equal(r.body.error, "invalid_request");
    r = await postToken(g, { grant_type: JWT_GRANT, assertion: "not-a-jwt" });
    assert.equal(r.body.error, "invalid_request");
    const res = await fetch(g.tokenUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ grant_type: JWT_GRANT, assertion: assertion() }) });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error, "invalid_request");
  });

  test("token endpoint down answers 503", async () => {
    g.setTokenEndpointDown(true);
    const r = await grant(assertion());
    assert.equal(r.status, 503);
    assert.deepEqual(r.body, { error: "backend_error" });
    g.setTokenEndpointDown(false);
    assert.equal((await grant(assertion())).status, 200);
  });
});

describe("API authentication", () => {
  let g, clock;
  before(async () => ({ g, clock } = await start({ tokenLifetimeSeconds: 600 })));
  after(() => g.close());

  test("missing Authorization: 401 Login Required", async () => {
    const r = await api(g, null, "/admin/directory/v1/users", { query: { customer: "my_customer" } });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 401);
    assert.equal(r.body.error.status, "UNAUTHENTICATED");
    assert.equal(r.body.error.errors[0].reason, "required");
  });

  test("unknown token: 401 Invalid Credentials", async () => {
    const r = await api(g, "ya29.nope", "/admin/directory/v1/users", { query: { customer: "my_customer" } });
    assert.equal(r.status, 401);
    assert.match(r.body.error.message, /^Request had invalid authentication credentials\./);
    assert.deepEqual(r.body.error.errors, [{ message: "Invalid Credentials", domain: "global", reason: "authError", location: "Authorization", locationType: "header" }]);
    assert.equal(r.body.error.status, "UNAUTHENTICATED");
  });

  test("expired token: 401", async () => {
    const t = await tokenFor(g, clock);
    assert.equal((await api(g, t, "/admin/directory/v1/users", { query: { customer: "my_customer" } })).status, 200);
    clock.advance(601_000);
    const r = await api(g, t, "/admin/directory/v1/users", { query: { customer: "my_customer" } });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.errors[0].reason, "authError");
  });

  test("revokeTokens(): next call is 401", async () => {
    const t = await tokenFor(g, clock);
    g.revokeTokens();
    assert.equal((await api(g, t, "/admin/directory/v1/groups", { query: { customer: "my_customer" } })).status, 401);
  });

  test("missing scope: 403 insufficientPermissions", async () => {
    const t = await tokenFor(g, clock, [S("admin.reports.audit.readonly")]);
    const r = await api(g, t, "/admin/directory/v1/users", { query: { customer: "my_customer" } });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.status, "PERMISSION_DENIED");
    assert.equal(r.body.error.errors[0].reason, "insufficientPermissions");
  });

  test("requests() records requests without the Authorization value", async () => {
    const t = await tokenFor(g, clock);
    await api(g, t, "/admin/directory/v1/groups", { query: { customer: "my_customer" } });
    const last = g.requests().at(-1);
    assert.equal(last.method, "GET");
    assert.equal(last.path, "/admin/directory/v1/groups");
    assert.deepEqual(last.query, { customer: "my_customer" });
    assert.equal(last.headers.authorization, "[redacted]");
    assert.ok(!JSON.stringify(g.requests()).includes(t));
    assert.equal(last.status, 200);
  });
});

describe("Directory users and groups", () => {
  let g, clock, token;
  before(async () => {
    ({ g, clock } = await start());
    token = await tokenFor(g, clock);
  });
  after(() => g.close());

  test("users.get by id or email (case-insensitive), with the documented fields", async () => {
    const u = g.addUser({ primaryEmail: "Alice@example.com", givenName: "Alice", familyName: "Liddell", orgUnitPath: "/Eng" });
    assert.match(u.id, /^\d{21}$/);
    const byId = await api(g, token, `/admin/directory/v1/users/${u.id}`);
    const byEmail = await api(g, token, `/admin/directory/v1/users/${encodeURIComponent("ALICE@EXAMPLE.COM")}`);
    assert.equal(byId.status, 200);
    assert.deepEqual(byId.body, byEmail.body);
    const r = byId.body;
    assert.equal(r.kind, "admin#directory#user");
    assert.equal(r.primaryEmail, "Alice@example.com");
    assert.deepEqual(r.name, { givenName: "Alice", familyName: "Liddell", fullName: "Alice Liddell" });
    assert.deepEqual(r.emails, [{ address: "Alice@example.com", primary: true }]);
    for (const f of ["isAdmin", "isDelegatedAdmin", "suspended", "archived", "agreedToTerms", "changePasswordAtNextLogin", "ipWhitelisted", "includeInGlobalAddressList", "isMailboxSetup"]) {
      assert.equal(typeof r[f], "boolean", f);
    }
    assert.equal(r.orgUnitPath, "/Eng");
    assert.equal(r.customerId, "C01abcde");
    assert.match(r.etag, /^".+"$/);
    assert.ok(!("suspensionReason" in r));
    assert.equal(byId.headers.get("content-type"), "application/json; charset=UTF-8");
  });

  test("nested groups: members.list shows a member group as GROUP, includeDerivedMembership and hasMember reach through it", async () => {
    const staff = g.createGroup({ email: "staff@example.com" });
    const eng = g.createGroup({ email: "eng@example.com" });
    const direct = g.addUser({ primaryEmail: "direct@example.com", givenName: "D", familyName: "D" });
    const nested = g.addUser({ primaryEmail: "nested@example.com", givenName: "N", familyName: "N" });
    const outside = g.addUser({ primaryEmail: "outside@example.com", givenName: "O", familyName: "O" });
    g.addMember("staff@example.com", direct.primaryEmail);
    g.addMember("eng@example.com", nested.primaryEmail);
    g.addGroupMember("staff@example.com", "eng@example.com");
    const plain = await api(g, token, `/admin/directory/v1/groups/${staff.id}/members`);
    assert.deepEqual(plain.body.members.map((m) => [m.email, m.type]), [["direct@example.com", "USER"], ["eng@example.com", "GROUP"]]);
    const derived = await api(g, token, `/admin/directory/v1/groups/${staff.id}/members`, { query: { includeDerivedMembership: true } });
    assert.deepEqual(derived.body.members.map((m) => m.email).sort(), ["direct@example.com", "eng@example.com", "nested@example.com"]);
    const has = async (user) => (await api(g, token, `/admin/directory/v1/groups/staff@example.com/hasMember/${encodeURIComponent(user)}`));
    assert.deepEqual((await has(nested.id)).body, { isMember: true });
    assert.deepEqual((await has("direct@example.com")).body, { isMember: true });
    assert.deepEqual((await has(outside.primaryEmail)).body, { isMember: false });
    assert.equal((await has("nobody@example.com")).status, 404);
    assert.equal((await api(g, token, `/admin/directory/v1/groups/nope@example.com/hasMember/${direct.id}`)).status, 404);
    g.removeGroupMember("staff@example.com", "eng@example.com");
    assert.deepEqual((await has(nested.id)).body, { isMember: false });
    assert.equal(eng.email, "eng@example.com");
  });

  test("unknown user: 404 Resource Not Found: userKey", async () => {
    const r = await api(g, token, "/admin/directory/v1/users/nobody@example.com");
    assert.equal(r.status, 404);
    assert.equal(r.body.error.message, "Resource Not Found: userKey");
    assert.equal(r.body.error.errors[0].reason, "notFound");
  });

  test("a deleted user 404s and is not listed; undelete brings it back", async () => {
    const u = g.addUser({ primaryEmail: "del@example.com", givenName: "D", familyName: "E" });
    g.deleteUser("del@example.com");
    assert.equal((await api(g, token, `/admin/directory/v1/users/${u.id}`)).status, 404);
    const list = await api(g, token, "/admin/directory/v1/users", { query: { customer: "my_customer", query: "email:del*" } });
    assert.equal(list.status, 200);
    assert.ok(!("users" in list.body), "an empty page has no users field");
    assert.ok(!("nextPageToken" in list.body));
    g.undeleteUser(u.id);
    assert.equal((await api(g, token, `/admin/directory/v1/users/${u.id}`)).status, 200);
  });

  test("suspended users carry suspensionReason; etag changes on update", async () => {
    const u = g.addUser({ primaryEmail: "sus@example.com", givenName: "S", familyName: "U" });
    const after = g.suspendUser(u.id);
    assert.equal(after.suspended, true);
    assert.equal(after.suspensionReason, "ADMIN");
    assert.notEqual(after.etag, u.etag);
  });

  test("renaming keeps the old address as an alias", async () => {
    const u = g.addUser({ primaryEmail: "old.name@example.com", givenName: "O", familyName: "N" });
    g.updateUser(u.id, { primaryEmail: "new.name@example.com" });
    const r = await api(g, token, "/admin/directory/v1/users/old.name@example.com");
    assert.equal(r.body.id, u.id);
    assert.equal(r.body.primaryEmail, "new.name@example.com");
  });

  test("users.list needs customer or domain; other customers are refused", async () => {
    assert.equal((await api(g, token, "/admin/directory/v1/users")).status, 400);
    assert.equal((await api(g, token, "/admin/directory/v1/users", { query: { customer: "C99999" } })).status, 400);
    assert.equal((await api(g, token, "/admin/directory/v1/users", { query: { customer: "C01abcde" } })).status, 200);
    assert.equal((await api(g, token, "/admin/directory/v1/users", { query: { domain: "example.com" } })).status, 200);
  });
});

describe("paging", () => {
  let g, clock, token;
  before(async () => {
    ({ g, clock } = await start());
    g.seed({ users: 250, groups: 3, membersPerGroup: 5 });
    token = await tokenFor(g, clock);
  });
  after(() => g.close());

  async function all(path, query, field) {
    const items = [];
    const pages = [];
    let pageToken;
    do {
      const r = await api(g, token, path, { query: { ...query, ...(pageToken ? { pageToken } : {}) } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      pages.push(r.body);
      items.push(...(r.body[field] ?? []));
      pageToken = r.body.nextPageToken;
    } while (pageToken);
    return { items, pages };
  }

  test("users: maxResults pages, no nextPageToken on the last page", async () => {
    const { items, pages } = await all("/admin/directory/v1/users", { customer: "my_customer", maxResults: 100 }, "users");
    assert.equal(pages.length, 3);
    assert.deepEqual(pages.map((p) => p.users.length), [100, 100, 50]);
    assert.equal(pages[0].kind, "admin#directory#users");
    assert.ok(pages[0].etag);
    assert.ok(!("nextPageToken" in pages[2]));
    assert.equal(new Set(items.map((u) => u.id)).size, 250);
  });

  test("users: default page size is 100 and the maximum is 500", async () => {
    const r = await api(g, token, "/admin/directory/v1/users", { query: { customer: "my_customer" } });
    assert.equal(r.body.users.length, 100);
    for (const bad of [501, 0, "x"]) {
      const e = await api(g, token, "/admin/directory/v1/users", { query: { customer: "my_customer", maxResults: bad } });
      assert.equal(e.status, 400);
      assert.equal(e.body.error.errors[0].reason, "invalid");
    }
  });

  test("users: orderBy email descending", async () => {
    const { items } = await all("/admin/directory/v1/users", { customer: "my_customer", orderBy: "email", sortOrder: "DESCENDING", maxResults: 500 }, "users");
    const emails = items.map((u) => u.primaryEmail);
    assert.deepEqual(emails, [...emails].sort().reverse());
  });

  test("a page token is opaque and tied to its listing", async () => {
    const r = await api(g, token, "/admin/directory/v1/users", { query: { customer: "my_customer", maxResults: 10 } });
    const bad = await api(g, token, "/admin/directory/v1/users", { query: { customer: "my_customer", orderBy: "email", pageToken: r.body.nextPageToken } });
    assert.equal(bad.status, 400);
    const garbage = await api(g, token, "/admin/directory/v1/users", { query: { customer: "my_customer", pageToken: "garbage" } });
    assert.equal(garbage.status, 400);
  });

  test("a user added or deleted between pages neither repeats nor skips others", async () => {
    const p1 = await api(g, token, "/admin/directory/v1/users", { query: { customer: "my_customer", maxResults: 100 } });
    g.deleteUser(p1.body.users[99].id, { silent: true });
    g.deleteUser(p1.body.users[0].id, { silent: true });
    const rest = await all("/admin/directory/v1/users", { customer: "my_customer", maxResults: 100, pageToken: p1.body.nextPageToken }, "users");
    assert.equal(rest.items.length, 150);
    assert.ok(!rest.items.some((u) => p1.body.users.find((x) => x.id === u.id)));
  });

  test("groups and members page up to 200", async () => {
    const groups = await all("/admin/directory/v1/groups", { customer: "my_customer", maxResults: 2 }, "groups");
    assert.equal(groups.items.length, 3);
    const gr = groups.items[2]; // members: seeded users 10..14, none deleted by the test above
    assert.equal(gr.kind, "admin#directory#group");
    assert.equal(gr.directMembersCount, "5");
    assert.equal(gr.adminCreated, true);
    const members = await all(`/admin/directory/v1/groups/${gr.id}/members`, { maxResults: 2 }, "members");
    assert.equal(members.pages.length, 3);
    assert.equal(members.items.length, 5);
    assert.deepEqual(Object.keys(members.items[0]), ["kind", "etag", "id", "email", "role", "type", "status"]);
    assert.equal(members.items[0].kind, "admin#directory#member");
    assert.equal(members.pages[0].kind, "admin#directory#members");
    const byEmail = await api(g, token, `/admin/directory/v1/groups/${encodeURIComponent(gr.email.toUpperCase())}`);
    assert.equal(byEmail.body.id, gr.id);
    assert.equal((await api(g, token, "/admin/directory/v1/groups", { query: { customer: "my_customer", maxResults: 201 } })).status, 400);
    assert.equal((await api(g, token, `/admin/directory/v1/groups/${gr.id}/members`, { query: { maxResults: 201 } })).status, 400);
    const missing = await api(g, token, "/admin/directory/v1/groups/nope@example.com/members");
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.message, "Resource Not Found: groupKey");
  });

  test("seeding 100,000 users is fast and so are their pages", async () => {
    const big = await startGoogleStandin({ serviceAccounts: [sa], admins: [ADMIN] });
    try {
      const t0 = performance.now();
      big.seed({ users: 100_000, groups: 20, membersPerGroup: 500 });
      const seedMs = performance.now() - t0;
      assert.ok(seedMs < 3000, `seed took ${seedMs} ms`);
      assert.equal(big.userCount(), 100_000);
      const clock2 = { sec: () => Math.floor(Date.now() / 1000) };
      const t = await tokenFor(big, clock2);
      const t1 = performance.now();
      let r = await api(big, t, "/admin/directory/v1/users", { query: { customer: "my_customer", maxResults: 500 } });
      for (let i = 0; i < 4; i++) {
        r = await api(big, t, "/admin/directory/v1/users", { query: { customer: "my_customer", maxResults: 500, pageToken: r.body.nextPageToken } });
      }
      const pageMs = (performance.now() - t1) / 5;
      assert.equal(r.body.users.length, 500);
      assert.ok(pageMs < 200, `a page took ${pageMs} ms`);
    } finally {
      await big.close();
    }
  });
});

describe("users.watch and push notifications", () => {
  let g, clock, token, rx;
  before(async () => {
    ({ g, clock } = await start({ maxChannelTtlSeconds: 3600 }));
    token = await tokenFor(g, clock);
    rx = await startReceiver();
  });
  after(async () => { await g.close(); await rx.close(); });

  const watch = (id, { event, ...body } = {}) => api(g, token, "/admin/directory/v1/users/watch", {
    method: "POST",
    query: { customer: "my_customer", ...(event ? { event } : {}) },
    body: { id, type: "web_hook", address: rx.url, ...body },
  });

  test("watch answers the channel and sends the sync message", async () => {
    const r = await watch("chan-1", { event: "add", token: "tok-1", params: { ttl: "600" } });
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body), ["kind", "id", "resourceId", "resourceUri", "token", "expiration"]);
    assert.equal(r.body.kind, "api#channel");
    assert.equal(r.body.id, "chan-1");
    assert.equal(r.body.token, "tok-1");
    assert.equal(r.body.expiration, String(clock.t + 600_000));
    assert.match(r.body.resourceUri, /^https:\/\/admin\.googleapis\.com\/admin\/directory\/v1\/users\?/);
    await g.flush();
    const sync = rx.got.find((n) => n.headers["x-goog-channel-id"] === "chan-1");
    assert.equal(sync.method, "POST");
    assert.equal(sync.url, "/hook");
    assert.equal(sync.headers["x-goog-resource-state"], "sync");
    assert.equal(sync.headers["x-goog-message-number"], "1");
    assert.equal(sync.headers["x-goog-channel-token"], "tok-1");
    assert.equal(sync.headers["x-goog-resource-id"], r.body.resourceId);
    assert.equal(sync.headers["x-goog-resource-uri"], r.body.resourceUri);
    assert.equal(sync.headers["x-goog-channel-expiration"], new Date(clock.t + 600_000).toUTCString());
    assert.equal(sync.headers["content-type"], "application/json; charset=UTF-8");
    assert.equal(sync.raw, "");
    // header names are sent with Google's capitalisation
    assert.ok(sync.rawHeaders.includes("X-Goog-Resource-State"));
  });

  test("changes notify matching channels with the thin user body", async () => {
    await watch("chan-upd", { event: "update" });
    await g.flush();
    rx.got.length = 0;
    const u = g.addUser({ primaryEmail: "bob@example.com", givenName: "Bob", familyName: "B" });
    g.addUser({ primaryEmail: "carol@example.com", givenName: "Carol", familyName: "C" });
    g.updateUser("bob@example.com", { familyName: "Builder" });
    await g.flush();
    const add = rx.got.filter((n) => n.headers["x-goog-channel-id"] === "chan-1");
    assert.equal(add.length, 2);
    assert.equal(add[0].headers["x-goog-resource-state"], "add");
    assert.deepEqual(add[0].body, { kind: "admin#directory#user", id: u.id, etag: u.etag, primaryEmail: "bob@example.com" });
    const nums = add.map((n) => Number(n.headers["x-goog-message-number"]));
    assert.ok(nums[0] > 1 && nums[1] > nums[0] && nums[1] - nums[0] <= 3, `message numbers ${nums}`);
    const upd = rx.got.filter((n) => n.headers["x-goog-channel-id"] === "chan-upd");
    assert.equal(upd.length, 1);
    assert.equal(upd[0].headers["x-goog-resource-state"], "update");
    assert.ok(!("x-goog-channel-token" in upd[0].headers), "no token header without a channel token");
    const log = g.notifications().filter((n) => n.channelId === "chan-1" && n.state === "add");
    assert.equal(log.length, 2);
    assert.equal(log[0].status, 200);
    assert.equal(log[0].delivered, true);
  });

  test("TTL is capped by maxChannelTtlSeconds; no notification after expiry", async () => {
    const r = await watch("chan-short", { params: { ttl: "999999" } });
    assert.equal(r.body.expiration, String(clock.t + 3600_000));
    const e = await watch("chan-exp", { params: { ttl: "60" } });
    assert.equal(e.body.expiration, String(clock.t + 60_000));
    await g.flush();
    clock.advance(61_000);
    g.addUser({ primaryEmail: "late@example.com", givenName: "L", familyName: "T" });
    await g.flush();
    assert.equal(g.notifications().filter((n) => n.channelId === "chan-exp" && n.state !== "sync").length, 0);
    assert.equal(g.notifications().filter((n) => n.channelId === "chan-short" && n.state === "add").length, 1);
    assert.equal(g.channels().find((c) => c.id === "chan-exp").live, false);
  });

  test("channels.stop: 204, then silence; unknown channel 404", async () => {
    const r = await watch("chan-stop");
    const stop = await api(g, token, "/admin/directory_v1/channels/stop", { method: "POST", body: { id: "chan-stop", resourceId: r.body.resourceId } });
    assert.equal(stop.status, 204);
    assert.equal(stop.body, null);
    await g.flush();
    g.addUser({ primaryEmail: "after.stop@example.com", givenName: "A", familyName: "S" });
    await g.flush();
    assert.equal(g.notifications().filter((n) => n.channelId === "chan-stop" && n.state !== "sync").length, 0);
    const again = await api(g, token, "/admin/directory_v1/channels/stop", { method: "POST", body: { id: "chan-stop", resourceId: r.body.resourceId } });
    assert.equal(again.status, 404);
    const wrong = await api(g, token, "/admin/directory_v1/channels/stop", { method: "POST", body: { id: "chan-1", resourceId: "nope" } });
    assert.equal(wrong.status, 404);
    const ch = g.channels().find((c) => c.id === "chan-stop");
    assert.equal(ch.live, false);
    assert.ok(ch.stoppedAt !== null);
  });

  test("watch refuses a bad address, a bad event and a duplicate id", async () => {
    assert.equal((await watch("x1", { address: "ftp://example.com/x" })).status, 400);
    assert.equal((await watch("x2", { event: "explode" })).status, 400);
    assert.equal((await watch("chan-1")).status, 400);
  });

  test("every user event maps to its X-Goog-Resource-State", async () => {
    await watch("chan-all");
    await g.flush();
    const u = g.addUser({ primaryEmail: "ev@example.com", givenName: "E", familyName: "V" });
    g.makeAdmin(u.id);
    g.suspendUser(u.id);
    g.unsuspendUser(u.id);
    g.deleteUser(u.id);
    g.undeleteUser(u.id);
    await g.flush();
    const states = g.notifications().filter((n) => n.channelId === "chan-all").map((n) => n.state);
    assert.deepEqual(states, ["sync", "add", "makeAdmin", "update", "update", "delete", "undelete"]);
  });

  test("dropNext and silent mutations: nothing reaches the receiver", async () => {
    await watch("chan-drop", { event: "add" });
    await g.flush();
    rx.got.length = 0;
    g.dropNext(1, { channelId: "chan-drop" });
    g.addUser({ primaryEmail: "dropped@example.com", givenName: "D", familyName: "R" });
    g.addUser({ primaryEmail: "quiet@example.com", givenName: "Q", familyName: "U" }, { silent: true });
    g.addUser({ primaryEmail: "kept@example.com", givenName: "K", familyName: "E" });
    await g.flush();
    const mine = g.notifications().filter((n) => n.channelId === "chan-drop" && n.state === "add");
    assert.equal(mine.length, 2);
    assert.equal(mine[0].dropped, true);
    assert.equal(mine[0].body.primaryEmail, "dropped@example.com");
    assert.equal(mine[1].dropped, false);
    const got = rx.got.filter((n) => n.headers["x-goog-channel-id"] === "chan-drop").map((n) => n.body.primaryEmail);
    assert.deepEqual(got, ["kept@example.com"]);
    assert.ok(g.user("quiet@example.com"));
  });

  test("a receiver answering 503 is retried", async () => {
    await watch("chan-retry", { event: "add" });
    await g.flush();
    rx.status = 503;
    g.addUser({ primaryEmail: "retry@example.com", givenName: "R", familyName: "T" });
    await g.flush();
    rx.status = 200;
    const n = g.notifications().find((x) => x.channelId === "chan-retry" && x.state === "add");
    assert.deepEqual(n.statuses, [503, 503, 503]);
    assert.equal(n.delivered, false);
  });

  test("waitFor resolves once the predicate holds", async () => {
    g.addUser({ primaryEmail: "wait@example.com", givenName: "W", familyName: "F" });
    const hit = await g.waitFor(() => rx.got.find((n) => n.body?.primaryEmail === "wait@example.com"), 2000);
    assert.equal(hit.headers["x-goog-resource-state"], "add");
    await assert.rejects(g.waitFor(() => false, 50), /waitFor/);
  });
});

describe("Reports activities.watch", () => {
  let g, clock, token, rx, channel;
  before(async () => {
    ({ g, clock } = await start());
    token = await tokenFor(g, clock);
    rx = await startReceiver();
  });
  after(async () => { await g.close(); await rx.close(); });

  test("watch answers the channel and sends sync", async () => {
    const r = await api(g, token, "/admin/reports/v1/activity/users/all/applications/admin/watch", {
      method: "POST",
      body: { id: "rep-1", type: "web_hook", address: rx.url, token: "rt" },
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.kind, "api#channel");
    assert.match(r.body.resourceUri, /^https:\/\/admin\.googleapis\.com\/admin\/reports\/v1\/activity\/users\/all\/applications\/admin\?/);
    channel = r.body;
    await g.flush();
    assert.equal(rx.got[0].headers["x-goog-resource-state"], "sync");
  });

  test("group and membership changes arrive as admin activities", async () => {
    rx.got.length = 0;
    const u = g.addUser({ primaryEmail: "m@example.com", givenName: "M", familyName: "E" }, { silent: true });
    g.createGroup({ email: "eng@example.com", name: "Engineering" });
    g.addMember("eng@example.com", u.primaryEmail);
    g.renameGroup("eng@example.com", "Engineers");
    g.removeMember("eng@example.com", "m@example.com");
    g.deleteGroup("eng@example.com");
    await g.flush();
    const names = rx.got.map((n) => n.headers["x-goog-resource-state"]);
    assert.deepEqual(names, ["CREATE_GROUP", "ADD_GROUP_MEMBER", "CHANGE_GROUP_NAME", "REMOVE_GROUP_MEMBER", "DELETE_GROUP"]);
    const add = rx.got[1].body;
    assert.equal(add.kind, "admin#reports#activity");
    assert.deepEqual(Object.keys(add.id), ["time", "uniqueQualifier", "applicationName", "customerId"]);
    assert.equal(add.id.applicationName, "admin");
    assert.equal(add.id.customerId, "C01abcde");
    assert.match(add.id.uniqueQualifier, /^-?\d+$/);
    assert.equal(add.actor.email, ADMIN);
    assert.equal(add.actor.callerType, "USER");
    assert.deepEqual(add.events, [{ type: "GROUP_SETTINGS", name: "ADD_GROUP_MEMBER", parameters: [{ name: "USER_EMAIL", value: "m@example.com" }, { name: "GROUP_EMAIL", value: "eng@example.com" }] }]);
    assert.deepEqual(rx.got[2].body.events[0].parameters, [{ name: "GROUP_EMAIL", value: "eng@example.com" }, { name: "NEW_VALUE", value: "Engineers" }]);
    assert.equal(rx.got[0].headers["x-goog-channel-token"], "rt");
  });

  test("suspend/unsuspend notify users channels (update) and reports (SUSPEND_USER/UNSUSPEND_USER)", async () => {
    const w = await api(g, token, "/admin/directory/v1/users/watch", { method: "POST", query: { customer: "my_customer", event: "update" }, body: { id: "dir-upd", type: "web_hook", address: rx.url } });
    assert.equal(w.status, 200);
    await g.flush();
    rx.got.length = 0;
    g.suspendUser("m@example.com");
    g.unsuspendUser("m@example.com");
    await g.flush();
    const rep = rx.got.filter((n) => n.headers["x-goog-channel-id"] === "rep-1");
    assert.deepEqual(rep.map((n) => n.body.events[0]), [
      { type: "USER_SETTINGS", name: "SUSPEND_USER", parameters: [{ name: "USER_EMAIL", value: "m@example.com" }] },
      { type: "USER_SETTINGS", name: "UNSUSPEND_USER", parameters: [{ name: "USER_EMAIL", value: "m@example.com" }] },
    ]);
    const dir = rx.got.filter((n) => n.headers["x-goog-channel-id"] === "dir-upd");
    assert.deepEqual(dir.map((n) => n.headers["x-goog-resource-state"]), ["update", "update"]);
  });

  test("eventName filters a reports channel", async () => {
    const r = await api(g, token, "/admin/reports/v1/activity/users/all/applications/admin/watch", {
      method: "POST", query: { eventName: "DELETE_GROUP" }, body: { id: "rep-del", type: "web_hook", address: rx.url },
    });
    assert.equal(r.status, 200);
    g.createGroup({ email: "tmp@example.com", name: "Tmp" });
    g.deleteGroup("tmp@example.com");
    await g.flush();
    const mine = g.notifications().filter((n) => n.channelId === "rep-del").map((n) => n.state);
    assert.deepEqual(mine, ["sync", "DELETE_GROUP"]);
  });

  test("reports channels stop at /admin/reports_v1/channels/stop", async () => {
    const wrongApi = await api(g, token, "/admin/directory_v1/channels/stop", { method: "POST", body: { id: "rep-1", resourceId: channel.resourceId } });
    assert.equal(wrongApi.status, 404);
    const r = await api(g, token, "/admin/reports_v1/channels/stop", { method: "POST", body: { id: "rep-1", resourceId: channel.resourceId } });
    assert.equal(r.status, 204);
  });

  test("the reports scope is required", async () => {
    const t = await tokenFor(g, clock, [S("admin.directory.user.readonly")]);
    const r = await api(g, t, "/admin/reports/v1/activity/users/all/applications/admin/watch", { method: "POST", body: { id: "rep-x", type: "web_hook", address: rx.url } });
    assert.equal(r.status, 403);
  });
});

describe("fault injection", () => {
  let g, clock, token;
  before(async () => {
    ({ g, clock } = await start());
    token = await tokenFor(g, clock);
  });
  after(() => g.close());

  test("429 rateLimitExceeded with Retry-After, for `count` matching requests", async () => {
    g.failNext({ method: "GET", pathPrefix: "/admin/directory/v1/users", status: 429, count: 2, headers: { "Retry-After": "3" } });
    const groups = await api(g, token, "/admin/directory/v1/groups", { query: { customer: "my_customer" } });
    assert.equal(groups.status, 200, "other paths are not affected");
    for (let i = 0; i < 2; i++) {
      const r = await api(g, token, "/admin/directory/v1/users", { query: { customer: "my_customer" } });
      assert.equal(r.status, 429);
      assert.equal(r.headers.get("retry-after"), "3");
      assert.equal(r.body.error.code, 429);
      assert.equal(r.body.error.errors[0].reason, "rateLimitExceeded");
      assert.equal(r.body.error.status, "RESOURCE_EXHAUSTED");
    }
    assert.equal((await api(g, token, "/admin/directory/v1/users", { query: { customer: "my_customer" } })).status, 200);
  });

  test("503 backendError", async () => {
    g.failNext({ pathPrefix: "/admin/directory/v1/groups", status: 503, count: 1 });
    const r = await api(g, token, "/admin/directory/v1/groups", { query: { customer: "my_customer" } });
    assert.equal(r.status, 503);
    assert.equal(r.body.error.errors[0].reason, "backendError");
    assert.equal(r.body.error.status, "UNAVAILABLE");
  });

  test("the token endpoint can fail too", async () => {
    g.failNext({ pathPrefix: "/token", status: 500, count: 1 });
    const a = signJwtAssertion(sa.keyJson, { sub: ADMIN, scope: ALL_SCOPES, iat: clock.sec() });
    const r = await postToken(g, { grant_type: JWT_GRANT, assertion: a });
    assert.equal(r.status, 500);
    assert.equal(r.body.error, "backend_error");
  });
});
