// Standard Webhooks-signed canonical events and sealed secrets, over HTTP on each real
// host (workerd through Miniflare with nodejs_compat, and node:wasi): a signed_webhook
// connection's secret is shown once; a signed delivery is applied by the engine's one
// applier of pushed events (the Okta hooks' too): a SCIM user, an Okta-hook user and a
// signed event about the same person are one user; an older event never undoes a
// newer one; an event id seen before is a duplicate; a forged (401), stale (401,
// saying so), replayed (200, no effect), malformed (400), oversized (413) or
// unknown-typed (acknowledged, counted, ignored) delivery is answered as it should
// be, and a refused one changes nothing.
// A canary secret set through the admin API never appears in the server's output,
// in any API answer, in the event log, or in clear anywhere in the data folder.

import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { rawPost } from "./raw_http.mjs";
import { startServer } from "./server_harness.mjs";
import { filesUnder } from "./e2e_support.mjs";
import { hookDelivery, logEvent, userTarget } from "./okta_payloads.mjs";

const CANARY = `canary-okta-token-${crypto.randomBytes(12).toString("hex")}`;

async function call(method, url, { token, body, headers = {} } = {}) {
  const h = { ...headers };
  if (token !== undefined) h.authorization = `Bearer ${token}`;
  if (body !== undefined && !h["content-type"]) h["content-type"] = "application/json";
  const res = await fetch(url, { method, headers: h, body });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, text, json };
}

// A delivery signed the Standard Webhooks way: v1 = HMAC-SHA256 over id.timestamp.body
// under the bytes of whsec_<base64>.
function signedHeaders(secret, id, body, { skewSeconds = 0 } = {}) {
  const ts = String(Math.floor(Date.now() / 1000) + skewSeconds);
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const sig = crypto.createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": ts, "webhook-signature": `v1,${sig}` };
}

for (const host of ["workers", "wasi"]) {
  describe(`signed webhooks and sealed secrets on ${host}`, () => {
    let server;
    let admin;
    let hook;
    const answers = [];
    const tenant = `hooks-${host}`;

    const adminCall = async (method, p, body) => {
      const r = await call(method, `${server.baseUrl}${p}`, {
        token: server.adminToken,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      answers.push(r.text);
      return r;
    };
    const deliver = async (id, payload, opts = {}) => {
      const body = typeof payload === "string" ? payload : JSON.stringify(payload);
      const r = await call("POST", hook.webhookUrl, {
        body,
        headers: signedHeaders(opts.secret || hook.webhookSecret, id, body, opts),
      });
      answers.push(r.text);
      return r;
    };
    const userNamed = async (userName) => {
      const r = await call(
        "GET",
        `${admin.scimBaseUrl}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`,
        { token: admin.scimToken },
      );
      assert.equal(r.status, 200, r.text);
      return r.json.Resources;
    };

    before(async () => {
      server = await startServer({ host });
      assert.ok(fs.existsSync(path.join(server.dataDir, "secret-key")), "the local server keeps a sealing key");
      assert.equal(fs.statSync(path.join(server.dataDir, "secret-key")).mode & 0o777, 0o600);
      assert.equal((await adminCall("POST", "/admin/v1/tenants", { id: tenant })).status, 201);
      const c = await adminCall("POST", `/admin/v1/tenants/${tenant}/connections`, { kind: "signed_webhook" });
      assert.equal(c.status, 201, c.text);
      hook = c.json;
      assert.match(hook.webhookSecret, /^whsec_[A-Za-z0-9+/]{43}=$/);
      assert.match(hook.webhookSecretFingerprint, /^fp1:[0-9a-f]{16}$/);
      // The URL carries the edge gate (shared/tenancy/hook_url_gate.h): 22 base64url characters.
      assert.match(hook.webhookUrl, new RegExp(`/t/${tenant}/hooks/signed/${hook.id}/[A-Za-z0-9_-]{22}$`));
      const gate = hook.webhookUrl.slice(hook.webhookUrl.lastIndexOf("/") + 1);
      const expected = crypto.createHmac("sha256", server.tokenKey).update(`dbg1.${tenant}.${hook.id}`).digest();
      assert.equal(gate, expected.subarray(0, 16).toString("base64url"), "a MAC of tenant and connection");
      const s = await adminCall("POST", `/admin/v1/tenants/${tenant}/connections`, { kind: "okta" });
      admin = { scimBaseUrl: s.json.scimBaseUrl, scimToken: s.json.token, okta: s.json.id, oktaHook: s.json.eventHook };
    });

    after(async () => {
      if (server) await server.stop();
    });

    test("a signed delivery is accepted and applied through the engine", async () => {
      // Okta's SCIM made Ada already: the hook's event about her meets the same user.
      const scim = await call("POST", `${admin.scimBaseUrl}/Users`, {
        token: admin.scimToken,
        body: JSON.stringify({ userName: "ada@example.com" }),
        headers: { "content-type": "application/scim+json" },
      });
      assert.equal(scim.status, 201, scim.text);
      const now = Date.now();
      const r = await deliver("msg_1", {
        events: [
          { id: "e1", type: "user.created", occurredAt: new Date(now - 60_000).toISOString(),
            user: { userName: "ADA@example.com", displayName: "Ada Lovelace", email: "ada@example.com" } },
          { id: "e2", type: "group.created", occurredAt: new Date(now - 50_000).toISOString(),
            group: { displayName: "Engineering" } },
          { id: "e3", type: "group.member_added", occurredAt: new Date(now - 40_000).toISOString(),
            group: { displayName: "Engineering" }, user: { userName: "ada@example.com" } },
          { id: "e4", type: "user.created", occurredAt: new Date(now - 30_000).toISOString(),
            user: { userName: "bob@example.com" } },
        ],
      });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.applied, 4, r.text);
      const ada = await userNamed("ada@example.com");
      assert.equal(ada.length, 1, "two sources, one person, one user");
      assert.equal(ada[0].displayName, "Ada Lovelace");
      assert.equal((await userNamed("bob@example.com")).length, 1);
      const events = await adminCall("GET", `/admin/v1/tenants/${tenant}/events?limit=1000`);
      const fromHook = events.json.events.filter((e) => e.source && e.source.via === "hook");
      assert.ok(fromHook.length >= 4, JSON.stringify(events.json.events.slice(-4)));
      assert.ok(fromHook.every((e) => e.source.connection === hook.id && e.source.kind === "signed_webhook"));
    });

    test("a forged delivery is 401 and changes nothing", async () => {
      const payload = { id: "f1", type: "user.created", occurredAt: new Date().toISOString(), user: { userName: "mallory@example.com" } };
      const forged = await deliver("msg_forged", payload, { secret: "whsec_" + crypto.randomBytes(32).toString("base64") });
      assert.equal(forged.status, 401, forged.text);
      assert.match(forged.json.detail, /no webhook-signature matches/);
      const unsigned = await call("POST", hook.webhookUrl, { body: JSON.stringify(payload) });
      assert.equal(unsigned.status, 401);
      assert.equal((await userNamed("mallory@example.com")).length, 0);
    });

    test("a stale delivery is 401 with a clear reason", async () => {
      const payload = { id: "s1", type: "user.created", occurredAt: new Date().toISOString(), user: { userName: "old@example.com" } };
      const stale = await deliver("msg_stale", payload, { skewSeconds: -600 });
      assert.equal(stale.status, 401, stale.text);
      assert.match(stale.json.detail, /seconds old, outside the 300-second tolerance/);
      assert.equal((await userNamed("old@example.com")).length, 0);
    });

    test("a replayed webhook-id is acknowledged without effect", async () => {
      const payload = { id: "r1", type: "user.suspended", occurredAt: new Date().toISOString(), user: { userName: "bob@example.com" } };
      const first = await deliver("msg_replay", payload);
      assert.equal(first.status, 200, first.text);
      assert.equal(first.json.applied, 1);
      assert.equal((await userNamed("bob@example.com"))[0].active, false);
      // Reactivate Bob through SCIM, then replay the suspension: it must not apply again.
      const bob = (await userNamed("bob@example.com"))[0];
      const patch = await call("PATCH", `${admin.scimBaseUrl}/Users/${bob.id}`, {
        token: admin.scimToken,
        body: JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: true }] }),
        headers: { "content-type": "application/scim+json" },
      });
      assert.ok(patch.status === 200 || patch.status === 204, patch.text);
      const replay = await deliver("msg_replay", payload);
      assert.equal(replay.status, 200, replay.text);
      assert.equal(replay.json.replay, true);
      assert.equal((await userNamed("bob@example.com"))[0].active, true, "the replay changed nothing");
    });

    test("bad JSON is 400, a body over the limit 413, an unknown event type acknowledged and counted", async () => {
      const bad = await deliver("msg_bad", "{not json");
      assert.equal(bad.status, 400, bad.text);
      const big = "x".repeat(300 * 1024);
      const bigBody = JSON.stringify({ id: "b", type: "user.created", pad: big });
      const tooBig = await rawPost(hook.webhookUrl, signedHeaders(hook.webhookSecret, "msg_big", bigBody, {}), bigBody);
      assert.equal(tooBig.status, 413, tooBig.body);
      const unknown = await deliver("msg_unknown", { events: [{ id: "u1", type: "user.teleported", occurredAt: new Date().toISOString() }] });
      assert.equal(unknown.status, 200, unknown.text);
      assert.equal(unknown.json.ignored, 1);
      assert.equal(unknown.json.applied, 0);
      const conn = await adminCall("GET", `/admin/v1/tenants/${tenant}/connections/${hook.id}`);
      assert.equal(conn.status, 200, conn.text);
      assert.deepEqual(conn.json.deliveries.unknownTypes, { "user.teleported": 1 });
      assert.equal(conn.json.deliveries.outcomes.ignored, 1);
      assert.equal(conn.json.deliveries.replays, 1);
    });

    const at = (secondsAgo) => new Date(Date.now() - secondsAgo * 1000).toISOString();
    const scimCall = (method, p, body) =>
      call(method, `${admin.scimBaseUrl}${p}`, {
        token: admin.scimToken,
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: { "content-type": "application/scim+json" },
      });
    const eventLog = async () => (await adminCall("GET", `/admin/v1/tenants/${tenant}/events?limit=1000`)).json;

    test("a user SCIM created is the one a signed user.updated and user.suspended change", async () => {
      const created = await scimCall("POST", "/Users", { userName: "xavier@example.com" });
      assert.equal(created.status, 201, created.text);
      const r = await deliver("msg_x1", {
        events: [
          { id: "x1", type: "user.updated", occurredAt: at(20),
            user: { userName: "Xavier@example.com", displayName: "Xavier Xu", givenName: "Xavier", familyName: "Xu" } },
          { id: "x2", type: "user.suspended", occurredAt: at(10), user: { userName: "xavier@example.com" } },
        ],
      });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.applied, 2, r.text);
      assert.deepEqual(r.json.results.map((e) => e.outcome), ["applied", "applied"]);
      const found = await userNamed("xavier@example.com");
      assert.equal(found.length, 1, "one user, not two");
      assert.equal(found[0].id, created.json.id);
      assert.equal(found[0].displayName, "Xavier Xu");
      assert.equal(found[0].name.familyName, "Xu");
      assert.equal(found[0].active, false);
      assert.equal(found[0].externalId, undefined, "no externalId made up");
    });

    test("an Okta hook event and a signed event about one person end as one user", async () => {
      const okta = await call("POST", admin.oktaHook.url, {
        body: JSON.stringify(hookDelivery([
          logEvent("user.lifecycle.activate", at(30), [userTarget("00ugrace", "grace@example.com", "Grace Hopper")]),
        ])),
        headers: { [admin.oktaHook.header]: admin.oktaHook.secret },
      });
      assert.equal(okta.status, 204, okta.text);
      const r = await deliver("msg_g1", {
        id: "g1", type: "user.suspended", occurredAt: at(5), user: { userName: "GRACE@example.com" },
      });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.applied, 1, r.text);
      const grace = await userNamed("grace@example.com");
      assert.equal(grace.length, 1, "two sources, one person, one user");
      assert.equal(grace[0].externalId, "00ugrace");
      assert.equal(grace[0].active, false);
    });

    test("an older signed event delivered late never undoes a newer one", async () => {
      const ivan = { userName: "ivan@example.com" };
      assert.equal((await deliver("msg_i0", { id: "i0", type: "user.created", occurredAt: at(100), user: ivan })).json.applied, 1);
      assert.equal((await deliver("msg_i1", { id: "i1", type: "user.suspended", occurredAt: at(10), user: ivan })).json.applied, 1);
      const late = await deliver("msg_i2", { id: "i2", type: "user.reactivated", occurredAt: at(20), user: ivan });
      assert.equal(late.status, 200, late.text);
      assert.equal(late.json.stale, 1, late.text);
      assert.equal(late.json.applied, 0);
      // The profile is another aspect: an update older than the suspension still applies ...
      const profile = await deliver("msg_i3", {
        id: "i3", type: "user.updated", occurredAt: at(15), user: { ...ivan, displayName: "Old Ivan" },
      });
      assert.equal(profile.json.applied, 1, profile.text);
      // ... but not one older than that update.
      const olderProfile = await deliver("msg_i4", {
        id: "i4", type: "user.updated", occurredAt: at(50), user: { ...ivan, displayName: "Older Ivan" },
      });
      assert.equal(olderProfile.json.stale, 1, olderProfile.text);
      const found = await userNamed("ivan@example.com");
      assert.equal(found.length, 1);
      assert.equal(found[0].active, false);
      assert.equal(found[0].displayName, "Old Ivan");
    });

    test("the same event id in two deliveries is applied once", async () => {
      const event = { id: "same-1", type: "user.created", occurredAt: at(10), user: { userName: "judy@example.com", displayName: "Judy" } };
      assert.equal((await deliver("msg_j1", event)).json.applied, 1);
      const before = await eventLog();
      const again = await deliver("msg_j2", { ...event, user: { ...event.user, displayName: "Not Judy" } });
      assert.equal(again.status, 200, again.text);
      assert.equal(again.json.duplicate, 1, again.text);
      assert.equal(again.json.applied, 0);
      assert.equal(again.json.results[0].outcome, "duplicate");
      const after = await eventLog();
      assert.equal(after.events.length, before.events.length, "no event logged");
      assert.equal((await userNamed("judy@example.com"))[0].displayName, "Judy");
    });

    test("a malformed, forged or stale delivery changes nothing", async () => {
      const kim = { userName: "kim@example.com" };
      assert.equal((await deliver("msg_k0", { id: "k0", type: "user.created", occurredAt: at(60), user: kim })).json.applied, 1);
      const snapshot = async () => ({
        log: await eventLog(),
        users: (await scimCall("GET", "/Users?count=1000")).json,
        counters: (await adminCall("GET", `/admin/v1/tenants/${tenant}/connections/${hook.id}`)).json.deliveries,
      });
      const before = await snapshot();
      const suspend = { id: "k1", type: "user.suspended", occurredAt: at(1), user: kim };
      const malformed = await deliver("msg_k1", { events: [suspend, { id: "k2", type: "user.deleted", user: kim }] });
      assert.equal(malformed.status, 400, malformed.text);
      assert.match(malformed.json.detail, /events\[1\]\.occurredAt/);
      assert.equal((await deliver("msg_k2", { events: [suspend, { id: "k3", type: "group.created", occurredAt: at(1) }] })).status, 400);
      assert.equal((await deliver("msg_k3", "[1,2]")).status, 400);
      const forged = await deliver("msg_k4", suspend, { secret: "whsec_" + crypto.randomBytes(32).toString("base64") });
      assert.equal(forged.status, 401, forged.text);
      const stale = await deliver("msg_k5", suspend, { skewSeconds: -400 });
      assert.equal(stale.status, 401, stale.text);
      const future = await deliver("msg_k6", suspend, { skewSeconds: 400 });
      assert.equal(future.status, 401, future.text);
      const after = await snapshot();
      assert.deepEqual(after.log, before.log);
      assert.deepEqual(after.users, before.users);
      assert.deepEqual(after.counters, before.counters);
      // The refused webhook-id was not taken: fixed, it is accepted under the same id.
      const fixed = await deliver("msg_k1", suspend);
      assert.equal(fixed.json.applied, 1, fixed.text);
      assert.equal((await userNamed("kim@example.com"))[0].active, false);
    });

    test("a canary secret never appears in logs, answers, events or the data folder in clear", async () => {
      const base = `/admin/v1/tenants/${tenant}/connections/${admin.okta}/secrets`;
      const put = await adminCall("PUT", `${base}/okta-api-token`, { value: CANARY });
      assert.equal(put.status, 201, put.text);
      assert.match(put.json.fingerprint, /^fp1:[0-9a-f]{16}$/);
      const replaced = await adminCall("PUT", `${base}/okta-api-token`, { value: CANARY });
      assert.equal(replaced.status, 200);
      assert.equal(replaced.json.fingerprint, put.json.fingerprint, "the fingerprint names the value");
      await adminCall("GET", base);
      await adminCall("GET", `${base}/okta-api-token`);
      await adminCall("GET", `/admin/v1/tenants/${tenant}/connections/${admin.okta}`);
      await adminCall("GET", `/admin/v1/tenants/${tenant}/connections/${hook.id}`);
      await adminCall("GET", `/admin/v1/tenants/${tenant}/events?limit=1000`);
      const hookKey = hook.webhookSecret.slice("whsec_".length);
      for (const text of answers.slice(1)) {
        assert.ok(!text.includes(CANARY), "an API answer holds the canary");
      }
      // The webhook secret was shown once, at creation, and never again.
      assert.equal(answers.filter((t) => t.includes(hookKey)).length, 1);
      assert.ok(!server.output().includes(CANARY), "the server's output holds the canary");
      assert.ok(!server.output().includes(hookKey), "the server's output holds the webhook secret");
      // On disk: stop the server so everything is flushed, then read every file as bytes.
      await server.stop();
      const needles = [Buffer.from(CANARY), Buffer.from(hookKey)];
      const files = filesUnder(server.dataDir);
      assert.ok(files.length > 3);
      for (const f of files) {
        const bytes = fs.readFileSync(f);
        for (const n of needles) assert.equal(bytes.indexOf(n), -1, `${path.relative(server.dataDir, f)} holds a secret in clear`);
      }
    });
  });
}
