// Effects, the transactional outbox and timers, end to end on both hosts (workerd
// through Miniflare, node:wasi), through the real local server (server_harness.mjs)
// and a real HTTP target on 127.0.0.1 that this test runs. The trigger is the admin
// API's test-only route (functions/admin/effects_api.h, open with
// DIRBRIDGE_TEST_EFFECTS=1): it commits a record and an effect in one batch; the
// effect's continuation ("test.record") records what came back.
//
//   delivered: the request arrives as staged, the continuation runs, and the effect
//     it emits in turn is delivered too
//   a target that is down, then failing, is retried with growing delays and the
//     effect lands when it answers
//   kill -9 between commit and send (DIRBRIDGE_SEND_DELAY_MS holds the send back):
//     the restarted server sends it
//   parked after its last attempt, listed as failed, retried by the admin, landed
//   a timer wakes its continuation; an unknown continuation parks, changing nothing
//   every bad input: a clear 4xx, and nothing committed, the same on both hosts

import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, test } from "node:test";
import { freePort, startServer } from "./server_harness.mjs";
import { until } from "./e2e_support.mjs";

const TEST_ENV = { DIRBRIDGE_TEST_EFFECTS: "1" };

// The HTTP target: answers by `behave(req, count)` -> {status, headers?, body?} and
// records every request it gets ({method, path, headers, body, at}).
async function startTarget({ port = 0, behave = () => ({ status: 200, body: "pong" }) } = {}) {
  const received = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ method: req.method, path: req.url, headers: req.headers, body, at: Date.now() });
      const a = target.behave(req, received.length);
      res.writeHead(a.status, { "content-type": "text/plain", ...(a.headers || {}) });
      res.end(a.body ?? "");
    });
  });
  const target = { received, behave, server };
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  target.url = `http://127.0.0.1:${server.address().port}`;
  target.close = () =>
    new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    });
  return target;
}

async function call(method, url, { token, json, raw } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (json !== undefined || raw !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(url, { method, headers, body: raw ?? (json === undefined ? undefined : JSON.stringify(json)) });
  const text = await res.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: res.status, text, json: body };
}

for (const host of ["workers", "wasi"]) {
  describe(`effects and timers on ${host}`, () => {
    let server;
    let tenant;
    let admin;

    const api = (path) => `${server.baseUrl}/admin/v1/tenants/${tenant}${path}`;
    const trigger = (json) => call("POST", api("/effects/test"), { token: server.adminToken, json });
    const record = async (note) => call("GET", api(`/effects/test/${encodeURIComponent(note)}`), { token: admin() });
    const delivered = (note) =>
      until(`${note} delivered`, async () => {
        const r = await record(note);
        return r.status === 200 && r.json.stage === "delivered" ? r.json : null;
      });
    const effects = async (phase) =>
      (await call("GET", api(`/effects${phase ? `?phase=${phase}` : ""}`), { token: admin() })).json.effects;

    before(async () => {
      server = await startServer({ host, env: TEST_ENV });
      admin = () => server.adminToken;
      const t = await call("POST", `${server.baseUrl}/admin/v1/tenants`, { token: admin(), json: {} });
      assert.equal(t.status, 201, t.text);
      tenant = t.json.id;
    });

    after(async () => {
      if (server) await server.stop();
    });

    test("an effect is delivered after its commit and its continuation runs, emitting another", async () => {
      const target = await startTarget();
      try {
        const r = await trigger({
          note: "hello",
          url: `${target.url}/hook?x=1`,
          method: "PUT",
          headers: { "X-Custom": "abc", "content-type": "application/json" },
          body: '{"a":1}',
          chain: `${target.url}/chained`,
        });
        assert.equal(r.status, 202, r.text);
        assert.match(r.json.id, /^\d{13}-[0-9a-f]{16}$/);
        const rec = await delivered("hello");
        assert.equal(rec.status, 200);
        assert.equal(rec.body, "pong");
        assert.equal(rec.attempts, 1);
        assert.equal(rec.id, r.json.id);
        const first = target.received[0];
        assert.equal(first.method, "PUT");
        assert.equal(first.path, "/hook?x=1");
        assert.equal(first.headers["x-custom"], "abc");
        assert.equal(first.body, '{"a":1}');
        // The continuation emitted a second effect, delivered in turn.
        const chained = await delivered("hello-chained");
        assert.equal(chained.status, 200);
        assert.equal(target.received.length, 2);
        assert.equal(target.received[1].path, "/chained");
        assert.deepEqual(JSON.parse(target.received[1].body), { note: "hello-chained" });
        assert.deepEqual(await until("an empty outbox", async () => ((await effects()).length === 0 ? [] : null)), []);
      } finally {
        await target.close();
      }
    });

    test("a target that is down is retried with backoff and the effect lands when it comes back", async () => {
      const port = await freePort();
      const r = await trigger({ note: "down", url: `http://127.0.0.1:${port}/late`, maxAttempts: 10 });
      assert.equal(r.status, 202, r.text);
      // Nothing listens: network errors, retried.
      const pending = await until("a failed attempt", async () => {
        const [e] = await effects("pending");
        return e && e.attempts >= 1 && /network error/.test(e.lastError || "") ? e : null;
      });
      assert.equal(pending.id, r.json.id);
      assert.equal((await record("down")).json.stage, "emitted");
      // Back, but failing twice more (503) before it answers.
      const target = await startTarget({
        port,
        behave: (req, n) => (n <= 2 ? { status: 503, body: "busy" } : { status: 201, body: "landed" }),
      });
      try {
        const rec = await delivered("down");
        assert.equal(rec.status, 201);
        assert.equal(rec.body, "landed");
        assert.ok(rec.attempts >= 4, `attempts ${rec.attempts}`);
        assert.equal(target.received.length, 3);
        const [a, b, c] = target.received.map((x) => x.at);
        // Each wait at least half the doubled base (jitter in the upper half): growing.
        const attemptOfA = rec.attempts - 2;
        const half = (n) => 500 * 2 ** (n - 1);
        assert.ok(b - a >= half(attemptOfA) - 150, `second wait ${b - a} ms after attempt ${attemptOfA}`);
        assert.ok(c - b >= half(attemptOfA + 1) - 150, `third wait ${c - b} ms`);
        assert.ok(c - b > (b - a) / 2);
        assert.equal((await effects()).length, 0);
      } finally {
        await target.close();
      }
    });

    test("after its last attempt an effect is parked, listed as failed, and an admin retry lands it", async () => {
      let status = 500;
      const target = await startTarget({ behave: () => ({ status, body: status === 200 ? "finally" : "no" }) });
      try {
        const r = await trigger({ note: "parked", url: `${target.url}/p`, maxAttempts: 2 });
        assert.equal(r.status, 202, r.text);
        const [parked] = await until("the effect parked", async () => {
          const list = await effects("parked");
          return list.length ? list : null;
        });
        assert.equal(parked.id, r.json.id);
        assert.equal(parked.phase, "parked");
        assert.equal(parked.attempts, 2);
        assert.equal(parked.lastStatus, 500);
        assert.match(parked.lastError, /answered 500 \(attempt 2 of 2\)/);
        assert.equal(parked.request.url, `${target.url}/p`);
        assert.equal(parked.request.body, undefined, "bodies are not listed");
        assert.equal(target.received.length, 2);
        assert.equal((await record("parked")).json.stage, "emitted", "the continuation did not run");
        await new Promise((res) => setTimeout(res, 1500));
        assert.equal(target.received.length, 2, "a parked effect is not sent again");

        status = 200;
        const retried = await call("POST", api(`/effects/${r.json.id}/retry`), { token: admin() });
        assert.equal(retried.status, 200, retried.text);
        assert.equal(retried.json.phase, "pending");
        const rec = await delivered("parked");
        assert.equal(rec.body, "finally");
        assert.equal(rec.attempts, 1);
        assert.equal(target.received.length, 3);
        const again = await call("POST", api(`/effects/${r.json.id}/retry`), { token: admin() });
        assert.equal(again.status, 404, again.text);
        assert.equal(again.json.error, "notFound");
      } finally {
        await target.close();
      }
    });

    test("a timer wakes its continuation at its time", async () => {
      const asked = Date.now();
      const r = await trigger({ note: "timer", wakeInMs: 1500 });
      assert.equal(r.status, 202, r.text);
      assert.equal((await record("timer")).json.stage, "emitted");
      const rec = await delivered("timer");
      assert.equal(rec.timer, true);
      assert.ok(rec.at >= asked + 1500, `woken ${rec.at - asked} ms after asking`);
    });

    test("an unknown continuation parks its effect with a clear error and changes nothing else", async () => {
      const target = await startTarget();
      try {
        const r = await trigger({ note: "unknown", url: `${target.url}/u`, continuation: "no.such" });
        assert.equal(r.status, 202, r.text);
        const [parked] = await until("the effect parked", async () => {
          const list = await effects("parked");
          const mine = list.filter((e) => e.id === r.json.id);
          return mine.length ? mine : null;
        });
        assert.equal(
          parked.lastError,
          "continuation 'no.such' failed: module admin has no continuation named 'no.such'",
        );
        assert.equal((await record("unknown")).json.stage, "emitted");
        // The outbox counts every stored entry against the tenant's limit; deleting a
        // parked one frees its place.
        const listing = async () => (await call("GET", api("/effects"), { token: admin() })).json;
        const full = await listing();
        assert.equal(full.limit, 10000);
        assert.equal(full.stored, full.effects.length, JSON.stringify(full));
        const removed = await call("DELETE", api(`/effects/${r.json.id}`), { token: admin() });
        assert.equal(removed.status, 204, removed.text);
        const after = await listing();
        assert.equal(after.stored, after.effects.length, JSON.stringify(after));
        assert.ok(after.stored <= full.stored - 1);
        assert.ok(!after.effects.some((e) => e.id === r.json.id));
        assert.equal((await call("DELETE", api(`/effects/${r.json.id}`), { token: admin() })).status, 404);
      } finally {
        await target.close();
      }
    });

    test("every bad input is a clear 4xx and commits nothing", async () => {
      const before = await effects();
      const bad = [
        [{ note: "b1", url: "ftp://127.0.0.1/x" }, /http:\/\/ or https:\/\//],
        [{ note: "b2", url: "http:///nohost" }, /with a host/],
        [{ note: "b3" }, /'url' is required/],
        [{ url: "http://127.0.0.1:9/" }, /'note'/],
        [{ note: "b4", url: "http://127.0.0.1:9/", maxAttempts: 0 }, /maxAttempts/],
        [{ note: "b5", url: "http://127.0.0.1:9/", maxAttempts: 13 }, /maxAttempts/],
        [{ note: "b6", url: "http://127.0.0.1:9/", method: "TRACE" }, /method/],
        [{ note: "b7", url: "http://127.0.0.1:9/", headers: { "a b": "x" } }, /token/],
        [{ note: "b8", url: "http://127.0.0.1:9/", headers: { a: "x\r\ny: z" } }, /control/],
        [{ note: "b9", url: "http://127.0.0.1:9/", headers: { a: 1 } }, /headers/],
        [{ note: "b10", url: "http://127.0.0.1:9/", continuation: "a/b" }, /continuation name/],
        [{ note: "b11", url: "http://127.0.0.1:9/", chain: "gopher://x" }, /http:\/\//],
        [{ note: "b12", wakeInMs: -1 }, /wakeInMs/],
        [{ note: "b13", url: "http://127.0.0.1:9/", body: 5 }, /'body'/],
      ];
      for (const [json, detail] of bad) {
        const r = await trigger(json);
        assert.equal(r.status, 400, `${JSON.stringify(json)}: ${r.text}`);
        assert.equal(r.json.error, "invalidInput");
        assert.match(r.json.detail, detail);
        if (json.note) assert.equal((await record(json.note)).status, 404, `${json.note} left a record`);
      }
      for (const raw of ["{", "[]", '"x"']) {
        const r = await call("POST", api("/effects/test"), { token: admin(), raw });
        assert.equal(r.status, 400, r.text);
      }
      assert.deepEqual(await effects(), before, "no effect was staged");

      const pending = await trigger({ note: "later", wakeInMs: 3_600_000 });
      assert.equal(pending.status, 202);
      const notParked = await call("POST", api(`/effects/${pending.json.id}/retry`), { token: admin() });
      assert.equal(notParked.status, 409, notParked.text);
      assert.match(notParked.json.detail, /is not parked/);
      const missing = await call("POST", api("/effects/0000000000000-0000000000000000/retry"), { token: admin() });
      assert.equal(missing.status, 404, missing.text);
      assert.equal((await call("GET", api("/effects?phase=bogus"), { token: admin() })).status, 400);
      assert.equal((await call("GET", api("/effects?limit=0"), { token: admin() })).status, 400);
      assert.equal((await call("DELETE", api("/effects"), { token: admin() })).status, 405);
      assert.equal((await call("GET", api(`/effects/${pending.json.id}/retry`), { token: admin() })).status, 405);
      assert.equal((await call("GET", api("/effects"), {})).status, 401);
      const after = await effects();
      assert.equal(after.length, before.length + 1);
      assert.equal(after.find((e) => e.id === pending.json.id).phase, "pending");
    });
  });

  describe(`an effect survives kill -9 between its commit and its send on ${host}`, () => {
    test("the restarted server sends it", async () => {
      const target = await startTarget({ behave: () => ({ status: 200, body: "after restart" }) });
      let server = await startServer({ host, env: { ...TEST_ENV, DIRBRIDGE_SEND_DELAY_MS: "3000" } });
      try {
        const t = await call("POST", `${server.baseUrl}/admin/v1/tenants`, { token: server.adminToken, json: {} });
        assert.equal(t.status, 201, t.text);
        const api = (s, p) => `${s.baseUrl}/admin/v1/tenants/${t.json.id}${p}`;
        const r = await call("POST", api(server, "/effects/test"), {
          token: server.adminToken,
          json: { note: "crash", url: `${target.url}/crash` },
        });
        assert.equal(r.status, 202, r.text);
        await server.kill();
        await new Promise((res) => setTimeout(res, 3500));
        assert.equal(target.received.length, 0, "the killed server sent nothing");

        server = await startServer({ host, dataDir: server.dataDir, env: TEST_ENV });
        const rec = await until("the effect sent after the restart", async () => {
          const x = await call("GET", api(server, "/effects/test/crash"), { token: server.adminToken });
          return x.status === 200 && x.json.stage === "delivered" ? x.json : null;
        });
        assert.equal(rec.body, "after restart");
        assert.equal(target.received.length, 1);
        assert.equal(target.received[0].path, "/crash");
      } finally {
        await server.stop();
        await target.close();
      }
    });
  });

  describe(`test-only effect routes are closed by default on ${host}`, () => {
    test("without DIRBRIDGE_TEST_EFFECTS the trigger is 404, and the outbox API answers", async () => {
      const server = await startServer({ host });
      try {
        const t = await call("POST", `${server.baseUrl}/admin/v1/tenants`, { token: server.adminToken, json: {} });
        const base = `${server.baseUrl}/admin/v1/tenants/${t.json.id}`;
        const r = await call("POST", `${base}/effects/test`, {
          token: server.adminToken,
          json: { note: "x", url: "http://127.0.0.1:9/" },
        });
        assert.equal(r.status, 404, r.text);
        const list = await call("GET", `${base}/effects`, { token: server.adminToken });
        assert.equal(list.status, 200, list.text);
        assert.deepEqual(list.json.effects, []);
      } finally {
        await server.stop();
      }
    });
  });
}
