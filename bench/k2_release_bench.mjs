// Federated login's K2 release through workerd: POST /t/{tenant}/federation/k2 with a
// fresh ID token each time (RS256 and ES256, from the stand-in OpenID Connect provider
// of tests/support/oidc_provider.mjs), the IdP's keys already cached, as the client
// sees it: latency p50 / p99 / max over BENCH_K2_RELEASES releases (default 300) spread
// over enough users and client addresses that no rate limit is reached (10 per user
// and 60 per address per minute; CF-Connecting-IP names the address, as Cloudflare's
// edge sets it, one per user). Each
// release verifies the signature in the host, checks the claims, finds the user,
// remembers the token, counts the release, opens the sealed K2 and appends the audit
// event in one batch. Also: a refused token (bad signature: verified, then nothing
// written), and the ID token size cap (16 KiB: a longer token is refused before any
// parsing).
//
//   node bench/k2_release_bench.mjs
//
// Exit status 1 if a release does not answer as expected (printed as NOT MEASURED).

import crypto from "node:crypto";
import os from "node:os";
import { startOidcProvider } from "../tests/support/oidc_provider.mjs";
import { adminApi, recordingCall, until } from "../tests/e2e/e2e_support.mjs";
import { startServer } from "../tests/e2e/server_harness.mjs";
import { envInt, fmt, percentile, printTable, SCIM_USER } from "./lib.mjs";

const RELEASES = Math.max(20, envInt("BENCH_K2_RELEASES", 300));
const PER_USER = 8;
const USERS = Math.ceil((2 * RELEASES) / PER_USER); // both algs, at most PER_USER each
const CLIENT_ID = "bench-extension";

const idp = await startOidcProvider({ name: "bench", clientId: CLIENT_ID, algs: ["RS256", "ES256"] });
const server = await startServer({ host: "workers", env: { DIRBRIDGE_TEST_EFFECTS: "1" } });
let failed = null;

try {
  console.log(`# K2 release bench: workerd (Workers build) on 127.0.0.1, Node ${process.version}; ` +
    `${fmt(RELEASES)} releases per alg over ${fmt(USERS)} users, JWKS cached`);
  const admin = adminApi(() => server, recordingCall([]));
  const tenant = "bench-k2";
  if ((await admin("POST", "", { id: tenant })).status !== 201) throw new Error("cannot create the tenant");
  const c = await admin("POST", `/${tenant}/connections`, { kind: "okta" });
  if (c.status !== 201) throw new Error(`connection: ${c.status} ${c.text}`);
  const put = await admin("PUT", `/${tenant}/federation/idps/${c.json.id}`, { issuer: idp.issuer, clientId: CLIENT_ID, jwksUri: idp.jwksUri });
  if (put.status !== 201) throw new Error(`trusting the IdP: ${put.status} ${put.text}`);
  await until("the IdP's keys", async () => (await admin("GET", `/${tenant}/federation/idps/${c.json.id}`)).json.keys.fetchedAt > 0);
  for (let i = 0; i < USERS; i++) {
    const r = await fetch(`${c.json.scimBaseUrl}/Users`, {
      method: "POST",
      headers: { authorization: `Bearer ${c.json.token}`, "content-type": "application/scim+json" },
      body: JSON.stringify({ schemas: [SCIM_USER], userName: `user${i}@example.com`, emails: [{ value: `user${i}@example.com`, primary: true }] }),
    });
    if (r.status !== 201) throw new Error(`SCIM create: ${r.status}`);
  }
  const release = async (token, expected = 200, user = 0) => {
    const started = process.hrtime.bigint();
    const res = await fetch(`${server.baseUrl}/t/${tenant}/federation/k2`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": `10.0.${user >> 8}.${user & 255}` },
      body: JSON.stringify({ idToken: token }),
    });
    const text = await res.text();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (res.status !== expected) throw new Error(`release answered ${res.status} (expected ${expected}): ${text.slice(0, 300)}`);
    return ms;
  };
  const rows = [];
  const stats = (name, samples) => {
    const s = [...samples].sort((a, b) => a - b);
    rows.push([name, fmt(s.length), fmt(percentile(s, 50), 1), fmt(percentile(s, 99), 1), fmt(s.at(-1), 1)]);
  };
  let n = 0;
  for (const alg of ["RS256", "ES256"]) {
    const samples = [];
    for (let i = 0; i < RELEASES; i++) {
      const user = n++ % USERS;
      samples.push(await release(idp.mintIdToken({ email: `user${user}@example.com` }, { alg }), 200, user));
    }
    stats(`K2 released, ${alg} ID token`, samples);
  }
  const stranger = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const refused = [];
  for (let i = 0; i < 50; i++) refused.push(await release(idp.mintIdToken({ email: "user0@example.com" }, { signWith: stranger }), 401));
  stats("refused: bad RS256 signature", refused);
  const oversize = [];
  const huge = "a".repeat(16 * 1024 + 1);
  for (let i = 0; i < 50; i++) oversize.push(await release(huge, 401));
  stats("refused: a token over the 16 KiB cap", oversize);
  console.log("");
  printTable(["measure", "requests", "p50 ms", "p99 ms", "max ms"], rows);
  console.log(`machine: ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}`);
} catch (e) {
  failed = e;
} finally {
  await server.stop();
  await idp.close();
}
if (failed) {
  console.log(`\nNOT MEASURED: ${failed.message}`);
  process.exitCode = 1;
}
