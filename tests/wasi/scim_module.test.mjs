// The WASI build of the modules under node:wasi, in-process: the same C++ as the
// Workers build, driven through the real ABI (route in the router, then handle in
// the module it names) against a FileKvStore on disk. Checks the modules' behaviour
// at the boundary: bad input is answered, never a trap; state survives reopening
// the store.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { loadWasiModules } from "../../wasm/hosts/wasi/wasi_host.mjs";
import { FileKvStore } from "../../wasm/hosts/wasi/file_kv_store.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const modulesDir = path.join(repo, "dist/wasi");
const ADMIN = "wasi-test-admin-token";
const ORIGIN = "http://127.0.0.1:9";

function envelope(method, url, { body = "", token } = {}) {
  const [p, q = ""] = url.split("?");
  const headers = { "content-type": "application/scim+json" };
  if (token) headers.authorization = `Bearer ${token}`;
  return { method, path: p, query: q, headers, body, origin: ORIGIN };
}

function call(module, method, url, options) {
  const routed = module.route(envelope(method, url, options));
  const response = routed.response ?? module.handle(routed.module, routed.request);
  let json = null;
  try { json = response.body ? JSON.parse(response.body) : null; } catch { /* not JSON */ }
  return { ...response, json };
}

async function open(dir) {
  const store = FileKvStore.open(dir);
  const module = await loadWasiModules(modulesDir, { store, config: { DIRBRIDGE_ADMIN_TOKEN: ADMIN }, log: () => {} });
  return { store, module };
}

test("the WASI module serves tenants, connections and users, and keeps them across a reopen", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dirbridge-wasi-"));
  try {
    let { store, module } = await open(dir);
    assert.equal(call(module, "POST", "/admin/v1/tenants", { body: '{"id":"acme"}', token: ADMIN }).status, 201);
    const conn = call(module, "POST", "/admin/v1/tenants/acme/connections", { body: '{"kind":"okta"}', token: ADMIN });
    assert.equal(conn.status, 201);
    const base = new URL(conn.json.scimBaseUrl).pathname;
    const token = conn.json.token;

    const created = call(module, "POST", `${base}/Users`, { body: '{"userName":"grace@example.com"}', token });
    assert.equal(created.status, 201);
    assert.equal(created.headers["content-type"], "application/scim+json");
    const id = created.json.id;

    const filter = encodeURIComponent('userName eq "GRACE@example.com"');
    assert.equal(call(module, "GET", `${base}/Users?filter=${filter}`, { token }).json.totalResults, 1);
    store.close();

    ({ store, module } = await open(dir));
    const again = call(module, "GET", `${base}/Users/${id}`, { token });
    assert.equal(again.status, 200);
    assert.equal(again.json.userName, "grace@example.com");
    store.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the WASI module answers hostile input with SCIM errors and writes nothing", async () => {
  const { store, module } = await open(null);
  call(module, "POST", "/admin/v1/tenants", { body: '{"id":"acme"}', token: ADMIN });
  const conn = call(module, "POST", "/admin/v1/tenants/acme/connections", { body: '{"kind":"entra"}', token: ADMIN });
  const base = new URL(conn.json.scimBaseUrl).pathname;
  const token = conn.json.token;
  const before = store.list("", "", Infinity).length;

  const deep = "[".repeat(100000) + "]".repeat(100000);
  for (const body of [deep, "{", '{"userName":42}', "[]", '{"userName":"x","emails":"nope"}', "\u0000\u0001"]) {
    const r = call(module, "POST", `${base}/Users`, { body, token });
    assert.equal(r.status, 400, `body ${body.slice(0, 20)} answered ${r.status}`);
    assert.deepEqual(r.json.schemas, ["urn:ietf:params:scim:api:messages:2.0:Error"]);
    assert.equal(r.json.status, "400");
  }
  const badFilter = call(module, "GET", `${base}/Users?filter=${encodeURIComponent("userName eq")}`, { token });
  assert.equal(badFilter.status, 400);
  assert.equal(badFilter.json.scimType, "invalidFilter");
  assert.equal(call(module, "GET", `${base}/Users`, { token: "dbt_0000_nope" }).status, 401);
  assert.equal(store.list("", "", Infinity).length, before);
});
