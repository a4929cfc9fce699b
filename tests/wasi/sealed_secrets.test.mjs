// Sealing at the host boundary under node:wasi (wasm/hosts/sealing.mjs through the
// secret_seal / secret_open imports): without DIRBRIDGE_SECRET_KEY, or with a
// malformed one, everything that seals answers a clear 503 naming the setting, and
// the host undoes the call (no connection half-made); the key itself is never a
// config setting the modules can read. With a key, a sealed value stored under one
// owner does not open under another: an error value, not a trap.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { loadWasiModules } from "../../wasm/hosts/wasi/wasi_host.mjs";
import { FileKvStore } from "../../wasm/hosts/wasi/file_kv_store.mjs";
import { makeSealer } from "../../wasm/hosts/sealing.mjs";
import { randomBytes } from "../../wasm/hosts/host_runtime.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const modulesDir = path.join(repo, "dist/wasi");
const ADMIN = "wasi-test-admin-token";

async function setUp(secretKey) {
  const store = FileKvStore.open(null);
  const logs = [];
  const modules = await loadWasiModules(modulesDir, {
    store,
    config: { DIRBRIDGE_ADMIN_TOKEN: ADMIN },
    secretKey,
    log: (level, message) => logs.push({ level, message }),
  });
  const call = (method, url, body = "") => {
    const answer = modules.dispatch({
      method,
      path: url,
      query: "",
      headers: { authorization: `Bearer ${ADMIN}` },
      body,
      origin: "http://127.0.0.1:9",
    });
    return { ...answer, json: answer.body ? JSON.parse(answer.body) : null };
  };
  assert.equal(call("POST", "/admin/v1/tenants", '{"id":"acme"}').status, 201);
  return { store, logs, call };
}

for (const [label, key, reason] of [
  ["no key", undefined, /DIRBRIDGE_SECRET_KEY is not set/],
  ["a key of the wrong length", Buffer.alloc(16).toString("base64"), /DIRBRIDGE_SECRET_KEY must decode to 32 bytes/],
]) {
  test(`with ${label}, sealing answers 503 naming the setting and changes nothing`, async () => {
    const { store, call } = await setUp(key);
    const before = store.size;
    const c = call("POST", "/admin/v1/tenants/acme/connections", '{"kind":"signed_webhook"}');
    assert.equal(c.status, 503, c.body);
    assert.match(c.json.detail, reason);
    assert.equal(store.size, before, "the connection was undone with its secret");
    const okta = call("POST", "/admin/v1/tenants/acme/connections", '{"kind":"okta"}');
    assert.equal(okta.status, 201, "what needs no sealing still works");
    const put = call("PUT", `/admin/v1/tenants/acme/connections/${okta.json.id}/secrets/token`, '{"value":"v"}');
    assert.equal(put.status, 503);
    assert.match(put.json.detail, reason);
  });
}

test("the deployment key is not a setting the modules can read", async () => {
  const key = crypto.randomBytes(32).toString("base64");
  const { call } = await setUp(key);
  const c = call("POST", "/admin/v1/tenants/acme/connections", '{"kind":"signed_webhook"}');
  assert.equal(c.status, 201, c.body);
  assert.ok(!c.body.includes(key));
});

test("a sealed value moved to another owner does not open: an error value, not a trap", async () => {
  const key = crypto.randomBytes(32).toString("base64");
  const { store, call } = await setUp(key);
  const a = call("POST", "/admin/v1/tenants/acme/connections", '{"kind":"signed_webhook"}').json;
  const b = call("POST", "/admin/v1/tenants/acme/connections", '{"kind":"signed_webhook"}').json;
  // Copy a's sealed signing secret over b's: b's hook must refuse, not use a's secret.
  const stored = store.get(`t/acme/secret/${a.id}/webhook-signing`);
  assert.ok(stored && stored.includes("dbs1."), "stored sealed");
  assert.ok(!stored.includes(a.webhookSecret.slice(6)), "never in clear");
  store.commit([["put", `t/acme/secret/${b.id}/webhook-signing`, stored]]);
  const body = "{}";
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = crypto.createHmac("sha256", Buffer.from(a.webhookSecret.slice(6), "base64")).update(`m.${ts}.${body}`).digest("base64");
  const headers = { "webhook-id": "m", "webhook-timestamp": ts, "webhook-signature": `v1,${sig}` };
  // A hook call goes through the router without the admin token.
  const answer = (await loadWasiModules(modulesDir, { store, config: {}, secretKey: key, log: () => {} })).dispatch({
    method: "POST",
    path: new URL(b.webhookUrl).pathname, // with its edge gate
    query: "",
    headers,
    body,
    origin: "http://127.0.0.1:9",
  });
  assert.equal(answer.status, 500, answer.body);
  assert.match(JSON.parse(answer.body).detail, /does not open/);
});

test("the host sealer: associated data and key both decide, tampering fails cleanly", () => {
  const sealer = makeSealer(crypto.randomBytes(32).toString("base64"), randomBytes);
  const enc = new TextEncoder();
  const sealed = sealer.seal(enc.encode("hello"), enc.encode("owner-a"));
  assert.match(sealed, /^dbs1\.[A-Za-z0-9_-]+$/);
  assert.equal(new TextDecoder().decode(sealer.open(sealed, enc.encode("owner-a"))), "hello");
  assert.equal(sealer.open(sealed, enc.encode("owner-b")), null);
  assert.equal(sealer.open(sealed.slice(0, -2), enc.encode("owner-a")), null);
  assert.equal(sealer.open("dbs1.!!", enc.encode("owner-a")), null);
  const other = makeSealer(crypto.randomBytes(32).toString("base64"), randomBytes);
  assert.equal(other.open(sealed, enc.encode("owner-a")), null);
});
