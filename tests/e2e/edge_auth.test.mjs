// Authentication at the edge, over HTTP on each real host: a SCIM request whose
// bearer token is absent, garbage, forged (a MAC under another key), or another
// tenant's is refused with 401 by the router, so it creates no tenant storage: under
// workerd no Durable Object is instantiated (the persisted object directory gains no
// database), under node:wasi the store gains no key of that tenant. A token whose MAC
// holds is still checked by the tenant module against the stored hash. A signed-webhook
// URL without the gate dirbridge issued with it (a MAC of tenant and connection) is the
// 404 of an unknown endpoint, and creates no tenant storage either.

import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { startServer } from "./server_harness.mjs";

const SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

async function call(method, url, { token, body } = {}) {
  const headers = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/scim+json";
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, text, json };
}

function assertRefused(res, token) {
  assert.equal(res.status, 401, res.text);
  assert.match(res.headers.get("content-type") || "", /^application\/scim\+json/);
  assert.deepEqual(res.json.schemas, [SCIM_ERROR]);
  assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="dirbridge"');
  if (token) assert.ok(!res.text.includes(token), "the token is never echoed");
}

// The token format of shared/tenancy/bearer_token.h, minted here with a given key.
function mint(key, tenant, connection, secret) {
  const body = `dbt1.${tenant}.${connection}.${secret}`;
  const mac = crypto.createHmac("sha256", key).update(body).digest().subarray(0, 16).toString("base64url");
  return `${body}.${mac}`;
}

// The SQLite databases under `dir`: Miniflare persists one per Durable Object ever
// instantiated (<hash of the id>.sqlite, next to its WAL files), plus metadata.sqlite.
function databasesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith(".sqlite")).sort();
}

for (const host of ["workers", "wasi"]) {
  describe(`authentication at the edge on ${host}`, () => {
    let server;
    const a = {};

    before(async () => {
      server = await startServer({ host });
      const admin = { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" };
      const t = await fetch(`${server.baseUrl}/admin/v1/tenants`, { method: "POST", headers: admin, body: '{"id":"acme-edge"}' });
      assert.equal(t.status, 201);
      const c = await fetch(`${server.baseUrl}/admin/v1/tenants/acme-edge/connections`, {
        method: "POST",
        headers: admin,
        body: '{"kind":"okta"}',
      });
      assert.equal(c.status, 201);
      const conn = await c.json();
      a.token = conn.token;
      a.scim = conn.scimBaseUrl;
      a.connection = conn.id;
      const h = await fetch(`${server.baseUrl}/admin/v1/tenants/acme-edge/connections`, {
        method: "POST",
        headers: admin,
        body: '{"kind":"signed_webhook"}',
      });
      assert.equal(h.status, 201);
      a.webhookUrl = (await h.json()).webhookUrl;
    });

    after(async () => {
      if (server) {
        await server.stop();
        fs.rmSync(server.dataDir, { recursive: true, force: true });
      }
    });

    test("issued tokens are dbt1.{tenant}.{connection}.{secret}.{mac} under the server's key", async () => {
      const [version, tenant, connection, secret, mac] = a.token.split(".");
      assert.equal(version, "dbt1");
      assert.equal(tenant, "acme-edge");
      assert.equal(connection, a.connection);
      assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
      assert.match(mac, /^[A-Za-z0-9_-]{22}$/);
      assert.equal(mint(server.tokenKey, tenant, connection, secret), a.token);
      assert.equal((await call("GET", `${a.scim}/Users`, { token: a.token })).status, 200);
    });

    // The token with its MAC's last two characters changed (always changed: a MAC that
    // happened to end in "AA" once made this test pass a valid token as a broken one).
    const brokenMac = (token) => token.slice(0, -2) + (token.endsWith("AA") ? "QA" : "AA");

    test("absent, garbage, forged and other tenants' tokens are 401 and create no tenant storage", async () => {
      const ghost = a.scim.replace("/t/acme-edge/", "/t/ghost-edge/");
      const secret = a.token.split(".")[3];
      const bad = [
        undefined,
        "garbage",
        "dbt_0123456789abcdef_c2VjcmV0", // the format before MACs
        a.token, // acme's own token, at another tenant
        mint("another-deployment-key-0123456789abcdef", "ghost-edge", a.connection, secret), // forged MAC
        brokenMac(mint(server.tokenKey, "acme-edge", a.connection, secret)), // broken MAC
        `dbt1.ghost-edge.${a.connection}.${secret}.${"A".repeat(22)}`,
      ];
      const dataDir = path.join(server.dataDir, host);
      const before = databasesUnder(dataDir);
      const sizeBefore = host === "wasi" ? fs.statSync(path.join(dataDir, "kv.log")).size : 0;
      for (const token of bad) {
        assertRefused(await call("GET", `${ghost}/Users`, { token }), token);
        assertRefused(await call("POST", `${ghost}/Users`, { token, body: '{"userName":"mallory@example.com"}' }), token);
        assertRefused(await call("GET", `${ghost}/ServiceProviderConfig`, { token }), token);
      }
      // acme's token with a broken MAC is refused at acme too.
      assertRefused(await call("GET", `${a.scim}/Users`, { token: bad[5] }), bad[5]);
      if (host === "workers") {
        // One SQLite database per Durable Object that was ever instantiated.
        assert.ok(before.length >= 2, `the tenant's database is there: ${before}`);
        assert.deepEqual(databasesUnder(dataDir), before, "no Durable Object was created");
      } else {
        assert.equal(fs.statSync(path.join(dataDir, "kv.log")).size, sizeBefore, "nothing was written");
        assert.ok(!fs.readFileSync(path.join(dataDir, "kv.log"), "utf8").includes("ghost-edge"));
      }
    });

    test("signed-webhook URLs without the gate dirbridge issued are 404 and create no tenant storage", async () => {
      const cut = a.webhookUrl.lastIndexOf("/");
      const ungated = a.webhookUrl.slice(0, cut);
      const gate = a.webhookUrl.slice(cut + 1);
      assert.match(gate, /^[A-Za-z0-9_-]{22}$/);
      const flipped = (gate[0] === "A" ? "B" : "A") + gate.slice(1);
      const ghost = ungated.replace("/t/acme-edge/", "/t/ghost-hooks/");
      const connection = ungated.slice(ungated.lastIndexOf("/") + 1);
      const forged = crypto
        .createHmac("sha256", "another-deployment-key-0123456789abcdef")
        .update(`dbg1.ghost-hooks.${connection}`)
        .digest()
        .subarray(0, 16)
        .toString("base64url");
      const headers = {
        "content-type": "application/json",
        "webhook-id": "msg_edge",
        "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
        "webhook-signature": "v1,c2lnbmF0dXJl",
      };
      const dataDir = path.join(server.dataDir, host);
      const before = databasesUnder(dataDir);
      const sizeBefore = host === "wasi" ? fs.statSync(path.join(dataDir, "kv.log")).size : 0;
      for (const url of [ghost, `${ghost}/${gate}`, `${ghost}/${flipped}`, `${ghost}/${forged}`, ungated, `${ungated}/${flipped}`]) {
        const r = await fetch(url, { method: "POST", headers, body: '{"events":[]}' });
        const text = await r.text();
        assert.equal(r.status, 404, `${url}: ${text}`);
        // The answer of any unknown endpoint: nothing tells a wrong gate from no such URL.
        assert.deepEqual(JSON.parse(text), { status: 404, error: "notFound", detail: `no such endpoint: ${new URL(url).pathname}` });
      }
      if (host === "workers") {
        assert.deepEqual(databasesUnder(dataDir), before, "no Durable Object was created");
      } else {
        assert.equal(fs.statSync(path.join(dataDir, "kv.log")).size, sizeBefore, "nothing was written");
        assert.ok(!fs.readFileSync(path.join(dataDir, "kv.log"), "utf8").includes("ghost-hooks"));
      }
      // With the gate the request reaches the tenant, which checks the signature.
      const signed = await fetch(a.webhookUrl, { method: "POST", headers, body: '{"events":[]}' });
      assert.equal(signed.status, 401, await signed.text());
    });

    test("a token with a valid MAC for a connection the tenant never issued is refused by the tenant", async () => {
      const secret = a.token.split(".")[3];
      const minted = mint(server.tokenKey, "acme-edge", "0000000000000000", secret);
      assertRefused(await call("GET", `${a.scim}/Users`, { token: minted }), minted);
      assert.equal((await call("GET", `${a.scim}/Users`, { token: a.token })).status, 200);
    });
  });
}
