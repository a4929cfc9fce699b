// Entra through Microsoft Graph on workerd, against the local Graph stand-in
// (tests/graph): how long from a user disabled in Entra until dirbridge has suspended
// them, how fast the notification endpoint answers Graph, and how fast a delta round (the
// first one is the full sync) goes.
//
//   node bench/graph_bench.mjs
//
// Starts the stand-in and the local server on workerd (tests/e2e/server_harness.mjs),
// makes a tenant with an entra connection with Graph credentials and waits for its setup
// (two subscriptions, the first delta rounds). Then:
//   - disable to suspension: BENCH_GRAPH_PROBES users (made before the setup) disabled
//     in Entra one at a time, each timed from the change (the stand-in then posts the
//     notification) until a SCIM GET shows active false; the path is notification, 202,
//     users/{id} as an effect with the cached token, the claim applied. Goal: under a
//     second;
//   - the notification endpoint's answer to Graph (202), as the stand-in timed it.
//     Graph's limit: 3 seconds;
//   - a delta round: for each size in BENCH_GRAPH_DELTA_USERS (default 10000) a fresh
//     tenant whose Entra directory holds that many users, timed from the settings until
//     its first users delta round is done: users/s, pages, ms per page.
// Exit status 1 if something does not happen as promised (printed as NOT MEASURED).

import os from "node:os";
import { makeApp, startGraphStandin } from "../tests/graph/graph_standin.mjs";
import { adminApi, recordingCall, until as untilDone } from "../tests/e2e/e2e_support.mjs";
import { startServer } from "../tests/e2e/server_harness.mjs";
import { envInt, envIntList, fmt, percentile, printTable } from "./lib.mjs";

const PROBES = envInt("BENCH_GRAPH_PROBES", 100);
const SIZES = envIntList("BENCH_GRAPH_DELTA_USERS", [10_000]);

const app = makeApp();
const graph = await startGraphStandin({ apps: [app] });
const server = await startServer({ host: "workers", env: { DIRBRIDGE_GRAPH_API_BASE: graph.base } });
let failed = null;

const adminCall = adminApi(() => server, recordingCall([]));
const until = (what, fn, timeoutMs) => untilDone(what, fn, timeoutMs, 10);

// A tenant with an entra connection with Graph settings, set up; returns {view, active}.
async function graphTenant(tenant) {
  if ((await adminCall("POST", "", { id: tenant })).status !== 201) throw new Error("cannot create the tenant");
  // The probes suspend a user again and again: the mass-change guardrail (which holds a
  // source's 51st suspension within an hour) is not what this bench measures.
  await adminCall("PUT", `/${tenant}/guardrail`, { enabled: false });
  const c = (await adminCall("POST", `/${tenant}/connections`, { kind: "entra" })).json;
  const put = await adminCall("PUT", `/${tenant}/connections/${c.id}/graph`,
    { tenantId: graph.tenantId, clientId: app.clientId, clientSecret: app.clientSecret });
  if (put.status !== 200) throw new Error(`graph settings answered ${put.status}: ${put.text}`);
  const view = async () => (await adminCall("GET", `/${tenant}/connections/${c.id}`)).json.graph;
  const active = async (login) => {
    const r = await fetch(`${c.scimBaseUrl}/Users?filter=${encodeURIComponent(`userName eq "${login}"`)}`, {
      headers: { authorization: `Bearer ${c.token}` },
    });
    const body = r.status === 200 ? await r.json() : null;
    return body && body.totalResults === 1 ? body.Resources[0].active : null;
  };
  return { view, active };
}

try {
  console.log(`# Graph bench: workerd (Workers build) on 127.0.0.1 with the local Graph stand-in, Node ${process.version}; ` +
    `${PROBES} disable-to-suspension probes, delta rounds of ${SIZES.join(", ")} users`);
  const rows = [];

  // ---- disable to suspension
  const probes = [];
  for (let p = 0; p < PROBES + 3; p++) {
    probes.push(graph.addUser({ userPrincipalName: `probe${p}@contoso.com`, displayName: `Probe ${p}` }, { silent: true }));
  }
  const t = await graphTenant("bench-graph-push");
  await until("setup", async () => {
    const g = await t.view();
    return g?.subscriptions?.users && g?.subscriptions?.groups && g.status?.delta?.users?.last;
  }, 60_000);
  const toSuspended = [];
  const firstNotification = graph.notifications().length;
  for (let p = 0; p < probes.length; p++) {  // the first three are warm-up
    const login = probes[p].userPrincipalName;
    const started = process.hrtime.bigint();
    graph.disableUser(probes[p].id);
    await until(`${login} suspended`, async () => (await t.active(login)) === false, 10_000);
    if (p >= 3) toSuspended.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  const s = [...toSuspended].sort((a, b) => a - b);
  rows.push(["disable to suspension (user disabled in Entra until a SCIM read shows active false)", fmt(s.length),
    fmt(percentile(s, 50) / 1000, 1), fmt(percentile(s, 99) / 1000, 1), "", ""]);
  const answers = graph.notifications().slice(firstNotification).filter((n) => n.delivered).map((n) => n.latencyMs);
  const a = answers.sort((x, y) => x - y);
  rows.push(["notification answered (Graph's POST until dirbridge's 202)", fmt(a.length),
    fmt(percentile(a, 50), 1), fmt(percentile(a, 99), 1), "", ""]);

  // ---- delta round throughput
  for (const size of SIZES) {
    const before = graph.userCount();
    graph.seed({ users: size, groups: 0, membersPerGroup: 0 });
    const started = Date.now();
    const r = await graphTenant(`bench-graph-d${size}`);
    const report = await until(`the first delta round of ${size} users`, async () => (await r.view())?.status?.delta?.users?.last, 60 * 60 * 1000);
    const seconds = (Date.now() - started) / 1000;
    const users = report.items;
    if (users !== before + size) throw new Error(`the delta round saw ${users} users, Entra has ${before + size}`);
    rows.push([`delta round, ${fmt(users)} users (setup's full sync)`, fmt(report.pages), "", "",
      fmt(users / seconds), fmt((seconds * 1000) / report.pages, 0)]);
  }
  console.log("");
  printTable(["measure", "samples / pages", "p50 ms", "p99 ms", "users/s", "ms per page"], rows);
  console.log(`machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}`);
} catch (e) {
  failed = e;
} finally {
  await server.stop();
  await graph.close();
}
if (failed) {
  console.log(`\nNOT MEASURED: ${failed.message}`);
  process.exitCode = 1;
}
