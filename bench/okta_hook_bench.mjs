// Okta Event Hooks through workerd: how fast a delivery of 100 events is acknowledged,
// and how long until an event's change can be read back.
//
//   node bench/okta_hook_bench.mjs
//
// Starts the local server on workerd (tests/e2e/server_harness.mjs: the Workers build,
// its Durable Object persisted to disk, on 127.0.0.1), makes a tenant with an Okta
// connection and an Entra SCIM connection (to read users back), then:
//   - acknowledgement: BENCH_HOOK_DELIVERIES deliveries of 100 user.lifecycle.create /
//     user.account.update_profile events each (new users), timed from POST sent to the
//     answer read; every answer must be 204;
//   - event to store: BENCH_HOOK_PROBES single-event deliveries, each creating one user,
//     timed from POST sent until a SCIM GET (userName eq) first finds the user (the
//     hook applies within its request, so this is the acknowledgement plus one read).
// Settings: BENCH_HOOK_DELIVERIES (default 50), BENCH_HOOK_PROBES (default 200).
// Exit status 1 if any answer is not what the hook promises (printed as NOT MEASURED).

import os from "node:os";
import { hookDelivery, logEvent, userTarget } from "../tests/e2e/okta_payloads.mjs";
import { startServer } from "../tests/e2e/server_harness.mjs";
import { envInt, fmt, percentile, printTable } from "./lib.mjs";

const DELIVERIES = envInt("BENCH_HOOK_DELIVERIES", 50);
const PROBES = envInt("BENCH_HOOK_PROBES", 200);
const EVENTS_PER_DELIVERY = 100;

let clock = Date.parse("2026-11-26T00:00:00.000Z");
// Each event a millisecond after the one before, so they apply in order.
const oktaEvent = (eventType, target) => logEvent(eventType, new Date(++clock).toISOString(), [target]);
const delivery = hookDelivery;

const server = await startServer({ host: "workers" });
let failed = null;
try {
  const adminCall = async (method, p, body) => {
    const r = await fetch(`${server.baseUrl}/admin/v1/tenants${p}`, {
      method,
      headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, json: await r.json() };
  };
  const tenant = "bench-okta";
  if ((await adminCall("POST", "", { id: tenant })).status !== 201) throw new Error("cannot create the tenant");
  // The probes suspend a user again and again: the mass-change guardrail (which holds a
  // source's 51st suspension within an hour) is not what this bench measures.
  await adminCall("PUT", `/${tenant}/guardrail`, { enabled: false });
  const scimConn = (await adminCall("POST", `/${tenant}/connections`, { kind: "entra" })).json;
  const okta = (await adminCall("POST", `/${tenant}/connections`, { kind: "okta" })).json;
  const hook = okta.eventHook;
  const post = async (events) => {
    const started = process.hrtime.bigint();
    const r = await fetch(hook.url, {
      method: "POST",
      headers: { authorization: hook.secret, "content-type": "application/json" },
      body: JSON.stringify(delivery(events)),
    });
    const text = await r.text();
    const us = Number(process.hrtime.bigint() - started) / 1000;
    if (r.status !== 204) throw new Error(`hook answered ${r.status}: ${text.slice(0, 300)}`);
    return { started, us };
  };
  const findUser = async (login) => {
    const r = await fetch(`${scimConn.scimBaseUrl}/Users?filter=${encodeURIComponent(`userName eq "${login}"`)}`, {
      headers: { authorization: `Bearer ${scimConn.token}` },
    });
    const body = await r.json();
    return r.status === 200 && body.totalResults === 1;
  };

  console.log(`# Okta Event Hook bench: workerd (Workers build) on 127.0.0.1, Node ${process.version}; ` +
    `${DELIVERIES} deliveries of ${EVENTS_PER_DELIVERY} events, ${PROBES} event-to-store probes`);
  // Warm-up: the Durable Object and the module instance.
  await post([oktaEvent("user.lifecycle.create", userTarget("00uwarm", "warm@example.com", "Warm"))]);

  const ack = [];
  let n = 0;
  for (let d = 0; d < DELIVERIES; d++) {
    const events = [];
    for (let i = 0; i < EVENTS_PER_DELIVERY / 2; i++, n++) {
      const target = userTarget(`00ub${n}`, `b${n}@example.com`, `Bench ${n}`);
      events.push(oktaEvent("user.lifecycle.create", target), oktaEvent("user.account.update_profile", target));
    }
    ack.push((await post(events)).us);
  }

  const toStore = [];
  for (let p = 0; p < PROBES; p++) {
    const login = `probe${p}@example.com`;
    const { started } = await post([oktaEvent("user.lifecycle.create", userTarget(`00up${p}`, login, `Probe ${p}`))]);
    let seen = false;
    for (let tries = 0; tries < 100 && !seen; tries++) seen = await findUser(login);
    if (!seen) throw new Error(`${login} not found after 100 reads`);
    toStore.push(Number(process.hrtime.bigint() - started) / 1000);
  }

  const row = (name, samples) => {
    const s = [...samples].sort((a, b) => a - b);
    return [name, fmt(s.length), fmt(percentile(s, 50) / 1000, 2), fmt(percentile(s, 99) / 1000, 2), fmt(s[s.length - 1] / 1000, 2)];
  };
  console.log("");
  printTable(["measure", "samples", "p50 ms", "p99 ms", "max ms"], [
    row(`hook acknowledgement, ${EVENTS_PER_DELIVERY} events per delivery`, ack),
    row("event to store (POST sent until a SCIM read finds the user)", toStore),
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
