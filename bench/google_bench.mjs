// Google Workspace through workerd, against the local Google stand-in (tests/google):
// how long from a change in Google until it is in the store, and how fast a full sync
// (reconcile) goes.
//
//   node bench/google_bench.mjs
//
// Starts the stand-in and the local server on workerd (tests/e2e/server_harness.mjs),
// makes a tenant with a google connection (and an entra one to read users back) and
// waits for its setup (six channels, a first reconcile). Then:
//   - notification to store: BENCH_GOOGLE_PROBES users added in Google one at a time,
//     each timed from the change (the stand-in then pushes the thin notification)
//     until a SCIM GET (userName eq) first finds the user; the path is push, 200,
//     users.get as an effect with the cached token, the claim applied;
//   - reconcile throughput: for each size in BENCH_GOOGLE_RECONCILE_USERS (default
//     10000,100000) a fresh tenant whose Google directory is seeded silently with that
//     many users, then a reconcile started by the admin API, timed until its report says
//     done: users/s, pages, and the mean wall time of one page (each page is one
//     continuation: list 500 users, apply 500 claims).
// Exit status 1 if something does not happen as promised (printed as NOT MEASURED).

import os from "node:os";
import { startGoogleStandin } from "../tests/google/google_standin.mjs";
import { makeServiceAccount } from "../tests/google/service_account.mjs";
import { adminApi, recordingCall, until as untilDone } from "../tests/e2e/e2e_support.mjs";
import { startServer } from "../tests/e2e/server_harness.mjs";
import { envInt, envIntList, fmt, percentile, printTable } from "./lib.mjs";

const PROBES = envInt("BENCH_GOOGLE_PROBES", 100);
const SIZES = envIntList("BENCH_GOOGLE_RECONCILE_USERS", [10_000, 100_000]);
const ADMIN_EMAIL = "admin@example.com";

const sa = makeServiceAccount({});
const google = await startGoogleStandin({ serviceAccounts: [sa], admins: [ADMIN_EMAIL] });
sa.keyJson.token_uri = google.tokenUrl;
const server = await startServer({ host: "workers", env: { DIRBRIDGE_GOOGLE_API_BASE: google.base } });
let failed = null;

const adminCall = adminApi(() => server, recordingCall([]));
const until = (what, fn, timeoutMs) => untilDone(what, fn, timeoutMs, 20);

// A tenant with a google connection, set up; returns {view, findUser}.
async function googleTenant(tenant) {
  if ((await adminCall("POST", "", { id: tenant })).status !== 201) throw new Error("cannot create the tenant");
  // The probes suspend a user again and again: the mass-change guardrail (which holds a
  // source's 51st suspension within an hour) is not what this bench measures.
  await adminCall("PUT", `/${tenant}/guardrail`, { enabled: false });
  const reader = (await adminCall("POST", `/${tenant}/connections`, { kind: "entra" })).json;
  const conn = (await adminCall("POST", `/${tenant}/connections`, { kind: "google" })).json.id;
  const put = await adminCall("PUT", `/${tenant}/connections/${conn}/google`, { adminEmail: ADMIN_EMAIL, serviceAccountKey: sa.keyJson });
  if (put.status !== 200) throw new Error(`google settings answered ${put.status}`);
  const view = async () => (await adminCall("GET", `/${tenant}/connections/${conn}`)).json.google;
  const findUser = async (login) => {
    const r = await fetch(`${reader.scimBaseUrl}/Users?filter=${encodeURIComponent(`userName eq "${login}"`)}`, {
      headers: { authorization: `Bearer ${reader.token}` },
    });
    return r.status === 200 && (await r.json()).totalResults === 1;
  };
  return { conn, view, findUser };
}

try {
  console.log(`# Google Workspace bench: workerd (Workers build) on 127.0.0.1 with the local Google stand-in, ` +
    `Node ${process.version}; ${PROBES} notification-to-store probes, reconciles of ${SIZES.join(", ")} users`);
  const rows = [];

  // ---- notification to store
  const t = await googleTenant("bench-google-push");
  await until("setup", async () => {
    const g = await t.view();
    return (g.channels || []).filter((c) => c.state === "active").length === 6 && g.status?.lastReconcile?.result === "done";
  }, 60_000);
  const toStore = [];
  for (let p = -3; p < PROBES; p++) {  // three warm-up probes
    const login = `probe${p + 3}@example.com`;
    const started = process.hrtime.bigint();
    google.addUser({ primaryEmail: login, givenName: "Probe", familyName: String(p) });
    await until(`${login} in the store`, () => t.findUser(login), 10_000);
    if (p >= 0) toStore.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  const s = [...toStore].sort((a, b) => a - b);
  rows.push(["notification to store (change in Google until a SCIM read finds the user)", fmt(s.length),
    fmt(percentile(s, 50) / 1000, 1), fmt(percentile(s, 99) / 1000, 1), "", ""]);

  // ---- reconcile throughput
  for (const size of SIZES) {
    const before = google.userCount();
    google.seed({ users: size, groups: 0, membersPerGroup: 0 });
    const r = await googleTenant(`bench-google-r${size}`);
    const started = Date.now();
    const report = await until(`the reconcile of ${size} users`, async () => {
      const last = (await r.view()).status?.lastReconcile;
      return last && (last.result === "done" || last.result === "failed") ? last : null;
    }, 60 * 60 * 1000);
    if (report.result !== "done") throw new Error(`the reconcile failed: ${report.error}`);
    const seconds = (Date.now() - started) / 1000;
    const users = report.counts.users;
    if (users !== before + size) throw new Error(`the reconcile saw ${users} users, Google has ${before + size}`);
    rows.push([`reconcile, ${fmt(users)} users (setup's first full sync)`, fmt(report.counts.pages), "", "",
      fmt(users / seconds), fmt((seconds * 1000) / report.counts.pages, 0)]);
  }
  console.log("");
  printTable(["measure", "samples / pages", "p50 ms", "p99 ms", "users/s", "ms per page"], rows);
  console.log(`machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}`);
} catch (e) {
  failed = e;
} finally {
  await server.stop();
  await google.close();
}
if (failed) {
  console.log(`\nNOT MEASURED: ${failed.message}`);
  process.exitCode = 1;
}
