// The event feed to the account service, end to end on each real host (workerd
// through Miniflare, node:wasi), through the real local server (server_harness.mjs)
// and a receiver on 127.0.0.1 that this test runs (tests/loopback_server.mjs):
//
//   configured by the admin API (the secret shown once); users provisioned by SCIM
//     reach the receiver, every event once or more, in order, each batch carrying a
//     valid Standard Webhooks signature (checked here with node:crypto) and a
//     webhook-id that names its range
//   the receiver closed, more changes meanwhile, the receiver back on the same port:
//     it gets everything, in order, with no gap
//   the dirbridge server restarted mid-backlog: nothing lost
//   bad configurations: a clear 400 each, and nothing changed
//   the secret (a canary) is in no file of the data folder, in no log line and in no
//   answer after the first
// Deliveries are at least once: the receiver dedupes by sequence, as the account
// service must.

import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import { after, before, describe, test } from "node:test";
import fs from "node:fs";
import { startServer } from "./server_harness.mjs";
import { filesUnder, recordingCall, until } from "./e2e_support.mjs";
import { closeServer, listenOnLoopback, readBoundedBody } from "../loopback_server.mjs";

const TEST_ENV = { DIRBRIDGE_TEST_EFFECTS: "1" };

// The receiver: verifies each delivery's signature with `secret()`, records the
// events by sequence and answers `status()` (a 2xx takes them).
async function startReceiver({ port = 0, secret, status = () => 200 }) {
  const r = { deliveries: [], bySequence: new Map(), order: [], bad: [] };
  r.server = http.createServer(async (req, res) => {
    const { raw, over } = await readBoundedBody(req, 1024 * 1024);
    if (over) return res.writeHead(413).end();
    const id = req.headers["webhook-id"];
    const ts = req.headers["webhook-timestamp"];
    // The first delivery can arrive before the PUT that made the secret has answered
    // the test: not ready yet, so "try again later" (the feed retries).
    if (secret() === undefined) return res.writeHead(503).end();
    const key = Buffer.from(secret().slice("whsec_".length), "base64");
    const expected = "v1," + crypto.createHmac("sha256", key).update(`${id}.${ts}.${raw}`).digest("base64");
    const valid = (req.headers["webhook-signature"] || "").split(" ").includes(expected);
    const skew = Math.abs(Number(ts) - Date.now() / 1000);
    if (!valid || !(skew < 300)) {
      r.bad.push({ id, valid, skew });
      return res.writeHead(401).end();
    }
    const code = status();
    const body = JSON.parse(raw);
    r.deliveries.push({ id, status: code, body, path: req.url, contentType: req.headers["content-type"] });
    if (code >= 200 && code < 300) {
      for (const e of body.events) {
        if (!r.bySequence.has(e.sequence)) r.order.push(e.sequence);
        r.bySequence.set(e.sequence, e);
      }
    }
    res.writeHead(code).end();
  });
  if (!port) {
    r.url = await listenOnLoopback(r.server);
  } else {
    // The same port again, after a close.
    await new Promise((resolve, reject) => {
      r.server.once("error", reject);
      r.server.listen(port, "127.0.0.1", resolve);
    });
    r.url = `http://127.0.0.1:${port}`;
  }
  return r;
}

// A receiver on the port of `previous` (closed), that knows what `previous` took: a
// second receiver may get some of those again (at least once) and dedupes them.
async function reopen(previous, options) {
  const port = Number(new URL(previous.url).port);
  const r = await startReceiver({ ...options, port });
  for (const seq of previous.order) {
    r.bySequence.set(seq, previous.bySequence.get(seq));
    r.order.push(seq);
  }
  return r;
}

for (const host of (process.env.HOSTS || "workers,wasi").split(",")) {
  describe(`the event feed on ${host}`, () => {
    let server;
    let tenant;
    let scimToken;
    let secret;
    const answers = [];
    const call = recordingCall(answers);
    const admin = (method, p, body) =>
      call(method, `${server.baseUrl}/admin/v1/tenants/${tenant}${p}`, {
        headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
    const scim = (method, p, body) =>
      call(method, `${server.baseUrl}/t/${tenant}/scim/v2${p}`, {
        headers: { authorization: `Bearer ${scimToken}`, "content-type": "application/scim+json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const createUser = async (name) => {
      const r = await scim("POST", "/Users", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: name,
        emails: [{ value: `${name}@example.com`, type: "work", primary: true }],
        active: true,
      });
      assert.equal(r.status, 201, r.text);
      return r.json;
    };
    const lastSequence = async () => (await admin("GET", "/events/delivery")).json.lastSequence;
    // Everything up to the log's last sequence received, in order, with no gap.
    const receivedAll = async (receiver) => {
      const last = await lastSequence();
      await until(`the receiver has events 1..${last}`, async () => receiver.bySequence.size >= last, 60_000);
      assert.deepEqual(
        receiver.order,
        Array.from({ length: last }, (_, i) => i + 1),
        "first seen in order, no gap",
      );
      assert.equal(receiver.bad.length, 0, "every delivery carried a valid, fresh signature");
      // The cursor moves when the host has the receiver's answer, just after the receiver
      // has the batch: wait for it too.
      await until("the feed's cursor caught up", async () => (await admin("GET", "/events/delivery")).json?.lag === 0, 30_000);
      return last;
    };

    before(async () => {
      server = await startServer({ host, env: TEST_ENV });
      const t = await call("POST", `${server.baseUrl}/admin/v1/tenants`, {
        headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
        body: "{}",
      });
      assert.equal(t.status, 201, t.text);
      tenant = t.json.id;
      const c = await admin("POST", "/connections", { kind: "entra" });
      assert.equal(c.status, 201, c.text);
      scimToken = c.json.token;
    });

    after(async () => {
      if (server) await server.stop();
    });

    let receiver;

    test("configured, it pushes SCIM changes in order, signed, with what the account service needs", async () => {
      receiver = await startReceiver({ secret: () => secret });
      const early = await createUser("before.config");  // before the feed: replayed with from 0
      assert.ok(early.id);
      const put = await admin("PUT", "/events/delivery", { url: `${receiver.url}/feed`, from: 0 });
      assert.equal(put.status, 201, put.text);
      secret = put.json.secret;
      assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
      assert.equal(put.json.cursor, 0);
      const users = [];
      for (let i = 0; i < 5; i++) users.push(await createUser(`user${i}`));
      const suspend = await scim("PATCH", `/Users/${users[0].id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", value: { active: false } }],
      });
      assert.equal(suspend.status, 204, suspend.text);  // Entra's dialect: PATCH answers 204
      const group = await scim("POST", "/Groups", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        displayName: "Engineering",
        members: [{ value: users[1].id }],
      });
      assert.equal(group.status, 201, group.text);
      const renamed = await scim("PATCH", `/Users/${users[1].id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", path: "displayName", value: "User One" }],
      });
      assert.equal(renamed.status, 204, renamed.text);

      const last = await receivedAll(receiver);
      assert.equal(last, 10);
      for (const d of receiver.deliveries) {
        assert.equal(d.path, "/feed");
        assert.equal(d.body.tenant, tenant);
        assert.match(d.contentType, /application\/json/);
        const seqs = d.body.events.map((e) => e.sequence);
        assert.equal(d.id, `${tenant}.${seqs[0]}-${seqs[seqs.length - 1]}`);
        assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => seqs[0] + i), "a batch is a range");
      }
      const created = receiver.bySequence.get(2);
      assert.equal(created.type, "user.provisioned");
      assert.equal(created.user, users[0].id);
      assert.equal(created.data.userName, "user0");
      assert.equal(created.data.email, "user0@example.com");
      assert.equal(created.data.state, "active");
      const suspended = [...receiver.bySequence.values()].find((e) => e.type === "user.suspended");
      assert.equal(suspended.user, users[0].id);
      assert.equal(suspended.data.state, "suspended");
      const updated = [...receiver.bySequence.values()].find((e) => e.type === "user.updated");
      assert.deepEqual(updated.data.groups, [{ id: group.json.id, displayName: "Engineering" }]);
      // The same shape GET events gives.
      const listed = await admin("GET", "/events?after=0&limit=100");
      assert.deepEqual(listed.json.events, Array.from({ length: last }, (_, i) => receiver.bySequence.get(i + 1)));

      const status = await admin("GET", "/events/delivery");
      assert.equal(status.status, 200, status.text);
      assert.equal(status.json.cursor, last);
      assert.equal(status.json.lag, 0);
      assert.equal(status.json.delivered, last);
      assert.equal(status.json.busy, false);
      assert.equal(status.json.secretFingerprint, put.json.secretFingerprint);
    });

    test("a receiver that was down gets everything on return, in order, with no gap", async () => {
      await closeServer(receiver.server);
      for (let i = 0; i < 4; i++) await createUser(`while.down${i}`);
      await until("a failed delivery noted", async () => (await admin("GET", "/events/delivery")).json.lastError, 30_000);
      const status = (await admin("GET", "/events/delivery")).json;
      assert.ok(status.lag >= 4, JSON.stringify(status));
      assert.equal((await admin("GET", "/effects?phase=parked")).json.effects.length, 0, "nothing parked");
      receiver = await reopen(receiver, { secret: () => secret });
      await createUser("after.return");
      await receivedAll(receiver);
    });

    test("bad configurations are refused and change nothing", async () => {
      const before = (await admin("GET", "/events/delivery")).json;
      for (const body of [
        "{",
        "[]",
        { url: 5 },
        {},
        { url: "ftp://example.com/x" },
        { url: "http://receiver.example/feed" },
        { url: "https://user:pw@receiver.example/feed" },
        { url: "https://receiver.example/feed#x" },
        { url: "https:///feed" },
        { url: `https://receiver.example/${"a".repeat(3000)}` },
        { url: "https://receiver.example/", from: -1 },
        { url: "https://receiver.example/", from: 1e9 },
        { url: "https://receiver.example/", from: "3" },
        { url: "https://receiver.example/", other: 1 },
      ]) {
        const r = await admin("PUT", "/events/delivery", body);
        assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
        assert.ok(r.json.detail, r.text);
      }
      const after = (await admin("GET", "/events/delivery")).json;
      assert.deepEqual(after, before);
      assert.equal((await admin("PATCH", "/events/delivery", {})).status, 405);
      assert.equal((await admin("GET", "/events/delivery/secret")).status, 405);
      const noAuth = await call("GET", `${server.baseUrl}/admin/v1/tenants/${tenant}/events/delivery`);
      assert.equal(noAuth.status, 401);
    });

    test("the server restarted mid-backlog loses nothing", async () => {
      let failing = true;
      await closeServer(receiver.server);
      receiver = await reopen(receiver, { secret: () => secret, status: () => (failing ? 503 : 200) });
      for (let i = 0; i < 5; i++) await createUser(`backlog${i}`);
      await until("a 503 seen", async () => receiver.deliveries.some((d) => d.status === 503), 30_000);
      await server.stop();
      server = await startServer({ host, dataDir: server.dataDir, env: TEST_ENV });
      failing = false;
      await receivedAll(receiver);
      const status = (await admin("GET", "/events/delivery")).json;
      assert.equal(status.lag, 0);
    });

    test("the secret rotates, is shown once and appears nowhere else", async () => {
      const first = secret;
      const rotated = await admin("POST", "/events/delivery/secret");
      assert.equal(rotated.status, 200, rotated.text);
      secret = rotated.json.secret;
      assert.notEqual(secret, first);
      await createUser("after.rotation");
      await receivedAll(receiver);
      const shown = answers.filter((a) => a.includes(first.slice(6)) || a.includes(secret.slice(6)));
      assert.equal(shown.length, 2, "each secret in exactly one answer (the one that made it)");
      for (const f of filesUnder(server.dataDir)) {
        const data = fs.readFileSync(f).toString("latin1");
        for (const s of [first, secret]) {
          assert.ok(!data.includes(s.slice(6)), `${f} holds a signing secret`);
          const key = Buffer.from(s.slice(6), "base64");
          assert.ok(!fs.readFileSync(f).includes(key), `${f} holds a signing key's bytes`);
        }
      }
      assert.ok(!server.output().includes(first.slice(6)) && !server.output().includes(secret.slice(6)));

      const stopped = await admin("DELETE", "/events/delivery");
      assert.equal(stopped.status, 204);
      assert.equal((await admin("GET", "/events/delivery")).status, 404);
      const count = receiver.deliveries.length;
      await createUser("after.stop");
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(receiver.deliveries.length, count, "a stopped feed sends nothing");
      await closeServer(receiver.server);
    });
  });
}
