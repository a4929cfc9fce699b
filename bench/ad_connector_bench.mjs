// The Active Directory connector end to end: a throwaway Samba AD DC on 127.0.0.1
// (tests/ad/samba_dc.mjs) with BENCH_AD_USERS users (default 10,000) in one OU and one
// group holding all of them, read by build/native/ad_connector/dirbridge-ad over LDAPS
// and pushed into the local workerd server through a connection of kind `ad`.
//
//   node bench/ad_connector_bench.mjs
//
// Rows:
//   initial sync   the first run (full read, every user and the group created): wall
//                  time of the process and users per second, end to end into workerd
//   incremental    BENCH_AD_CHANGES changes (default 100: 80 title changes, 10 accounts
//                  disabled, 10 new accounts) among those users: wall time of the run
//   idle run       a run with nothing to do: what every interval costs
// Loading the users into Samba (ldapmodify, one LDIF per 2,000) is not timed here.
// Exit status 1 if a run fails (printed as NOT MEASURED).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { adminApi, recordingCall } from "../tests/e2e/e2e_support.mjs";
import { startServer } from "../tests/e2e/server_harness.mjs";
import { startSambaDc } from "../tests/ad/samba_dc.mjs";
import { envInt, fmt, printTable } from "./lib.mjs";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(REPO_ROOT, "build/native/ad_connector/dirbridge-ad");
const USERS = envInt("BENCH_AD_USERS", 10_000);
const CHANGES = envInt("BENCH_AD_CHANGES", 100);

if (!fs.existsSync(BIN)) {
  console.log(`NOT MEASURED: ${BIN} is not built (cmake --build --preset native)`);
  process.exit(1);
}
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "dirbridge-ad-bench-"));
let dc, server;
let status = 0;
try {
  [dc, server] = await Promise.all([startSambaDc(), startServer({ host: "workers" })]);
  const admin = adminApi(() => server, recordingCall([]));
  assert.equal((await admin("POST", "", { id: "bench-ad" })).status, 201);
  const conn = (await admin("POST", "/bench-ad/connections", { kind: "ad" })).json;
  fs.writeFileSync(path.join(scratch, "token"), conn.token, { mode: 0o600 });
  const ou = await dc.addOu("Bench");
  const loadStart = performance.now();
  const dns = [];
  for (let i = 0; i < USERS; i += 2000) {
    const batch = Array.from({ length: Math.min(2000, USERS - i) }, (_, j) => ({
      sam: `u${i + j}`, givenName: "Bench", sn: `User ${i + j}`, title: "Engineer", department: `D${(i + j) % 20}`,
    }));
    dns.push(...(await dc.addUsers(batch, ou)));
  }
  await dc.addGroup("Everyone", ou, dns);
  console.log(`loaded ${USERS} users and a ${USERS}-member group into Samba in ${fmt((performance.now() - loadStart) / 1000, 1)} s (not timed below)`);

  const configFile = path.join(scratch, "config.json");
  fs.writeFileSync(configFile, JSON.stringify({
    ldap: { url: dc.url, caFile: dc.caFile, bindDn: dc.bindDn, passwordFile: dc.passwordFile, baseDn: dc.baseDn, includeOus: [ou] },
    target: { scimUrl: conn.scimBaseUrl, tokenFile: path.join(scratch, "token") },
    sync: { stateFile: path.join(scratch, "state.json") },
  }));
  const run = () => {
    const start = performance.now();
    const r = spawnSync(BIN, ["--config", configFile, "--once"], { encoding: "utf8", timeout: 3_600_000 });
    const seconds = (performance.now() - start) / 1000;
    if (r.status !== 0) throw new Error(`dirbridge-ad exited ${r.status}:\n${r.stderr}`);
    const sent = /sent (\d+) changes.*\((\d+) requests/.exec(r.stderr);
    const ldap = /ldap: (\d+) searches, (\d+) pages, (\d+) range reads/.exec(r.stderr);
    return { seconds, changes: Number(sent[1]), requests: Number(sent[2]), ldap: ldap[0].slice(6) };
  };

  const initial = run();
  const idle = run();
  const lines = [];
  const nTitles = Math.round(CHANGES * 0.8), nDisabled = Math.round(CHANGES * 0.1), nNew = CHANGES - nTitles - nDisabled;
  for (let i = 0; i < nTitles; i++) lines.push(`dn: ${dns[i * 7]}\nchangetype: modify\nreplace: title\ntitle: Lead ${i}\n-\n`);
  for (let i = 0; i < nDisabled; i++) lines.push(`dn: ${dns[i * 7 + 3]}\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: 514\n-\n`);
  await dc.ldif(lines.join("\n"));
  await dc.addUsers(Array.from({ length: nNew }, (_, i) => ({ sam: `new${i}`, givenName: "New", sn: `${i}`, title: "New" })), ou);
  const incremental = run();

  printTable(["run", "wall time (s)", "rate", "changes sent", "HTTP requests", "LDAP"], [
    [`initial sync, ${USERS} users + a ${USERS}-member group`, fmt(initial.seconds, 1), `${fmt(USERS / initial.seconds)} users/s`, initial.changes, initial.requests, initial.ldap],
    [`incremental, ${CHANGES} changes among ${USERS} users`, fmt(incremental.seconds, 2), "", incremental.changes, incremental.requests, incremental.ldap],
    ["idle run (nothing changed)", fmt(idle.seconds, 2), "", idle.changes, idle.requests, idle.ldap],
  ]);
} catch (e) {
  console.log(`NOT MEASURED: ${e.message}`);
  status = 1;
} finally {
  await Promise.allSettled([server?.stop(), dc?.stop()]);
  fs.rmSync(scratch, { recursive: true, force: true });
}
process.exit(status);
