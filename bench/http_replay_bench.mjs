// Replays a Microsoft Entra-style initial provisioning cycle over HTTP against
//   (a) dirbridge: the Workers build under workerd (Miniflare), started with
//       tests/e2e/server_harness.mjs, Durable Object storage persisted to a temp dir;
//   (b) a SCIMMY peer (bench/scimmy_peer.mjs: npm scimmy + scimmy-routers on express,
//       in-memory), in a child process of its own;
// both on 127.0.0.1 with a bearer token, and prints requests per second.
//
//   node bench/http_replay_bench.mjs
//
// The cycle, as Entra's provisioning service runs it for a new application:
//   for each user:  GET /Users?filter=userName eq "x"            (nothing found)
//                   POST /Users                                   (201)
//   for each group: GET /Groups?excludedAttributes=members&filter=displayName eq "g"
//                   POST /Groups {displayName, members: []}       (201)
//   then            PATCH /Groups/{id} {"op":"Add","path":"members","value":[...]}
//                   with BENCH_MEMBERS_PER_PATCH members each
// Groups: "All staff" (every user) and one department group per 100 users; so each
// user has two memberships. A fixed number of clients (BENCH_CONCURRENCY) pull units
// (a user's GET+POST, a group's GET+POST, one PATCH) from a shared queue. Every answer
// is checked; an unexpected status stops the run with the answer's body. At the end
// the state is verified (user count, group member counts where the server shows them).
//
// Settings (environment):
//   BENCH_HTTP_SIZES          comparison sizes (users)        default 300,2000
//   BENCH_CONCURRENCY         concurrent clients              default 4
//   BENCH_MEMBERS_PER_PATCH   members per membership PATCH    default 50
//   BENCH_FLAT_USERS          target size of the flatness run default 100000 (0 = skip)
//   BENCH_FLAT_SECONDS        time budget of dirbridge's flatness run: it stops at
//                             BENCH_FLAT_USERS or then, whichever comes first
//                                                             default 120
//   BENCH_PEER_FLAT_SECONDS   the same for the SCIMMY peer    default 60
//   BENCH_FLAT_WINDOW         users per rate window           default 1000
//   BENCH_HTTP_SECONDS        time budget of any one replay   default 900
// With the defaults this bench takes about 3 minutes on a 2-CPU machine (npm run bench,
// both benches, about 4.5); for the full 100,000-user flatness check set
// BENCH_FLAT_SECONDS=400 (100,000 users took about 3 minutes at ~1,150 requests/s on a
// quiet machine; a busy one is 2-3 times slower).
//
// Exit status 1 if something could not be measured (the reason is printed).

import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "../tests/e2e/server_harness.mjs";
import {
  AnswerError,
  SCIM_GROUP,
  entraUser,
  envInt,
  envIntList,
  fmt,
  membersAdd,
  printTable,
} from "./lib.mjs";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SIZES = envIntList("BENCH_HTTP_SIZES", [300, 2000]);
const CONCURRENCY = Math.max(1, envInt("BENCH_CONCURRENCY", 4));
const MEMBERS_PER_PATCH = Math.max(1, envInt("BENCH_MEMBERS_PER_PATCH", 50));
const FLAT_USERS = envInt("BENCH_FLAT_USERS", 100_000);
const FLAT_SECONDS = envInt("BENCH_FLAT_SECONDS", 120);
const FLAT_WINDOW = Math.max(100, envInt("BENCH_FLAT_WINDOW", 1000));
const PEER_FLAT_SECONDS = envInt("BENCH_PEER_FLAT_SECONDS", 60);
const REPLAY_SECONDS = envInt("BENCH_HTTP_SECONDS", 900);
const REQUEST_TIMEOUT_MS = 60_000;
const DEPT_SIZE = 100;

const log = (...a) => console.error(...a);

// ---- HTTP client (loopback only) ---------------------------------------------------
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function call(url, method, token, json) {
  const u = new URL(url);
  if (u.protocol !== "http:" || !/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(u.hostname)) {
    return Promise.reject(new Error(`refusing a non-loopback target: ${url}`));
  }
  const body = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
  const headers = { accept: "application/scim+json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body) {
    headers["content-type"] = "application/scim+json";
    headers["content-length"] = body.length;
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers, agent, timeout: REQUEST_TIMEOUT_MS },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed = null;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            parsed = text;
          }
          resolve({ status: res.statusCode, text, body: parsed });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${url}: no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

async function expectCall(target, method, p, json, ok) {
  const res = await call(target.base + p, method, target.token, json);
  if (!ok.includes(res.status)) throw new AnswerError(`${target.name}: ${method} ${p}`, res.status, res.text);
  return res.body;
}

// ---- servers -----------------------------------------------------------------------
const running = new Set(); // cleanup functions of everything started
const peerGroups = new Set(); // process groups of running peers, for the exit hook
let stopping = false; // set by SIGINT/SIGTERM: start nothing more, stop what runs

function checkStopping() {
  if (stopping) throw new Error("stopped by a signal");
}

// Stops the server and removes its data directory.
async function startOurs() {
  checkStopping();
  log("starting dirbridge (workerd via Miniflare, persisted to a temp dir) ...");
  const server = await startServer({ host: "workers" });
  const stop = async () => {
    running.delete(stop);
    try {
      await server.stop();
    } finally {
      fs.rmSync(server.dataDir, { recursive: true, force: true });
    }
  };
  running.add(stop);
  checkStopping(); // a signal may have come while it started
  return { server, stop };
}

async function oursTarget(server, label) {
  const admin = async (p, json) => {
    const res = await call(server.baseUrl + p, "POST", server.adminToken, json);
    if (res.status !== 201) throw new AnswerError(`dirbridge: POST ${p}`, res.status, res.text);
    return res.body;
  };
  const tenant = await admin("/admin/v1/tenants", { name: `Bench ${label}` });
  const conn = await admin(`/admin/v1/tenants/${encodeURIComponent(tenant.id)}/connections`, { kind: "entra" });
  return { name: "dirbridge", base: conn.scimBaseUrl.replace(/\/$/, ""), token: conn.token };
}

// A fresh SCIMMY peer process (fresh memory) in its own process group.
async function startPeer() {
  checkStopping();
  const token = crypto.randomBytes(24).toString("base64url");
  const child = spawn(process.execPath, [path.join(REPO_ROOT, "bench/scimmy_peer.mjs")], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, SCIMMY_TOKEN: token, PORT: "" },
  });
  peerGroups.add(child.pid);
  const exited = new Promise((resolve) =>
    child.once("exit", (code, signal) => {
      peerGroups.delete(child.pid);
      resolve({ code, signal });
    }),
  );
  const killGroup = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch (e) {
      if (e.code !== "ESRCH") throw e;
    }
  };
  const stop = async () => {
    running.delete(stop);
    killGroup("SIGTERM");
    const done = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 5000))]);
    killGroup("SIGKILL");
    if (!done) await exited;
  };
  running.add(stop);
  let output = "";
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the SCIMMY peer did not get ready in 30 s")), 30_000);
    child.stdout.setEncoding("utf8").on("data", (c) => {
      output += c;
      const m = /scimmy peer ready at (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr.setEncoding("utf8").on("data", (c) => (output += c));
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the SCIMMY peer exited (code ${code}, signal ${signal})`));
    });
  }).catch(async (e) => {
    await stop();
    throw new Error(`${e.message}\n--- peer output ---\n${output}`);
  });
  return { target: { name: "SCIMMY", base, token }, stop, output: () => output };
}

async function stopAll() {
  for (const stop of [...running]) await stop().catch((e) => log(`stop failed: ${e.message}`));
}
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    log(`${sig}: stopping servers`);
    await stopAll();
    process.exit(130);
  });
}
// Last resort, synchronous: no peer outlives this process.
process.on("exit", () => {
  for (const pgid of peerGroups) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

// ---- the replay --------------------------------------------------------------------
// Runs `units` (async functions, each returning its request count) with CONCURRENCY
// workers. onDone(doneCount, now) after each unit; stops when the deadline passes.
async function runUnits(units, { deadline, onDone } = {}) {
  let next = 0;
  let done = 0;
  let requests = 0;
  let stoppedEarly = false;
  const worker = async () => {
    while (next < units.length) {
      checkStopping();
      if (deadline && performance.now() > deadline) {
        stoppedEarly = true;
        return;
      }
      const unit = units[next++];
      const n = await unit(); // not `requests += await unit()`: that reads requests before awaiting
      requests += n;
      done++;
      if (onDone) onDone(done, performance.now());
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, units.length) }, worker));
  return { requests, done, stoppedEarly };
}

const filterQ = (attr, v) => encodeURIComponent(`${attr} eq "${v}"`);

function userUnit(target, i, ids) {
  return async () => {
    const body = entraUser(i, "u");
    const found = await expectCall(target, "GET", `/Users?filter=${filterQ("userName", body.userName)}`, undefined, [200]);
    if (!found || found.totalResults !== 0) {
      throw new Error(`${target.name}: filter for new user ${body.userName} found ${JSON.stringify(found).slice(0, 300)}`);
    }
    const created = await expectCall(target, "POST", "/Users", body, [201]);
    ids[i] = created.id;
    return 2;
  };
}

function groupPlan(users) {
  const depts = Math.ceil(users / DEPT_SIZE);
  const groups = [{ displayName: "All staff", members: Array.from({ length: users }, (_, i) => i) }];
  for (let d = 0; d < depts; d++) {
    const members = [];
    for (let i = d; i < users; i += depts) members.push(i);
    groups.push({ displayName: `Department ${d}`, members });
  }
  return groups;
}

// A whole initial cycle. Returns {requests, seconds, phases: [{name, requests,
// seconds}]}, or, if a request failed, {phases done so far, error}. The state check
// after the cycle is not timed.
async function replay(target, users) {
  const deadline = performance.now() + REPLAY_SECONDS * 1000;
  const phases = [];
  const phase = async (name, units) => {
    const t0 = performance.now();
    const r = await runUnits(units, { deadline });
    if (r.stoppedEarly) throw new Error(`${target.name}: the ${name} phase passed BENCH_HTTP_SECONDS=${REPLAY_SECONDS}`);
    phases.push({ name, requests: r.requests, seconds: (performance.now() - t0) / 1000 });
  };
  const ids = new Array(users);
  const plan = groupPlan(users);
  const gids = new Array(plan.length);
  const t0 = performance.now();
  try {
    await phase("users", Array.from({ length: users }, (_, i) => userUnit(target, i, ids)));
    await phase("groups", plan.map((g, k) => groupUnit(target, g, k, gids)));
    await phase("memberships", membershipUnits(target, plan, ids, gids));
  } catch (e) {
    // The phases that finished still tell something; the cycle's rate does not exist.
    return { requests: NaN, seconds: NaN, phases, error: e.message };
  }
  const seconds = (performance.now() - t0) / 1000;
  const requests = phases.reduce((n, p) => n + p.requests, 0);
  try {
    await verify(target, users, plan, gids);
  } catch (e) {
    return { requests, seconds, phases, error: `state check after the cycle: ${e.message}` };
  }
  return { requests, seconds, phases };
}

function groupUnit(target, g, k, gids) {
  return async () => {
    const q = `/Groups?excludedAttributes=members&filter=${filterQ("displayName", g.displayName)}`;
    const found = await expectCall(target, "GET", q, undefined, [200]);
    if (!found || found.totalResults !== 0) throw new Error(`${target.name}: new group ${g.displayName} already found`);
    const body = { schemas: [SCIM_GROUP], displayName: g.displayName, members: [] };
    gids[k] = (await expectCall(target, "POST", "/Groups", body, [201])).id;
    return 2;
  };
}

// Membership PATCHes, round-robin over groups so that concurrent clients mostly touch
// different groups.
function membershipUnits(target, plan, ids, gids) {
  const chunks = plan.map((g, k) => {
    const out = [];
    for (let j = 0; j < g.members.length; j += MEMBERS_PER_PATCH) out.push({ k, members: g.members.slice(j, j + MEMBERS_PER_PATCH) });
    return out;
  });
  const units = [];
  for (let round = 0; chunks.some((c) => round < c.length); round++) {
    for (const c of chunks) {
      if (round >= c.length) continue;
      const { k, members } = c[round];
      units.push(async () => {
        await expectCall(target, "PATCH", `/Groups/${gids[k]}`, membersAdd(members.map((i) => ids[i])), [200, 204]);
        return 1;
      });
    }
  }
  return units;
}

// The servers must end in the same state: N users, and the groups' members.
async function verify(target, users, plan, gids) {
  const list = await expectCall(target, "GET", "/Users?count=1", undefined, [200]);
  if (list.totalResults !== users) throw new Error(`${target.name}: expected ${users} users, totalResults is ${list.totalResults}`);
  for (const k of [0, plan.length - 1]) {
    const g = await expectCall(target, "GET", `/Groups/${gids[k]}`, undefined, [200]);
    if (Array.isArray(g.members) && g.members.length !== plan[k].members.length) {
      throw new Error(`${target.name}: group ${plan[k].displayName} has ${g.members.length} members, expected ${plan[k].members.length}`);
    }
  }
}

// Users only (filter + POST per user, the bulk of a cycle), with the rate measured in
// windows of FLAT_WINDOW users: the rate at tenant size k is that of users k-W..k.
async function flatRun(target, users, seconds) {
  const deadline = performance.now() + seconds * 1000;
  const ids = new Array(users);
  const times = [performance.now()];
  const points = [];
  const t0 = performance.now();
  const r = await runUnits(
    Array.from({ length: users }, (_, i) => userUnit(target, i, ids)),
    {
      deadline,
      onDone: (done, now) => {
        times[done] = now;
        if (done % FLAT_WINDOW === 0) {
          const rate = (2 * FLAT_WINDOW) / ((now - times[done - FLAT_WINDOW]) / 1000);
          points.push({ size: done, rate, load: os.loadavg()[0] });
          if (done % (10 * FLAT_WINDOW) === 0 || done === FLAT_WINDOW) log(`  ${target.name}: ${fmt(done)} users, ${fmt(rate)} req/s in the last window`);
        }
      },
    },
  );
  return { points, done: r.done, stoppedEarly: r.stoppedEarly, seconds: (performance.now() - t0) / 1000 };
}

async function warmUp(target) {
  // Compiles, JITs and opens the connections; changes nothing.
  for (let i = 0; i < 100; i++) await expectCall(target, "GET", `/Users?filter=${filterQ("userName", `warmup${i}@x`)}`, undefined, [200]);
}

// The disk's price of durability: append ~600 bytes and fdatasync, as a durable
// per-request commit does at least once. Measured in `dir` (the server's data dir).
function fsyncProbe(dir, n = 100) {
  const file = path.join(dir, "bench-fsync-probe");
  const fd = fs.openSync(file, "a");
  const buf = Buffer.alloc(600, 0x78);
  const ms = [];
  try {
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      fs.writeSync(fd, buf);
      fs.fdatasyncSync(fd);
      ms.push(performance.now() - t0);
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(n / 2)], p99: ms[Math.ceil(n * 0.99) - 1] };
}

function dirBytes(dir) {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += dirBytes(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

// Requests per second for a request that does (almost) no work: the floor set by the
// server's HTTP stack and runtime on this machine, to read the replay numbers against.
const BASELINE_REQUESTS = 2000;
async function baseline(target, p) {
  const t0 = performance.now();
  const r = await runUnits(
    Array.from({ length: BASELINE_REQUESTS }, () => async () => {
      await expectCall(target, "GET", p, undefined, [200]);
      return 1;
    }),
  );
  return r.requests / ((performance.now() - t0) / 1000);
}

// ---- main --------------------------------------------------------------------------
const notMeasured = [];
const rows = [];
const details = [];
let flatOurs = null;
const baselines = [];
let flatPeer = null;
let persisted = "";
let fsync = null;
const loadStart = os.loadavg().map((x) => x.toFixed(1)).join(" ");

async function main() {
  log(`# HTTP replay: sizes ${SIZES.join(", ")}; ${CONCURRENCY} clients; ${MEMBERS_PER_PATCH} members per PATCH; flatness run ${FLAT_USERS ? fmt(FLAT_USERS) + " users" : "off"}`);
  const ours = await startOurs();
  try {
    fsync = fsyncProbe(ours.server.dataDir);
    const warm = await oursTarget(ours.server, "warm-up");
    await warmUp(warm);
    baselines.push(["dirbridge", "GET /health (edge worker only)", await baseline({ ...warm, base: ours.server.baseUrl }, "/health")]);
    baselines.push(["dirbridge", "GET /ServiceProviderConfig (edge + Durable Object, auth)", await baseline(warm, "/ServiceProviderConfig")]);
    for (const size of SIZES) {
      const row = { size, ours: null, peer: null };
      rows.push(row);
      try {
        log(`dirbridge: replaying ${fmt(size)} users ...`);
        const target = await oursTarget(ours.server, `${size}`);
        await warmUp(target); // the same warm-up the peer gets before its replay
        const r = await replay(target, size);
        row.ours = r;
        details.push(["dirbridge", size, r]);
        if (r.error) {
          log(`\n!! ${r.error}\n`);
          notMeasured.push([`dirbridge at ${size} users`, r.error]);
        }
      } catch (e) {
        log(`\n!! ${e.message}\n`);
        notMeasured.push([`dirbridge at ${size} users`, e.message]);
      }
      const peer = await startPeer();
      try {
        await warmUp(peer.target);
        if (!baselines.some((b) => b[0] === "SCIMMY")) {
          baselines.push(["SCIMMY", "GET /ServiceProviderConfig (express + SCIMMY, auth)", await baseline(peer.target, "/ServiceProviderConfig")]);
        }
        log(`SCIMMY: replaying ${fmt(size)} users ...`);
        const r = await replay(peer.target, size);
        row.peer = r;
        details.push(["SCIMMY", size, r]);
        if (r.error) {
          log(`\n!! ${r.error}\n`);
          notMeasured.push([`SCIMMY at ${size} users`, r.error]);
        }
      } catch (e) {
        log(`\n!! ${e.message}\n`);
        notMeasured.push([`SCIMMY at ${size} users`, e.message]);
      } finally {
        await peer.stop();
      }
    }
    if (FLAT_USERS > 0) {
      log(`dirbridge: flatness run, up to ${fmt(FLAT_USERS)} users or ${FLAT_SECONDS} s ...`);
      try {
        flatOurs = await flatRun(await oursTarget(ours.server, "flat"), FLAT_USERS, FLAT_SECONDS);
      } catch (e) {
        log(`\n!! ${e.message}\n`);
        notMeasured.push(["dirbridge flatness run", e.message]);
      }
      const peer = await startPeer();
      try {
        await warmUp(peer.target);
        log(`SCIMMY: flatness run, up to ${fmt(FLAT_USERS)} users or ${PEER_FLAT_SECONDS} s ...`);
        flatPeer = await flatRun(peer.target, FLAT_USERS, PEER_FLAT_SECONDS);
      } catch (e) {
        log(`\n!! ${e.message}\n`);
        notMeasured.push(["SCIMMY flatness run", e.message]);
      } finally {
        await peer.stop();
      }
    }
    persisted = `${(dirBytes(ours.server.dataDir) / 1024 / 1024).toFixed(1)} MiB (a temp dir, removed after the run)`;
  } finally {
    await ours.stop();
  }
}

function report() {
  console.log(`# HTTP replay of an Entra-style initial cycle: ${CONCURRENCY} concurrent clients, keep-alive, 127.0.0.1`);
  console.log(`# dirbridge: Workers build under workerd (Miniflare), SQLite-backed Durable Object persisted to disk`);
  console.log(`# SCIMMY: scimmy + scimmy-routers on express, in-memory arrays scanned per filter, own process`);
  console.log("");
  const rate = (r) => (r && !r.error ? r.requests / r.seconds : NaN);
  printTable(
    ["users", "requests", "dirbridge req/s", "SCIMMY req/s", "ratio"],
    rows.map((r) => [
      fmt(r.size),
      fmt([r.ours, r.peer].find((x) => x && !x.error)?.requests),
      fmt(rate(r.ours)),
      fmt(rate(r.peer)),
      rate(r.ours) > 0 && rate(r.peer) > 0 ? `${fmt(rate(r.ours) / rate(r.peer), 1)}x` : "-",
    ]),
  );
  if (baselines.length) {
    console.log("");
    console.log(`# floor: ${fmt(BASELINE_REQUESTS)} requests that do no provisioning work, same clients`);
    printTable(["server", "request", "req/s"], baselines.map(([a, b, r]) => [a, b, fmt(r)]));
  }
  if (details.length) {
    console.log("");
    printTable(
      ["server", "users", "users phase req/s", "groups phase req/s", "memberships phase req/s", "total s"],
      details.map(([name, size, r]) => [
        name,
        fmt(size),
        ...[0, 1, 2].map((i) => (r.phases[i] ? fmt(r.phases[i].requests / r.phases[i].seconds) : "failed")),
        r.error ? "-" : fmt(r.seconds, 2),
      ]),
    );
  }
  if (flatOurs || flatPeer) {
    console.log("");
    console.log(`# flatness: users phase only (GET filter + POST per user), rate over the last ${fmt(FLAT_WINDOW)} users before each size`);
    // Checkpoints 1-2-5 (1,000, 2,000, 5,000, 10,000, ...) and each run's last window.
    const sizes = new Set();
    for (const f of [flatOurs, flatPeer]) for (const p of f ? f.points : []) sizes.add(p.size);
    const wanted = [...sizes].filter((s) => /^[125]0*$/.test(String(s / FLAT_WINDOW)) || [flatOurs, flatPeer].some((f) => f && f.points.length && f.points[f.points.length - 1].size === s));
    const at = (f, s) => (f ? f.points.find((p) => p.size === s) : undefined);
    printTable(
      ["tenant size", "dirbridge req/s", "SCIMMY req/s", "load avg then (dirbridge / SCIMMY)"],
      wanted.sort((a, b) => a - b).map((s) => [
        fmt(s),
        fmt(at(flatOurs, s)?.rate),
        fmt(at(flatPeer, s)?.rate),
        `${fmt(at(flatOurs, s)?.load, 1)} / ${fmt(at(flatPeer, s)?.load, 1)}`,
      ]),
    );
    const ratioLine = (f, name) => {
      if (!f || f.points.length < 2) return;
      const first = f.points[0];
      const last = f.points[f.points.length - 1];
      console.log(`${name}: ${fmt(last.rate)} req/s at ${fmt(last.size)} users vs ${fmt(first.rate)} at ${fmt(first.size)}: ${fmt((100 * last.rate) / first.rate)}%` +
        (f.stoppedEarly ? ` (stopped by its time budget at ${fmt(f.done)} users)` : ""));
    };
    ratioLine(flatOurs, "dirbridge");
    ratioLine(flatPeer, "SCIMMY");
  }
  if (persisted) console.log(`dirbridge data on disk at the end: ${persisted}`);
  if (fsync) console.log(`disk: append+fdatasync p50 ${fsync.p50.toFixed(2)} ms, p99 ${fsync.p99.toFixed(2)} ms (a durable commit costs at least this)`);
  console.log(`machine: ${os.cpus().length} CPUs, load average ${loadStart} at start, ${os.loadavg().map((x) => x.toFixed(1)).join(" ")} at the end`);
  if (notMeasured.length) {
    console.log("");
    console.log("NOT MEASURED:");
    for (const [what, why] of notMeasured) console.log(`  ${what}: ${why}`);
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (e) {
  log(`http_replay_bench: ${e.stack || e}`);
  notMeasured.push(["the run", e.message]);
} finally {
  await stopAll();
  agent.destroy();
  report();
}
