// A host whose storage fails: every producing import (kv_get, kv_list, kv_commit)
// reports the failure to the module through its return code (wasm/host_imports.h),
// the module turns it into an error value, and the request is answered with a 500
// that says the host failed, in the path's error shape. Never a trap: the call
// returns an answer, the next call is served, the store is unchanged, also when
// the failure comes after the call has committed (the host undoes a 5xx call).
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { loadWasiModules } from "../../wasm/hosts/wasi/wasi_host.mjs";
import { FileKvStore } from "../../wasm/hosts/wasi/file_kv_store.mjs";
import { FAULT_MARK, faultAfterCommit } from "../e2e/fault_host.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const modulesDir = path.join(repo, "dist/wasi");
const ADMIN = "wasi-test-admin-token";
const SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

// A FileKvStore whose get / list / commit throw while named in `failing`.
class FlakyStore {
  constructor() {
    this.inner = FileKvStore.open(null);
    this.failing = new Set();
  }
  #check(op) {
    if (this.failing.has(op)) throw new Error(`the disk is on fire (${op})`);
  }
  get(key) {
    this.#check("get");
    return this.inner.get(key);
  }
  list(prefix, startAfter, limit) {
    this.#check("list");
    return this.inner.list(prefix, startAfter, limit);
  }
  commit(ops) {
    this.#check("commit");
    return this.inner.commit(ops);
  }
  transaction(fn) {
    return this.inner.transaction(fn);
  }
}

async function setUp({ wrapTenantHost } = {}) {
  const store = new FlakyStore();
  const logs = [];
  const modules = await loadWasiModules(modulesDir, {
    store,
    config: { DIRBRIDGE_ADMIN_TOKEN: ADMIN },
    log: (level, message) => logs.push({ level, message }),
    wrapTenantHost,
  });
  const call = (method, url, { body = "", token } = {}) => {
    const [p, q = ""] = url.split("?");
    const headers = token ? { authorization: `Bearer ${token}` } : {};
    // dispatch throws if a call traps: these tests fail on a throw, not on a status.
    const answer = modules.dispatch({ method, path: p, query: q, headers, body, origin: "http://127.0.0.1:9" });
    return { ...answer, json: answer.body ? JSON.parse(answer.body) : null };
  };
  assert.equal(call("POST", "/admin/v1/tenants", { body: '{"id":"acme"}', token: ADMIN }).status, 201);
  const conn = call("POST", "/admin/v1/tenants/acme/connections", { body: '{"kind":"okta"}', token: ADMIN }).json;
  return { store, logs, call, base: new URL(conn.scimBaseUrl).pathname, token: conn.token };
}

function assertHostFailedScim(answer, call, reason) {
  assert.equal(answer.status, 500, answer.body);
  assert.equal(answer.headers["content-type"], "application/scim+json");
  assert.deepEqual(answer.json.schemas, [SCIM_ERROR]);
  assert.equal(answer.json.status, "500");
  assert.match(answer.json.detail, new RegExp(`host failed in ${call}: ${call}: the disk is on fire \\(${reason}\\)`));
}

test("a failing kv_get reaches the module as an error: 500 SCIM error, no trap", async () => {
  const { store, logs, call, base, token } = await setUp();
  store.failing.add("get");
  assertHostFailedScim(call("GET", `${base}/Users`, { token }), "kv_get", "get");
  assert.ok(logs.some((l) => l.level === 3 && l.message.includes("kv_get")), "the module logs the host failure");
  store.failing.clear();
  assert.equal(call("GET", `${base}/Users`, { token }).status, 200, "the same instances go on serving");
});

test("a failing kv_list reaches the module as an error: 500 SCIM error, no trap", async () => {
  const { store, call, base, token } = await setUp();
  assert.equal(call("POST", `${base}/Users`, { body: '{"userName":"ada@example.com"}', token }).status, 201);
  store.failing.add("list");
  assertHostFailedScim(call("GET", `${base}/Users?count=10`, { token }), "kv_list", "list");
  store.failing.clear();
  assert.equal(call("GET", `${base}/Users?count=10`, { token }).json.totalResults, 1);
});

test("a failing kv_commit reaches the module as an error: 500 SCIM error, store unchanged", async () => {
  const { store, call, base, token } = await setUp();
  const before = store.inner.size;
  store.failing.add("commit");
  assertHostFailedScim(call("POST", `${base}/Users`, { body: '{"userName":"ada@example.com"}', token }), "kv_commit", "commit");
  assert.equal(store.inner.size, before);
  store.failing.clear();
  assert.equal(call("POST", `${base}/Users`, { body: '{"userName":"ada@example.com"}', token }).status, 201);
});

test("outside SCIM a failing host is a 500 in the API error shape", async () => {
  const { store, call } = await setUp();
  store.failing.add("get");
  const read = call("GET", "/admin/v1/tenants/acme", { token: ADMIN });
  assert.equal(read.status, 500, read.body);
  assert.equal(read.headers["content-type"], "application/json");
  assert.equal(read.json.status, 500);
  assert.equal(read.json.error, "internal");
  assert.match(read.json.detail, /host failed in kv_get: kv_get: the disk is on fire \(get\)/);
  store.failing.clear();
  store.failing.add("commit");
  const created = call("POST", "/admin/v1/tenants", { body: '{"id":"beta"}', token: ADMIN });
  assert.equal(created.status, 500, created.body);
  assert.match(created.json.detail, /host failed in kv_commit/);
});

test("a call that fails after it has committed is undone: 500, and the store is as before", async () => {
  const { store, call, base, token } = await setUp({ wrapTenantHost: faultAfterCommit });
  const before = store.inner.list("", "", Infinity);
  // POST /Groups commits the group, then lists its members to answer: that list fails.
  const failed = call("POST", `${base}/Groups`, { body: JSON.stringify({ displayName: FAULT_MARK }), token });
  assert.equal(failed.status, 500, failed.body);
  assert.deepEqual(failed.json.schemas, [SCIM_ERROR]);
  assert.match(failed.json.detail, /host failed in kv_list: kv_list: injected failure after a commit/);
  assert.deepEqual(store.inner.list("", "", Infinity), before);
  assert.equal(call("GET", `${base}/Groups`, { token }).json.totalResults, 0);
  assert.equal(call("POST", `${base}/Groups`, { body: '{"displayName":"Engineering"}', token }).status, 201);
});

test("every module states the same body and URL limits, the ones the hosts enforce", async () => {
  const modules = await loadWasiModules(modulesDir, { log: () => {} });
  assert.deepEqual(Object.keys(modules.registry).sort(), ["admin", "custom_api", "federation", "graph", "gworkspace", "router", "scim", "webhooks"]);
  assert.equal(modules.maxBodyBytes, 256 * 1024);
  assert.equal(modules.maxUrlBytes, 16 * 1024);
});
