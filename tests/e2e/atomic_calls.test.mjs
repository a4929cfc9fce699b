// All or nothing, over HTTP on each host: a tenant call that has committed and then
// fails (here: a host failure after the commit, so the module answers 500) leaves
// nothing behind, neither the record nor its event, under workerd (transactionSync
// rolled back) and under node:wasi (FileKvStore.transaction undone, nothing in the
// log). The failure is injected by tests/e2e/fault_host.mjs: under workerd through
// fault_worker.mjs (the real Worker with its object's host object wrapped), under
// node:wasi through startWasiServer's wrapTenantHost.

import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { Miniflare } from "miniflare";
import { miniflareOptionsFromWrangler } from "../../deploy/local/serve.mjs";
import { startWasiServer } from "../../wasm/hosts/wasi/serve.mjs";
import { FAULT_MARK, faultAfterCommit } from "./fault_host.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const ADMIN = "atomic-test-admin-token";
const KEY = "atomic-test-token-key-0123456789abcdefgh";

async function startWorkerd() {
  const options = miniflareOptionsFromWrangler();
  const mf = new Miniflare({
    ...options,
    scriptPath: path.join(here, "fault_worker.mjs"),
    bindings: { ...options.bindings, DIRBRIDGE_ADMIN_TOKEN: ADMIN, DIRBRIDGE_TOKEN_KEY: KEY },
    host: "127.0.0.1",
    port: 0,
  });
  const url = await mf.ready;
  return { url: url.origin, close: () => mf.dispose(), logFile: null };
}

async function startWasi() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dirbridge-atomic-"));
  const server = await startWasiServer({
    dataDir,
    port: 0,
    config: { DIRBRIDGE_ADMIN_TOKEN: ADMIN, DIRBRIDGE_TOKEN_KEY: KEY },
    wrapTenantHost: faultAfterCommit,
  });
  return {
    url: server.url,
    logFile: path.join(dataDir, "kv.log"),
    close: async () => {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function call(method, url, { token, json } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (json !== undefined) headers["content-type"] = "application/scim+json";
  const res = await fetch(url, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : null };
}

for (const host of ["workers", "wasi"]) {
  describe(`a failed call commits nothing on ${host}`, () => {
    let server;
    let scim;
    let token;
    let tenant;

    before(async () => {
      server = await (host === "workers" ? startWorkerd() : startWasi());
      const t = await call("POST", `${server.url}/admin/v1/tenants`, { token: ADMIN, json: {} });
      assert.equal(t.status, 201, t.text);
      tenant = t.json.id;
      const c = await call("POST", `${server.url}/admin/v1/tenants/${tenant}/connections`, { token: ADMIN, json: { kind: "okta" } });
      assert.equal(c.status, 201, c.text);
      scim = c.json.scimBaseUrl;
      token = c.json.token;
    });

    after(async () => {
      if (server) await server.close();
    });

    test("a group whose call fails after its commit is not stored, nor is its event", async () => {
      const eventsBefore = (await call("GET", `${server.url}/admin/v1/tenants/${tenant}/events`, { token: ADMIN })).json.events.length;
      const failed = await call("POST", `${scim}/Groups`, { token, json: { displayName: FAULT_MARK } });
      assert.equal(failed.status, 500, failed.text);
      assert.match(failed.json.detail, /host failed in kv_list: kv_list: injected failure after a commit/);

      const filter = encodeURIComponent(`displayName eq "${FAULT_MARK}"`);
      const found = await call("GET", `${scim}/Groups?filter=${filter}`, { token });
      assert.equal(found.status, 200, found.text);
      assert.equal(found.json.totalResults, 0, "the group's write was undone");
      const all = await call("GET", `${scim}/Groups`, { token });
      assert.equal(all.json.totalResults, 0);
      const events = (await call("GET", `${server.url}/admin/v1/tenants/${tenant}/events`, { token: ADMIN })).json.events;
      assert.equal(events.length, eventsBefore, "no event of the undone write");
      if (server.logFile) assert.ok(!fs.readFileSync(server.logFile, "utf8").includes(FAULT_MARK), "nothing reached the log");

      // The tenant goes on serving, and the same name can be created for real.
      const ok = await call("POST", `${scim}/Groups`, { token, json: { displayName: "Engineering" } });
      assert.equal(ok.status, 201, ok.text);
      assert.equal((await call("GET", `${scim}/Groups`, { token })).json.totalResults, 1);
    });
  });
}
