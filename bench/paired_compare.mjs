// Before and after in one process: the WASI modules of two checkouts (a base revision's
// and this one's) loaded side by side, each over its own in-memory store and seeded the
// same way, then every operation timed in short alternating blocks (base, head, base,
// head, ...). Both sides meet the same machine at the same moment, so a change of load
// (other processes, CPU frequency, a noisy neighbour) moves both alike; the ratio
// head / base is what to read. bench/compare.sh runs the whole handler bench of each
// side one after the other instead, which is more complete but at the mercy of load
// that changes between runs.
//
//   node bench/paired_compare.mjs <base-checkout> [head-checkout]
//        e.g. after bash bench/compare.sh 65ee793 has built build/bench-base:
//             node bench/paired_compare.mjs build/bench-base
//
// Each checkout's own host (wasm/hosts/wasi/wasi_host.mjs) loads its own dist/wasi;
// hosts before the modules were split (one scim.wasm, loadWasiModule) are supported.
// Settings (environment):
//   PAIRED_USERS    users seeded on each side    default 20000
//   PAIRED_BLOCKS   alternating blocks per op    default 40
//   PAIRED_BLOCK    requests per block           default 50
import path from "node:path";
import { pathToFileURL } from "node:url";
import { entraUser, envInt, fmt, membersAdd, percentile, printTable, rng, SCIM_PATCH } from "./lib.mjs";
import { requestEnvelope } from "./wasi_tenant.mjs";

const USERS = envInt("PAIRED_USERS", 20_000);
const BLOCKS = envInt("PAIRED_BLOCKS", 40);
const BLOCK = envInt("PAIRED_BLOCK", 50);
const ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";
const TOKEN_KEY = "bench-token-key-0123456789abcdef0123456789";

const [baseArg, headArg = "."] = process.argv.slice(2);
if (!baseArg) {
  console.error("usage: node bench/paired_compare.mjs <base-checkout> [head-checkout]");
  process.exit(2);
}

// One side: its modules over its own store, and a tenant with an Entra connection.
async function openSide(label, checkout) {
  const root = path.resolve(checkout);
  const load = (rel) => import(pathToFileURL(path.join(root, rel)).href);
  const { FileKvStore } = await load("wasm/hosts/wasi/file_kv_store.mjs");
  const host = await load("wasm/hosts/wasi/wasi_host.mjs");
  const store = FileKvStore.open(null);
  const config = { DIRBRIDGE_ADMIN_TOKEN: ADMIN_TOKEN, DIRBRIDGE_TOKEN_KEY: TOKEN_KEY };
  let dispatch;
  if (host.loadWasiModules) {
    const modules = await host.loadWasiModules(path.join(root, "dist/wasi"), { store, config, log: () => {} });
    dispatch = (envelope) => modules.dispatch(envelope);
  } else {
    const module = await host.loadWasiModule(path.join(root, "dist/wasi/scim.wasm"), { store, config, log: () => {} });
    dispatch = (envelope) => {
      const routed = module.route(envelope);
      return routed.response ?? module.handle(routed.request);
    };
  }
  const request = (method, pathAndQuery, options) => dispatch(requestEnvelope(method, pathAndQuery, options));
  const expect = (what, answer, status) => {
    if (answer.status !== status) throw new Error(`${label}: ${what} answered ${answer.status}: ${answer.body}`);
    return answer.body ? JSON.parse(answer.body) : null;
  };
  const tenant = expect("create tenant", request("POST", "/admin/v1/tenants", { token: ADMIN_TOKEN, json: { id: "paired", name: "Paired" } }), 201);
  const conn = expect(
    "create connection",
    request("POST", `/admin/v1/tenants/${tenant.id}/connections`, { token: ADMIN_TOKEN, json: { kind: "entra" } }),
    201,
  );
  const base = new URL(conn.scimBaseUrl).pathname.replace(/\/$/, "");
  const scim = (method, p, json) => request(method, base + p, { token: conn.token, json });
  const ids = [];
  for (let i = 0; i < USERS; i++) ids.push(expect("seed user", scim("POST", "/Users", entraUser(i)), 201).id);
  const group = expect("seed group", scim("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Paired" }), 201);
  return { label, root, scim, expect, ids, groupId: group.id, next: USERS, cursor: "", walk: 1, member: 0 };
}

// The operations, each a function of a side (keeps its own position in walks).
const random = rng(7);
const OPS = [
  ["GET /Users/{id}", (s) => s.scim("GET", `/Users/${s.ids[Math.floor(random() * s.ids.length)]}`), 200],
  ['GET /Users?filter=userName eq "…"', (s) => s.scim("GET", `/Users?filter=${encodeURIComponent(`userName eq "${entraUser(Math.floor(random() * USERS)).userName}"`)}`), 200],
  ["POST /Users", (s) => s.scim("POST", "/Users", entraUser(s.next++, "paired")), 201],
  [
    "PATCH /Users/{id} (replace displayName)",
    (s) =>
      s.scim("PATCH", `/Users/${s.ids[Math.floor(random() * s.ids.length)]}`, {
        schemas: [SCIM_PATCH],
        Operations: [{ op: "replace", path: "displayName", value: `Name ${random()}` }],
      }),
    [200, 204],
  ],
  ["PATCH /Groups/{id} add 1 member", (s) => s.scim("PATCH", `/Groups/${s.groupId}`, membersAdd([s.ids[s.member++ % s.ids.length]])), [200, 204]],
  [
    "GET /Users?count=100&cursor=… (next page)",
    (s) => {
      const a = s.scim("GET", `/Users?count=100&cursor=${encodeURIComponent(s.cursor)}`);
      s.cursor = (a.status === 200 && JSON.parse(a.body).nextCursor) || "";
      return a;
    },
    200,
  ],
  [
    "GET /Users?startIndex=…&count=100 (in-order walk)",
    (s) => {
      const a = s.scim("GET", `/Users?startIndex=${s.walk}&count=100`);
      s.walk = s.walk + 100 > USERS ? 1 : s.walk + 100;
      return a;
    },
    200,
  ],
  ["GET /Users?startIndex=…&count=100 (random jump ≤ 1,000)", (s) => s.scim("GET", `/Users?startIndex=${1 + Math.floor(random() * 1000)}&count=100`), 200],
];

const started = performance.now();
const sides = [await openSide("base", baseArg), await openSide("head", headArg)];
console.log(`# paired: base ${sides[0].root}, head ${sides[1].root}; ${fmt(USERS)} users each (seeded in ${fmt((performance.now() - started) / 1000, 1)} s); ${BLOCKS} alternating blocks of ${BLOCK} per op`);

const rows = [];
for (const [name, run, ok] of OPS) {
  const samples = [[], []];
  for (let b = 0; b < BLOCKS; b++) {
    // Alternate which side goes first, so neither always follows the other.
    const order = b % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) {
      for (let k = 0; k < BLOCK; k++) {
        const t0 = process.hrtime.bigint();
        const a = run(sides[i]);
        const ns = Number(process.hrtime.bigint() - t0);
        const statuses = Array.isArray(ok) ? ok : [ok];
        if (!statuses.includes(a.status)) throw new Error(`${sides[i].label}: ${name} answered ${a.status}: ${a.body}`);
        samples[i].push(ns / 1000);
      }
    }
  }
  const [b50, h50] = samples.map((s) => percentile(s.sort((x, y) => x - y), 50));
  const [b90, h90] = samples.map((s) => percentile(s, 90));
  rows.push([name, fmt(b50), fmt(h50), `${fmt((h50 / b50) * 100)} %`, fmt(b90), fmt(h90), `${fmt((h90 / b90) * 100)} %`]);
}
printTable(["operation", "base p50 µs", "head p50 µs", "head/base", "base p90 µs", "head p90 µs", "head/base p90"], rows);
