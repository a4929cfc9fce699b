// What the hosts answer themselves, end to end on each real host (workerd through
// Miniflare, and node:wasi): the body limit the modules state (413 before the body is
// read), and one error shape per kind of path: RFC 7644 §3.12 SCIM errors under
// /t/{tenant}/scim/v2/, the API error {"status", "error", "detail"} everywhere else.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { startServer } from "./server_harness.mjs";
import { loadWasiModules } from "../../wasm/hosts/wasi/wasi_host.mjs";

const SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

async function call(method, url, { token, body, headers = {} } = {}) {
  const init = { method, headers: { ...headers } };
  if (token) init.headers.authorization = `Bearer ${token}`;
  if (body !== undefined) init.body = body;
  const res = await fetch(url, init);
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: the assertions say so
  }
  return { status: res.status, headers: res.headers, json, text };
}

function assertApiError(res, status, error) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get("content-type") || "", /^application\/json/);
  assert.equal(res.json.status, status, res.text);
  assert.equal(res.json.error, error, res.text);
  assert.equal(typeof res.json.detail, "string");
  assert.equal(res.json.schemas, undefined);
}

function assertScimError(res, status) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get("content-type") || "", /^application\/scim\+json/);
  assert.deepEqual(res.json.schemas, [SCIM_ERROR]);
  assert.equal(res.json.status, String(status));
}

const limit = (await loadWasiModules(path.join(repo, "dist/wasi"), { log: () => {} })).maxBodyBytes;

for (const host of ["workers", "wasi"]) {
  describe(`the host boundary on ${host}`, () => {
    let server;
    let scim;
    let token;

    before(async () => {
      server = await startServer({ host });
      const admin = { token: server.adminToken, headers: { "content-type": "application/json" } };
      const tenant = await call("POST", `${server.baseUrl}/admin/v1/tenants`, { ...admin, body: "{}" });
      assert.equal(tenant.status, 201, tenant.text);
      const conn = await call("POST", `${server.baseUrl}/admin/v1/tenants/${tenant.json.id}/connections`, {
        ...admin,
        body: '{"kind":"okta"}',
      });
      assert.equal(conn.status, 201, conn.text);
      scim = conn.json.scimBaseUrl;
      token = conn.json.token;
    });

    after(async () => {
      if (server) {
        await server.stop();
        fs.rmSync(server.dataDir, { recursive: true, force: true });
      }
    });

    test("health is JSON, unknown paths and admin refusals are API errors", async () => {
      const health = await call("GET", `${server.baseUrl}/health`);
      assert.equal(health.status, 200);
      assert.match(health.headers.get("content-type"), /^application\/json/);
      assert.equal(health.json.status, "ok");
      assertApiError(await call("GET", `${server.baseUrl}/nope`), 404, "notFound");
      assertApiError(await call("GET", `${server.baseUrl}/admin/v1/tenants/acme`), 401, "unauthorized");
      assertApiError(await call("DELETE", `${server.baseUrl}/admin/v1/tenants`, { token: server.adminToken }), 405, "methodNotAllowed");
    });

    test("SCIM paths answer SCIM errors, from the router and from the scim module", async () => {
      assertScimError(await call("GET", `${server.baseUrl}/t/Not_A_Tenant/scim/v2/Users`), 404);
      assertScimError(await call("GET", `${scim}/Users`), 401);
      assertScimError(await call("GET", `${scim}/Widgets`, { token }), 404);
    });

    test("a body over the modules' limit is 413 in the path's error shape; at the limit it is read", async () => {
      const over = "x".repeat(limit + 1);
      // Repeated: the host reads what is left of a refused body (up to four times the
      // limit), so the client sees the 413 every time rather than, now and then, a reset.
      for (let i = 0; i < 10; i++) {
        assertScimError(await call("POST", `${scim}/Users`, { token, body: over }), 413);
        assertApiError(await call("POST", `${server.baseUrl}/admin/v1/tenants`, { token: server.adminToken, body: over }), 413, "payloadTooLarge");
      }
      const farOver = "x".repeat(3 * limit);
      assertScimError(await call("POST", `${scim}/Users`, { token, body: farOver }), 413);
      // Exactly at the limit the module sees it (and refuses it as JSON, not as size).
      const at = await call("POST", `${scim}/Users`, { token, body: "x".repeat(limit) });
      assertScimError(at, 400);
    });
  });
}
