// The WASI benches' tenant: the modules of dist/wasi/ under the node:wasi host, over an
// in-memory FileKvStore that counts the calls the modules make; one request as the
// host runs it (route, then handle), timed; a tenant with an Entra connection; and
// users seeded through the module's own POST /Users.

import { drainOutbox } from "../wasm/hosts/host_runtime.mjs";
import { FileKvStore } from "../wasm/hosts/wasi/file_kv_store.mjs";
import { DEFAULT_MODULES_DIR, loadWasiModules } from "../wasm/hosts/wasi/wasi_host.mjs";
import { AnswerError, entraUser, fmt } from "./lib.mjs";

export const ORIGIN = "http://127.0.0.1:8787";
export const ADMIN_TOKEN = "bench-admin-token-0123456789abcdef";
export const TOKEN_KEY = "bench-token-key-0123456789abcdef0123456789";
export { DEFAULT_MODULES_DIR };

// The store the modules see: counts every call, forwards to an in-memory FileKvStore.
export class CountingStore {
  constructor(inner) {
    this.inner = inner;
    this.reset();
  }
  reset() {
    this.n = { gets: 0, lists: 0, listed: 0, commits: 0, puts: 0, deletes: 0 };
  }
  get(key) {
    this.n.gets++;
    return this.inner.get(key);
  }
  list(prefix, startAfter, limit) {
    this.n.lists++;
    const out = this.inner.list(prefix, startAfter, limit);
    this.n.listed += out.length;
    return out;
  }
  commit(ops) {
    this.n.commits++;
    for (const op of ops) op[0] === "put" ? this.n.puts++ : this.n.deletes++;
    return this.inner.commit(ops);
  }
}

export function parseBody(answer) {
  if (!answer.body) return null;
  try {
    return JSON.parse(answer.body);
  } catch {
    return answer.body;
  }
}

// The answer's JSON body if its status is one of `ok`, else a loud error.
export function expect(what, answer, ok) {
  if (!ok.includes(answer.status)) throw new AnswerError(what, answer.status, answer.body);
  return parseBody(answer);
}

// The request envelope the hosts hand to dirbridge_route for one HTTP request:
// `pathAndQuery` as sent; `json` becomes the body, or `text` verbatim; `token` the bearer;
// `headers` more headers (lower-case names); `origin` what the client called us by.
export function requestEnvelope(method, pathAndQuery, { token, json, text, headers = {}, origin = ORIGIN } = {}) {
  const q = pathAndQuery.indexOf("?");
  const envelope = {
    method,
    path: q < 0 ? pathAndQuery : pathAndQuery.slice(0, q),
    query: q < 0 ? "" : pathAndQuery.slice(q + 1),
    headers: {},
    body: text !== undefined ? text : json === undefined ? "" : JSON.stringify(json),
    origin,
  };
  if (token) envelope.headers.authorization = `Bearer ${token}`;
  if (json !== undefined || text !== undefined) envelope.headers["content-type"] = "application/scim+json";
  Object.assign(envelope.headers, headers);
  return envelope;
}

// Loads the modules over a counting in-memory store. `moduleLogs` counts warnings
// and errors the modules log. `config` adds settings; `secretKey` is the sealing key.
export async function openModules({ config = {}, secretKey } = {}) {
  const store = new CountingStore(FileKvStore.open(null));
  const moduleLogs = { warn: 0, error: 0, last: "" };
  const modules = await loadWasiModules(DEFAULT_MODULES_DIR, {
    store,
    secretKey,
    config: { DIRBRIDGE_ADMIN_TOKEN: ADMIN_TOKEN, DIRBRIDGE_TOKEN_KEY: TOKEN_KEY, ...config },
    log: (level, message) => {
      if (level >= 2) {
        moduleLogs[level >= 3 ? "error" : "warn"]++;
        moduleLogs.last = message;
      }
    },
  });

  // One HTTP request as the host runs it: route, then handle unless routing answered.
  // `pathAndQuery` is sent as is; `json` becomes the body, or `text` verbatim.
  // Returns {status, headers, body, ns, cpuUs, start, end}.
  function request(method, pathAndQuery, options = {}) {
    const envelope = requestEnvelope(method, pathAndQuery, options);
    const start = performance.now();
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const answer = modules.dispatch(envelope);
    const ns = Number(process.hrtime.bigint() - t0);
    const c = process.cpuUsage(c0);
    // Process-wide CPU also counts V8's background threads (GC, compilers); a synchronous
    // call cannot use more of its own thread than the wall time, so cap it there. The
    // result is an upper bound of the calling thread's CPU time.
    return { ...answer, ns, cpuUs: Math.min(c.user + c.system, ns / 1000), start, end: performance.now() };
  }
  return { store, modules, moduleLogs, request };
}

// A tenant with one Entra connection; `scim(method, path, json)` calls its SCIM API.
export function openTenant(request, id) {
  const t = expect(
    "POST /admin/v1/tenants",
    request("POST", "/admin/v1/tenants", { token: ADMIN_TOKEN, json: { id, name: "Bench tenant" } }),
    [201],
  );
  const conn = expect(
    `POST /admin/v1/tenants/${t.id}/connections`,
    request("POST", `/admin/v1/tenants/${t.id}/connections`, { token: ADMIN_TOKEN, json: { kind: "entra" } }),
    [201],
  );
  const token = conn.token;
  const base = new URL(conn.scimBaseUrl).pathname.replace(/\/$/, "");
  const scim = (method, p, json) => request(method, base + p, { token, json });
  return { tenant: t, token, base, scim };
}

// Creates `count` Entra-shaped users; returns their ids and userNames and the time in
// the module. Throws past `deadline` (performance.now() ms).
export function seedUsers(scim, count, deadline) {
  const ids = new Array(count);
  const names = new Array(count);
  const started = performance.now();
  let moduleNs = 0;
  for (let i = 0; i < count; i++) {
    const body = entraUser(i);
    const a = scim("POST", "/Users", body);
    moduleNs += a.ns;
    ids[i] = expect("seeding POST /Users", a, [201]).id;
    names[i] = body.userName;
    if ((i + 1) % 20_000 === 0) console.error(`  seeded ${fmt(i + 1)} users (${fmt((performance.now() - started) / 1000, 1)} s)`);
    if (performance.now() > deadline) throw new Error(`seeding ${count} users ran out of time after ${i + 1}`);
  }
  return { ids, names, seconds: (performance.now() - started) / 1000, moduleNs };
}

// Drains `tenant`'s outbox as a host would (sending its effects for real) until `done()`
// holds; throws after `timeoutMs`, naming `what`.
export async function drainUntil(modules, tenant, what, done, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not done within ${timeoutMs} ms`);
    await drainOutbox({
      tick: async () => modules.tick(tenant),
      resume: async (module, id, outcome) => modules.resume(module, tenant, id, outcome),
      log: () => {},
    });
    await new Promise((r) => setTimeout(r, 20));
  }
}
