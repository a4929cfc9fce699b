// The foundation, end to end, on each real host (workerd through Miniflare, and
// node:wasi): tenants and connections through the admin API, the SCIM basics a
// provisioning client relies on first, tenant isolation, errors per RFC 7644 §3.12,
// and durability across a server restart. Run: node --test tests/e2e/
//
// URLs the module decides (the SCIM base URL) are read from its answers, never built
// here, so these tests pin behaviour rather than layout.

import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";
import { startServer } from "./server_harness.mjs";

const SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const SCIM_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const SCIM_LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

async function call(method, url, { token, json, raw, headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  if (token) init.headers.authorization = `Bearer ${token}`;
  if (json !== undefined) init.body = JSON.stringify(json);
  if (raw !== undefined) init.body = raw;
  if (init.body !== undefined) init.headers["content-type"] ??= "application/scim+json";
  const res = await fetch(url, init);
  const text = await res.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body, text };
}

function assertScimError(res, status, scimType) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(res.headers.get("content-type") || "", /json/);
  assert.deepEqual(res.body.schemas, [SCIM_ERROR], `not a SCIM error body: ${res.text}`);
  assert.equal(res.body.status, String(status), "SCIM error status must be the HTTP status as a string");
  if (scimType) assert.equal(res.body.scimType, scimType, `scimType in ${res.text}`);
}

function filterUrl(base, userName) {
  return `${base}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;
}

for (const host of ["workers", "wasi"]) {
  describe(`foundation on ${host}`, () => {
    let server;
    let dataDir;
    const a = {};
    const b = {};
    const userName = `alice.${host}@example.com`;
    let userId;

    before(async () => {
      server = await startServer({ host });
      dataDir = server.dataDir;
    });

    after(async () => {
      if (server) await server.stop();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    });

    test("the admin API refuses requests without the admin token", async () => {
      const none = await call("POST", `${server.baseUrl}/admin/v1/tenants`, { json: { name: "Nope" } });
      assert.equal(none.status, 401, none.text);
      const wrong = await call("POST", `${server.baseUrl}/admin/v1/tenants`, {
        token: "not-the-admin-token",
        json: { name: "Nope" },
      });
      assert.equal(wrong.status, 401, wrong.text);
    });

    test("the admin creates two tenants, each with an Entra connection", async () => {
      for (const [t, name] of [
        [a, "Tenant A"],
        [b, "Tenant B"],
      ]) {
        const created = await call("POST", `${server.baseUrl}/admin/v1/tenants`, {
          token: server.adminToken,
          json: { name },
        });
        assert.equal(created.status, 201, created.text);
        assert.ok(created.body.id, "tenant id");
        t.id = created.body.id;

        const conn = await call("POST", `${server.baseUrl}/admin/v1/tenants/${encodeURIComponent(t.id)}/connections`, {
          token: server.adminToken,
          json: { kind: "entra" },
        });
        assert.equal(conn.status, 201, conn.text);
        assert.equal(conn.body.kind, "entra");
        assert.ok(conn.body.id, "connection id");
        assert.ok(conn.body.token && conn.body.token.length >= 20, "a bearer token of some length");
        assert.match(conn.body.scimBaseUrl, /^http:\/\/127\.0\.0\.1:\d+\//);
        t.token = conn.body.token;
        t.scim = conn.body.scimBaseUrl.replace(/\/$/, "");
      }
      assert.notEqual(a.id, b.id);
      assert.notEqual(a.scim, b.scim);

      // The token is shown once: reading the tenant back never reveals it.
      const read = await call("GET", `${server.baseUrl}/admin/v1/tenants/${encodeURIComponent(a.id)}`, {
        token: server.adminToken,
      });
      assert.ok(!read.text.includes(a.token), "the connection token must not be readable later");
    });

    test("ServiceProviderConfig answers with application/scim+json", async () => {
      const res = await call("GET", `${a.scim}/ServiceProviderConfig`, { token: a.token });
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get("content-type"), /^application\/scim\+json/);
      assert.ok(Array.isArray(res.body.schemas), "schemas");
    });

    test("a user is created, read back by id and found by a userName filter", async () => {
      const created = await call("POST", `${a.scim}/Users`, {
        token: a.token,
        json: {
          schemas: [SCIM_USER],
          userName,
          externalId: `ext-${host}-1`,
          name: { givenName: "Alice", familyName: "Liddell" },
          emails: [{ value: userName, type: "work", primary: true }],
          active: true,
        },
      });
      assert.equal(created.status, 201, created.text);
      assert.match(created.headers.get("content-type"), /^application\/scim\+json/);
      assert.ok(created.body.id, "id");
      userId = created.body.id;
      assert.equal(created.body.userName, userName);
      assert.ok(created.body.meta, "meta");
      assert.equal(created.body.meta.location, `${a.scim}/Users/${userId}`);
      assert.ok(created.body.meta.version, "meta.version");

      const got = await call("GET", `${a.scim}/Users/${encodeURIComponent(userId)}`, { token: a.token });
      assert.equal(got.status, 200, got.text);
      assert.equal(got.body.id, userId);
      assert.equal(got.body.userName, userName);

      const found = await call("GET", filterUrl(a.scim, userName), { token: a.token });
      assert.equal(found.status, 200, found.text);
      assert.deepEqual(found.body.schemas, [SCIM_LIST]);
      assert.equal(found.body.totalResults, 1, found.text);
      assert.equal(found.body.Resources[0].id, userId);
    });

    test("a second user with the same userName is refused with 409 uniqueness", async () => {
      const dup = await call("POST", `${a.scim}/Users`, {
        token: a.token,
        json: { schemas: [SCIM_USER], userName },
      });
      assertScimError(dup, 409, "uniqueness");
    });

    test("a malformed JSON body gets a 400 SCIM error and creates nothing", async () => {
      const bobName = `bob.${host}@example.com`;
      const bad = await call("POST", `${a.scim}/Users`, {
        token: a.token,
        raw: `{"schemas":["${SCIM_USER}"],"userName":"${bobName}",`,
      });
      assertScimError(bad, 400);
      const none = await call("GET", filterUrl(a.scim, bobName), { token: a.token });
      assert.equal(none.status, 200, none.text);
      assert.equal(none.body.totalResults, 0, none.text);
      const all = await call("GET", `${a.scim}/Users`, { token: a.token });
      assert.equal(all.body.totalResults, 1, all.text);
    });

    test("tenant A's token is refused on tenant B, and B does not see A's users", async () => {
      const cross = await call("GET", `${b.scim}/Users`, { token: a.token });
      assertScimError(cross, 401);
      const own = await call("GET", filterUrl(b.scim, userName), { token: b.token });
      assert.equal(own.status, 200, own.text);
      assert.equal(own.body.totalResults, 0, "B must not see A's user");
    });

    test("the user survives a server restart on the same data directory", async () => {
      const port = server.port;
      await server.stop();
      server = await startServer({ host, dataDir, port });
      const got = await call("GET", `${a.scim}/Users/${encodeURIComponent(userId)}`, { token: a.token });
      assert.equal(got.status, 200, got.text);
      assert.equal(got.body.userName, userName);
    });

    test("DELETE removes the user: 204, then 404", async () => {
      const del = await call("DELETE", `${a.scim}/Users/${encodeURIComponent(userId)}`, { token: a.token });
      assert.equal(del.status, 204, del.text);
      assert.equal(del.text, "");
      const gone = await call("GET", `${a.scim}/Users/${encodeURIComponent(userId)}`, { token: a.token });
      assertScimError(gone, 404);
    });
  });
}
