// The worst CPU time of one request for each kind of pathological input, on a tenant of
// BENCH_USERS users (default 100,000): the bound every cap exists to keep (goal: at
// most 50 ms, since one slow request holds every other request to the same tenant).
// Each row proves one cap: the request at the cap, and the one just over it.
//
//   node --disable-warning=ExperimentalWarning bench/hostile_cost_bench.mjs
//
// Settings (environment):
//   BENCH_USERS            users in the tenant                 default 100000
//   BENCH_HOSTILE_SAMPLES  requests per row (the worst counts) default 10
//   BENCH_SEED_SECONDS     time budget for seeding             default 900
//   BENCH_GOAL_MS          the goal per request                default 50
//
// CPU is the process's CPU time over the call (process.cpuUsage), capped at its wall
// time (see wasi_handler_bench.mjs). A row whose answer has another status than the
// one expected is NOT MEASURED, and the exit status is 1.

import os from "node:os";
import { SCIM_PATCH, entraUser, envInt, fmt, printTable } from "./lib.mjs";
import { googlePushRows, googlePushSetup } from "./google_push_rows.mjs";
import { graphNotifyRows, graphNotifySetup } from "./graph_notify_rows.mjs";
import { ADMIN_TOKEN, openModules, openTenant, seedUsers } from "./wasi_tenant.mjs";

const USERS = envInt("BENCH_USERS", 100_000);
const SAMPLES = Math.max(1, envInt("BENCH_HOSTILE_SAMPLES", 10));
const SEED_SECONDS = envInt("BENCH_SEED_SECONDS", 900);
const GOAL_MS = envInt("BENCH_GOAL_MS", 50);

const google = await googlePushSetup();
const graph = await graphNotifySetup();
const { store, modules, request } = await openModules({ config: { ...google.config, ...graph.config }, secretKey: google.secretKey });
const { base, token, scim } = openTenant(request, "hostile");
console.log(`# hostile-input cost bench: ${Object.keys(modules.registry).join(", ")} under node:wasi (Node ${process.version}); ` +
  `${fmt(USERS)} users, ${SAMPLES} samples per row, goal ${GOAL_MS} ms CPU per request`);
const seeded = seedUsers(scim, USERS, performance.now() + SEED_SECONDS * 1000);
const userId = (i) => seeded.ids[i % seeded.ids.length];
const groupId = JSON.parse(scim("POST", "/Groups", { displayName: "Hostile group" }).body).id;
// A group whose automation rule has the most entitlements a rule may hold (50).
const ruledGroupId = JSON.parse(scim("POST", "/Groups", { displayName: "Ruled group" }).body).id;
const ruleSet = request("PUT", "/admin/v1/tenants/hostile/rules/Ruled%20group", { token: ADMIN_TOKEN,
  json: { entitlements: Array.from({ length: 50 }, (_, i) => ({ type: "role", name: `role ${i}` })) } });
if (ruleSet.status !== 201) throw new Error(`the rule was refused: ${ruleSet.status} ${ruleSet.body}`);
console.error(`  seeded in ${fmt(seeded.seconds, 1)} s; ${fmt(store.inner.size)} keys`);

const enc = encodeURIComponent;
const patchBody = (ops) => ({ schemas: [SCIM_PATCH], Operations: ops });
const ors = (n) => Array.from({ length: n }, (_, i) => `title eq "t${i}"`).join(" or ");
const unknownIds = (n, tag) => Array.from({ length: n }, (_, i) => ({ value: `${tag}-${i}-0000-0000-000000000000` }));
let seq = 0;
// A custom API batch is the one request whose cap is set against the platform's CPU
// limit rather than GOAL_MS (issue 11: 1,000 users in one call): a Durable Object
// request may use 30 s of CPU by default; the goal is 1 s, 3 % of it.
const BATCH_GOAL_MS = envInt("BENCH_BATCH_GOAL_MS", 1000);
const customApi = JSON.parse(request("POST", "/admin/v1/tenants/hostile/connections", { token: ADMIN_TOKEN, json: { kind: "custom" } }).body).customApi;
const lp = (cmd, data, provhash = customApi.provhash) =>
  request("POST", "/t/hostile/enterpriseapi.php", { json: { cid: "hostile", provhash, cmd, data } });
const seededNames = (n) => Array.from({ length: n }, (_, i) => ({ username: entraUser(i).userName }));

// Attribute precedence at its caps (50 attributes, 10 sources each, model/attribute_precedence.h):
// Entra owns everything, an Okta connection over SCIM ranks last and offers new values
// for ten attributes in each call (ten conflicts logged each time).
const PRECEDENCE_PATH = "/admin/v1/tenants/hostile/precedence";
const rankedSources = ["entra", ...Array.from({ length: 8 }, (_, i) => `source-${i}`), "okta"];
const capRules = { attributes: { "*": rankedSources } };
for (let i = 0; i < 49; i++) capRules.attributes[`attr${i}`] = rankedSources;
const overRules = { attributes: { ...capRules.attributes, attrOver: rankedSources } };
const okta = JSON.parse(request("POST", "/admin/v1/tenants/hostile/connections", { token: ADMIN_TOKEN, json: { kind: "okta" } }).body);
const oktaScim = (method, p, json) => request(method, new URL(okta.scimBaseUrl).pathname.replace(/\/$/, "") + p, { token: okta.token, json });
const OWNED = ["displayName", "title", "nickName", "userType", "preferredLanguage", "locale", "timezone", "profileUrl", "name.givenName", "name.familyName"];
let ownedUser = null; // made by Entra under the rules, on the row's warm-up call
const offerOwned = () => {
  if (!ownedUser) {
    const body = { userName: "owned@example.com", name: { givenName: "Ada", familyName: "L" } };
    for (const a of OWNED) if (!a.startsWith("name.")) body[a] = a === "profileUrl" ? "https://example.com/ada" : `${a} 0`;
    ownedUser = JSON.parse(scim("POST", "/Users", body).body).id;
  }
  const n = seq++;
  return oktaScim("PATCH", `/Users/${ownedUser}`, patchBody(OWNED.map((path) =>
    ({ op: "replace", path, value: path === "profileUrl" ? `https://example.com/${n}` : `offer ${n}` }))));
};

// [defect, input, expected status, () => answer, goal ms (default GOAL_MS)]
const ROWS = [
  ["1 error text", "filter quoting a multi-byte character (é pr)", 400, () => scim("GET", `/Users?filter=${enc("é pr")}`)],
  ["1 error text", "unauthenticated GET /t/%FF/scim/v2/Users", 404, () => request("GET", "/t/%FF/scim/v2/Users")],
  ["1 error text", "POST /Users?attributes=%FF (refused before the write)", 400,
    () => scim("POST", "/Users?attributes=%FF", entraUser(seq++, "attr"))],
  ["1 error text", "cursor=%FF", 400, () => scim("GET", "/Users?cursor=%FF")],
  ["2 PATCH size", "user PATCH, 1,000 operations (the cap)", 204,
    () => scim("PATCH", `/Users/${userId(seq++)}`, patchBody(Array.from({ length: 1000 }, (_, i) => ({ op: "replace", path: "title", value: `T${i}` }))))],
  ["2 PATCH size", "user PATCH, 1,001 operations", 400,
    () => scim("PATCH", `/Users/${userId(seq++)}`, patchBody(Array.from({ length: 1001 }, (_, i) => ({ op: "replace", path: "title", value: `T${i}` }))))],
  ["2 PATCH size", "group PATCH adding 200 unknown ids (the cap)", 400,
    () => scim("PATCH", `/Groups/${groupId}`, patchBody([{ op: "add", path: "members", value: unknownIds(200, "u") }]))],
  ["2 PATCH size", "group PATCH adding 201 ids", 400,
    () => scim("PATCH", `/Groups/${groupId}`, patchBody([{ op: "add", path: "members", value: unknownIds(201, "v") }]))],
  ["2 PATCH size", "group PATCH adding 200 users (the cap)", 204, () => {
    const start = (seq++ * 200) % Math.max(1, USERS - 200);
    return scim("PATCH", `/Groups/${groupId}`, patchBody([{ op: "add", path: "members",
      value: Array.from({ length: 200 }, (_, i) => ({ value: userId(start + i) })) }]));
  }],
  ["2 PATCH size", "group PATCH adding 200 users to a group whose rule has 50 entitlements (the caps)", 204, () => {
    const start = (seq++ * 200) % Math.max(1, USERS - 200);
    return scim("PATCH", `/Groups/${ruledGroupId}`, patchBody([{ op: "add", path: "members",
      value: Array.from({ length: 200 }, (_, i) => ({ value: userId(start + i) })) }]));
  }],
  ["2 PATCH size", "user PATCH, 1,000 operations each adding one email (over 100 values)", 400,
    () => scim("PATCH", `/Users/${userId(seq++)}`, patchBody(Array.from({ length: 1000 }, (_, i) => ({ op: "add", path: "emails", value: [{ value: `p${i}@x.com` }] }))))],
  ["2 PATCH size", "user PATCH giving emails 1,001 values in one operation", 400,
    () => scim("PATCH", `/Users/${userId(seq++)}`, patchBody([{ op: "add", path: "emails", value: Array.from({ length: 1001 }, (_, i) => ({ value: `q${i}@x.com` })) }]))],
  ["2 PATCH size", "group PATCH, 201 operations of one unknown member each", 400,
    () => scim("PATCH", `/Groups/${groupId}`, patchBody(Array.from({ length: 201 }, (_, i) => ({ op: "add", path: "members", value: [{ value: `w-${i}-0000-0000-000000000000` }] }))))],
  ["3 listing", "non-indexed filter, no cursor (stops past 1,000 examined)", 400, () => scim("GET", `/Users?filter=${enc('title eq "nobody"')}`)],
  ["3 listing", "non-indexed filter with cursor (1,000 examined)", 200, () => scim("GET", `/Users?filter=${enc('title eq "nobody"')}&cursor=`)],
  ["3 listing", "32-comparison filter with cursor (400 examined, its bound)", 200, () => scim("GET", `/Users?filter=${enc(ors(32))}&cursor=`)],
  ["3 listing", "32-comparison filter, no cursor (stops past 400 examined)", 400, () => scim("GET", `/Users?filter=${enc(ors(32))}`)],
  ["3 listing", "33-comparison filter", 400, () => scim("GET", `/Users?filter=${enc(ors(33))}&cursor=`)],
  ["3 listing", "sortBy, no filter (stops past 1,000 examined)", 400, () => scim("GET", "/Users?sortBy=title&count=10")],
  ["3 listing", "startIndex 1,001 with no position (skips 1,000 ids, the cap)", 200,
    () => scim("GET", "/Users?startIndex=1001&count=100")],
  ["3 listing", "startIndex 1,002 with no position", 400, () => scim("GET", "/Users?startIndex=1002&count=100")],
  ["4 externalId", "externalId eq (one of 100,000)", 200, () => scim("GET", `/Users?filter=${enc(`externalId eq "user-ext-${seq++ % USERS}"`)}`)],
  ["5 sub-attributes", "POST with 100 roles carrying undeclared sub-attributes", 201,
    () => scim("POST", "/Users", { userName: `roles${seq++}@x`, roles: Array.from({ length: 100 }, (_, i) => ({ value: `r${i}`, password: "p", x: "y" })) })],
  ["7 value sizes", "POST with a 200 KiB userName", 400, () => scim("POST", "/Users", { userName: "a".repeat(200 * 1024) })],
  ["7 value sizes", "POST with 2,000 emails", 400,
    () => scim("POST", "/Users", { userName: `many${seq++}@x`, emails: Array.from({ length: 2000 }, (_, i) => ({ value: `e${i}@x.com` })) })],
  ["7 value sizes", "POST at the caps (512-byte userName, 100 emails)", 201,
    () => scim("POST", "/Users", { userName: `${seq++}`.padEnd(512, "z"), emails: Array.from({ length: 100 }, (_, i) => ({ value: `c${seq}-${i}@x.com` })) })],
  ["11 URL", "GET with a 16 KiB query string (the cap)", 400,
    () => scim("GET", `/Users?filter=${"x".repeat(16 * 1024 - 200)}`)],
  ["11 URL", "GET with a query string over 16 KiB", 414, () => scim("GET", `/Users?filter=${"x".repeat(16 * 1024 + 1)}`)],
  ["body", `POST with a body of ${fmt(modules.maxBodyBytes)} bytes less 1 KiB (the body limit)`, 201,
    () => scim("POST", "/Users", { userName: `big${seq++}@x`, padding: "p".repeat(modules.maxBodyBytes - 1024) })],
  ["body", "POST with a body one byte over the limit", 413,
    () => request("POST", `${base}/Users`, { token, text: "x".repeat(modules.maxBodyBytes + 1) })],
  ["body", "JSON nested 100,000 levels", 400, () => request("POST", `${base}/Users`, { token, text: "[".repeat(100000) + "]".repeat(100000) })],
  ["body", "JSON nested 32 levels (the cap)", 201,
    () => request("POST", `${base}/Users`, { token, text: `{"userName":"n${seq++}","x":` + "[".repeat(31) + "]".repeat(31) + "}" })],
  ["audit", "audit query matching nothing (reads 2,500 events, the cap; answers next)", 200,
    () => request("GET", "/admin/v1/tenants/hostile/audit?actor=nobody", { token: ADMIN_TOKEN })],
  ["audit", "audit query by user over the whole log, JSON lines", 200,
    () => request("GET", `/admin/v1/tenants/hostile/audit?user=${userId(seq++)}&format=jsonl&limit=1000`, { token: ADMIN_TOKEN })],
  ["console", "user search matching nothing (reads 1,000 users, the cap; answers next)", 200,
    () => request("GET", "/admin/v1/tenants/hostile/users?q=nobody-matches-this&limit=200", { token: ADMIN_TOKEN })],
  ["console", "admin request with a forged console session cookie (router)", 401,
    () => request("GET", "/admin/v1/tenants/hostile/users", { headers: { cookie: `dbcs=dbcs1.99999999999999.${"A".repeat(22)}.${"B".repeat(43)}` } })],
  ["console", "user search with a 257-byte query", 400,
    () => request("GET", `/admin/v1/tenants/hostile/users?q=${"q".repeat(257)}`, { token: ADMIN_TOKEN })],
  ["custom API", "batchadd of 1,000 existing users, unchanged (the cap: 1,000 lookups and compares)", 200,
    () => lp("batchadd", seededNames(1000)), BATCH_GOAL_MS],
  ["custom API", "batchadd of 1,001 items", 413, () => lp("batchadd", seededNames(1001))],
  ["custom API", "getuserdata of everyone (1,000 users per call, the cap; answers next)", 200, () => lp("getuserdata", {})],
  ["custom API", "a wrong provhash (one index read, nothing written)", 401, () => lp("getuserdata", {}, "0".repeat(64))],
  ["precedence", "PUT precedence rules at the caps (50 attributes, 10 sources each)", 200,
    () => request("PUT", PRECEDENCE_PATH, { token: ADMIN_TOKEN, json: capRules })],
  ["precedence", "PUT precedence rules with 51 attributes", 400,
    () => request("PUT", PRECEDENCE_PATH, { token: ADMIN_TOKEN, json: overRules })],
  ["precedence", "user PATCH from the weakest of 10 sources offering 10 owned attributes (10 conflicts logged)", 200, offerOwned],
];
ROWS.push(...(await googlePushRows({ request, modules, setup: google })));
ROWS.push(...(await graphNotifyRows({ request, modules, setup: graph })));

const rows = [];
const notMeasured = [];
for (const [defect, input, status, run, goalMs = GOAL_MS] of ROWS) {
  let worst = 0;
  let worstWall = 0;
  let failure = null;
  run(); // warm-up
  for (let i = 0; i < SAMPLES; i++) {
    const a = run();
    if (a.status !== status) {
      failure = `answered ${a.status}, expected ${status}: ${String(a.body).slice(0, 300)}`;
      break;
    }
    worst = Math.max(worst, a.cpuUs);
    worstWall = Math.max(worstWall, a.ns / 1000);
  }
  if (failure) {
    notMeasured.push([input, failure]);
    continue;
  }
  rows.push([defect, input, status, fmt(worst / 1000, 1), fmt(worstWall / 1000, 1), worst / 1000 <= goalMs ? "yes" : "NO", goalMs]);
}

console.log("");
printTable(["defect", "input", "status", "worst CPU ms", "worst wall ms", "within goal"],
  rows.map((r) => [...r.slice(0, 5), r[6] === GOAL_MS ? r[5] : `${r[5]} (goal ${fmt(r[6])} ms)`]));
const load = os.loadavg().map((x) => x.toFixed(1)).join(" ");
console.log(`machine: ${os.cpus().length} CPUs, load average ${load}`);
const over = rows.filter((r) => r[5] !== "yes");
console.log(over.length ? `over the goal: ${over.map((r) => r[1]).join("; ")}` :
  `every row within its goal (${GOAL_MS} ms of CPU; the custom API batch ${fmt(BATCH_GOAL_MS)} ms)`);
await google.google.close();
await graph.close();
if (notMeasured.length) {
  console.log("\nNOT MEASURED:");
  for (const [name, why] of notMeasured) console.log(`  ${name}: ${why}`);
  process.exitCode = 1;
}
