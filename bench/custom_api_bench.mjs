// The custom API (LastPass-compatible enterpriseapi.php) on workerd: one batchadd of
// BENCH_CUSTOM_API_USERS users (default 1000, the per-call cap) in one call, each user
// in one of ten groups, timed: the call's wall time as the client sees it, and the CPU
// time workerd spent over the call. The batch is then sent again (a retry: nothing
// changes, every item is still read and compared).
//
//   node bench/custom_api_bench.mjs
//
// CPU time is read from /proc (utime + stime, clock ticks of 10 ms) of the server's
// workerd processes, found by the data folder in their environment, before and after
// the call: an upper bound of the call's CPU, since it also counts anything else the
// runtime did meanwhile. Goal: well inside a Durable Object request's default CPU limit
// (30 s); otherwise the cap must go down ("split the batch"). BENCH_CUSTOM_API_CALLS
// batches (default 3) of fresh users are timed. Exit status 1 if a call does not answer
// 200 OK (printed as NOT MEASURED).

import fs from "node:fs";
import os from "node:os";
import { adminApi, recordingCall } from "../tests/e2e/e2e_support.mjs";
import { startServer } from "../tests/e2e/server_harness.mjs";
import { envInt, fmt, printTable } from "./lib.mjs";

const USERS = envInt("BENCH_CUSTOM_API_USERS", 1000);
const CALLS = Math.max(1, envInt("BENCH_CUSTOM_API_CALLS", 3));
const TICK_MS = 10; // USER_HZ is 100 on Linux

const server = await startServer({ host: "workers" });
let failed = null;

// The CPU ticks of every workerd process whose environment names this server's data folder.
function workerdTicks() {
  let ticks = 0;
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "workerd") continue;
      if (!fs.readFileSync(`/proc/${pid}/environ`, "utf8").includes(`DIRBRIDGE_DATA_DIR=${server.dataDir}\0`)) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // gone, or not ours
    }
  }
  return ticks;
}

try {
  console.log(`# custom API bench: workerd (Workers build) on 127.0.0.1, Node ${process.version}; ` +
    `batchadd of ${fmt(USERS)} users in one call, ${CALLS} calls`);
  const admin = adminApi(() => server, recordingCall([]));
  if ((await admin("POST", "", { id: "bench-lp" })).status !== 201) throw new Error("cannot create the tenant");
  const c = await admin("POST", "/bench-lp/connections", { kind: "custom" });
  if (c.status !== 201) throw new Error(`custom connection: ${c.status} ${c.text}`);
  const { url, cid, provhash } = c.json.customApi;
  if (workerdTicks() === 0) throw new Error("no workerd process of this server found in /proc");

  const timed = async (data) => {
    const t0 = workerdTicks();
    const started = process.hrtime.bigint();
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ cid, provhash, cmd: "batchadd", data }),
    });
    const body = await res.json();
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const cpuMs = (workerdTicks() - t0) * TICK_MS;
    if (res.status !== 200 || body.status !== "OK") throw new Error(`batchadd answered ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    return { wallMs, cpuMs };
  };
  const batch = (call) => Array.from({ length: USERS }, (_, i) => ({
    username: `user${call}-${i}@example.com`,
    fullname: `User ${call}-${i}`,
    groups: [`Team ${i % 10}`],
    attribs: { Department: `Dept ${i % 7}` },
  }));

  await timed(batch("warmup").slice(0, 10));
  const created = [];
  for (let k = 0; k < CALLS; k++) created.push(await timed(batch(k)));
  const retried = await timed(batch(0));
  const row = (name, samples) => {
    const wall = samples.map((s) => s.wallMs).sort((a, b) => a - b);
    const cpu = samples.map((s) => s.cpuMs).sort((a, b) => a - b);
    return [name, fmt(samples.length), fmt(wall[Math.floor(wall.length / 2)]), fmt(wall.at(-1)),
      fmt(cpu[Math.floor(cpu.length / 2)]), fmt(cpu.at(-1))];
  };
  console.log("");
  printTable(["measure", "calls", "wall p50 ms", "wall max ms", "workerd CPU p50 ms", "CPU max ms"], [
    row(`batchadd, ${fmt(USERS)} new users in one call`, created),
    row(`the same batch again (retry: no change)`, [retried]),
  ]);
  console.log(`machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}`);
} catch (e) {
  failed = e;
} finally {
  await server.stop();
}
if (failed) {
  console.log(`\nNOT MEASURED: ${failed.message}`);
  process.exitCode = 1;
}
