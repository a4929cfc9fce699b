// The event feed to the account service through workerd: how fast dirbridge pushes a
// tenant's event log to a receiver on 127.0.0.1 (signed batches of up to 100 events,
// one in flight, each acknowledged before the next).
//
//   node bench/event_feed_bench.mjs
//
// Starts the local server on workerd (tests/e2e/server_harness.mjs, with
// DIRBRIDGE_TEST_EFFECTS=1 so the receiver may be plain http:// on loopback) and a
// receiver that checks every signature (node:crypto) and answers 200. Then:
//   - backlog replay: BENCH_FEED_USERS (2,000) users created by SCIM first, then the
//     feed configured with from 0; timed from the PUT until the receiver has every
//     event: events/s, batches;
//   - live: the same number of users created with the feed on (8 SCIM calls at a
//     time); timed from the first create until the receiver has every event, and the
//     lag after the last create was answered;
//   - offboarding latency: BENCH_FEED_OFFBOARDS (100) users offboarded one after the
//     other through the admin API; each timed from the call until the receiver has that
//     user's `user.offboarded` event: p50 / p99 / max.
// Exit status 1 if something does not happen as promised (printed as NOT MEASURED).

import crypto from "node:crypto";
import http from "node:http";
import os from "node:os";
import { adminApi, recordingCall, until as untilDone } from "../tests/e2e/e2e_support.mjs";
import { startServer } from "../tests/e2e/server_harness.mjs";
import { closeServer, listenOnLoopback, readBoundedBody } from "../tests/loopback_server.mjs";
import { entraUser, envInt, fmt, printTable } from "./lib.mjs";

const USERS = envInt("BENCH_FEED_USERS", 2000);
const OFFBOARDS = envInt("BENCH_FEED_OFFBOARDS", 100);
const CONCURRENCY = 8;

const server = await startServer({ host: "workers", env: { DIRBRIDGE_TEST_EFFECTS: "1" } });
const adminCall = adminApi(() => server, recordingCall([]));
const until = (what, fn, timeoutMs) => untilDone(what, fn, timeoutMs, 10);
let failed = null;

// The receiver: every delivery verified with the current tenant's secret.
const receiver = { secrets: new Map(), seen: new Map(), batches: new Map(), offboarded: new Map(), bad: 0 };
receiver.server = http.createServer(async (req, res) => {
  const { raw, over } = await readBoundedBody(req, 1024 * 1024);
  if (over) return res.writeHead(413).end();
  const body = JSON.parse(raw);
  const secret = receiver.secrets.get(body.tenant) || "whsec_";
  const key = Buffer.from(secret.slice(6), "base64");
  const id = req.headers["webhook-id"];
  const ts = req.headers["webhook-timestamp"];
  const expected = "v1," + crypto.createHmac("sha256", key).update(`${id}.${ts}.${raw}`).digest("base64");
  if (req.headers["webhook-signature"] !== expected) {
    receiver.bad++;
    return res.writeHead(401).end();
  }
  const seen = receiver.seen.get(body.tenant) || new Set();
  for (const e of body.events) {
    seen.add(e.sequence);
    if (e.type === "user.offboarded") receiver.offboarded.set(e.user, performance.now());
  }
  receiver.seen.set(body.tenant, seen);
  receiver.batches.set(body.tenant, (receiver.batches.get(body.tenant) || 0) + 1);
  res.writeHead(200).end();
});
const receiverUrl = await listenOnLoopback(receiver.server);

async function tenantWithScim(tenant) {
  if ((await adminCall("POST", "", { id: tenant })).status !== 201) throw new Error("cannot create the tenant");
  const c = (await adminCall("POST", `/${tenant}/connections`, { kind: "entra" })).json;
  return async (i, prefix) => {
    const r = await fetch(`${c.scimBaseUrl}/Users`, {
      method: "POST",
      headers: { authorization: `Bearer ${c.token}`, "content-type": "application/scim+json" },
      body: JSON.stringify(entraUser(i, prefix)),
    });
    await r.arrayBuffer();
    if (r.status !== 201) throw new Error(`a SCIM create answered ${r.status}`);
  };
}

async function createAll(create, prefix) {
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < USERS) await create(next++, prefix);
  }));
}

async function configure(tenant, from) {
  const put = await adminCall("PUT", `/${tenant}/events/delivery`, { url: `${receiverUrl}/feed`, ...(from === undefined ? {} : { from }) });
  if (put.status !== 201) throw new Error(`PUT events/delivery answered ${put.status}: ${put.text}`);
  receiver.secrets.set(tenant, put.json.secret);
}

const has = (tenant, n) => async () => (receiver.seen.get(tenant)?.size || 0) >= n;

try {
  console.log(`# Event feed bench: workerd (Workers build) on 127.0.0.1, receiver on 127.0.0.1, Node ${process.version}; ` +
    `${USERS} users per run`);
  const rows = [];

  // ---- backlog replay
  const replay = await tenantWithScim("bench-feed-replay");
  await createAll(replay, "replay");
  let started = Date.now();
  await configure("bench-feed-replay", 0);
  await until("the backlog delivered", has("bench-feed-replay", USERS), 10 * 60 * 1000);
  let seconds = (Date.now() - started) / 1000;
  rows.push(["backlog replay (PUT with from 0 until the receiver has every event)", fmt(USERS),
    fmt(receiver.batches.get("bench-feed-replay")), fmt(seconds * 1000), fmt(USERS / seconds), ""]);

  // ---- live
  await tenantWithScim("bench-feed-live").then(async (live) => {
    await configure("bench-feed-live");
    started = Date.now();
    await createAll(live, "live");
    const created = Date.now();
    await until("the live events delivered", has("bench-feed-live", USERS), 10 * 60 * 1000);
    const done = Date.now();
    seconds = (done - started) / 1000;
    rows.push(["live (SCIM creates, 8 at a time, until the receiver has every event)", fmt(USERS),
      fmt(receiver.batches.get("bench-feed-live")), fmt(seconds * 1000), fmt(USERS / seconds), fmt(done - created)]);
  });

  // ---- offboarding latency: the admin's call until the receiver has user.offboarded
  const tenant = "bench-feed-offboard";
  if ((await adminCall("POST", "", { id: tenant })).status !== 201) throw new Error("cannot create the tenant");
  const conn = (await adminCall("POST", `/${tenant}/connections`, { kind: "entra" })).json;
  const ids = [];
  for (let i = 0; i < OFFBOARDS; i++) {
    const r = await fetch(`${conn.scimBaseUrl}/Users`, {
      method: "POST",
      headers: { authorization: `Bearer ${conn.token}`, "content-type": "application/scim+json" },
      body: JSON.stringify(entraUser(i, "offboard")),
    });
    const created = await r.json();
    if (r.status !== 201) throw new Error(`a SCIM create answered ${r.status}`);
    ids.push(created.id);
  }
  await configure(tenant);  // from the log's end: only what happens next is pushed
  const latencies = [];
  for (const id of ids) {
    const t0 = performance.now();
    const r = await adminCall("POST", `/${tenant}/users/${id}/offboard`, { by: "bench", reason: "latency probe" });
    if (r.status !== 200) throw new Error(`offboard answered ${r.status}: ${r.text}`);
    await until(`user.offboarded of ${id} delivered`, async () => receiver.offboarded.has(id), 60 * 1000);
    latencies.push(receiver.offboarded.get(id) - t0);
  }
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
  if (receiver.bad) throw new Error(`${receiver.bad} deliveries carried a bad signature`);
  console.log("");
  printTable(["measure", "events", "batches", "ms", "events/s", "lag after last create ms"], rows);
  console.log("");
  printTable(["measure", "offboardings", "p50 ms", "p99 ms", "max ms"], [
    ["offboarding: admin call until user.offboarded is at the receiver", fmt(OFFBOARDS), fmt(pct(50)), fmt(pct(99)),
      fmt(latencies.at(-1))],
  ]);
  console.log(`machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}`);
} catch (e) {
  failed = e;
} finally {
  await server.stop();
  await closeServer(receiver.server);
}
if (failed) {
  console.log(`\nNOT MEASURED: ${failed.message}`);
  process.exitCode = 1;
}
