// `npm run serve`: dirbridge on this machine, ready for an IdP or curl.
//
//   node deploy/local/serve.mjs              the Workers build under workerd (Miniflare),
//                                            configured from deploy/cloudflare/wrangler.json
//   node deploy/local/serve.mjs --host=wasi  the WASI build under node:wasi
//
// A development server: it prints its secrets (the admin token, the dev tenant's
// bearer token) so they can be pasted into curl or an IdP's test connection.
//
// Env: PORT (default 8787); DIRBRIDGE_DATA_DIR, the state root (default .dirbridge),
// made 0700: workers/ (Durable Object storage), wasi/ (the KV log), and the secrets,
// each a 0600 file: admin-token, token-key, dev-tenant.json (holds the dev bearer
// token); DIRBRIDGE_ADMIN_TOKEN (else a dev token made once and kept in the root);
// DIRBRIDGE_TOKEN_KEY, the key bearer tokens are MAC'ed with (else one made once and
// kept in the root; tokens issued under one key fail under another);
// DIRBRIDGE_SECRET_KEY, the key sealed secrets are sealed with (else one made once and
// kept in the root as secret-key; never passed to the modules).
//
// The Workers host reads the very wrangler.json that deploys, so local runs the deploy
// configuration rather than a look-alike; settings it cannot map are reported. On
// the first start for a host it creates a dev tenant and an Entra connection through
// the admin API and keeps them in dev-tenant.json. It prints "dirbridge ready at
// <url>" once serving (tests/e2e/server_harness.mjs waits for that line).

import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const WRANGLER_CONFIG = path.join(REPO_ROOT, "deploy/cloudflare/wrangler.json");
// The registry each host loads its modules by, written by the build once every
// module is built (cmake/WasmModule.cmake).
const BUILD_OUTPUT = {
  workers: path.join(REPO_ROOT, "dist/workers/modules.mjs"),
  wasi: path.join(REPO_ROOT, "dist/wasi/modules.json"),
};
// wrangler.json keys this script maps to Miniflare, or that do not change behaviour.
const MAPPED_KEYS = new Set([
  "$schema",
  "name",
  "main",
  "compatibility_date",
  "compatibility_flags",
  "rules",
  "durable_objects",
  "migrations",
  "vars",
  "observability",
]);

function parseArgs(argv) {
  const args = { host: "workers" };
  for (const a of argv) {
    const m = /^--host=(workers|wasi)$/.exec(a);
    if (m) args.host = m[1];
    else throw new Error(`unknown argument ${a} (usage: serve.mjs [--host=workers|wasi])`);
  }
  return args;
}

// wrangler.json may carry comments and trailing commas (wrangler reads it as JSONC).
export function parseJsonc(text) {
  // Pass 1 drops comments, pass 2 trailing commas; both step over strings whole.
  const scan = (src, onChar) => {
    let out = "";
    for (let i = 0; i < src.length; i++) {
      if (src[i] === '"') {
        const start = i;
        for (i++; i < src.length && src[i] !== '"'; i++) if (src[i] === "\\") i++;
        out += src.slice(start, i + 1);
      } else {
        const r = onChar(src, i);
        out += r.text;
        i = r.next;
      }
    }
    return out;
  };
  const noComments = scan(text, (src, i) => {
    if (src[i] === "/" && src[i + 1] === "/") {
      const nl = src.indexOf("\n", i);
      return { text: "\n", next: nl < 0 ? src.length : nl };
    }
    if (src[i] === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      if (end < 0) throw new Error("unterminated /* comment");
      return { text: " ", next: end + 1 };
    }
    return { text: src[i], next: i };
  });
  const clean = scan(noComments, (src, i) => {
    if (src[i] === "," && /^\s*[}\]]/.test(src.slice(i + 1, i + 200))) return { text: "", next: i };
    return { text: src[i], next: i };
  });
  return JSON.parse(clean);
}

// deploy/cloudflare/wrangler.json -> Miniflare options (without persistence and port).
export function miniflareOptionsFromWrangler(configPath = WRANGLER_CONFIG) {
  const cfg = parseJsonc(fs.readFileSync(configPath, "utf8"));
  const unmapped = Object.keys(cfg).filter((k) => !MAPPED_KEYS.has(k));
  if (unmapped.length) {
    // Refuse rather than run something other than what deploys.
    throw new Error(`${configPath}: serve.mjs does not map ${unmapped.join(", ")} to Miniflare yet`);
  }
  const sqliteClasses = new Set((cfg.migrations || []).flatMap((m) => m.new_sqlite_classes || []));
  const durableObjects = {};
  for (const b of (cfg.durable_objects && cfg.durable_objects.bindings) || []) {
    durableObjects[b.name] = {
      className: b.class_name,
      useSQLite: sqliteClasses.has(b.class_name),
      ...(b.script_name ? { scriptName: b.script_name } : {}),
    };
  }
  return {
    name: cfg.name,
    modules: true,
    scriptPath: path.resolve(path.dirname(configPath), cfg.main),
    // The Worker imports dist/ and wasm/ from the repository root.
    modulesRoot: REPO_ROOT,
    modulesRules: (cfg.rules || []).map((r) => ({ type: r.type, include: r.globs, fallthrough: r.fallthrough })),
    compatibilityDate: cfg.compatibility_date,
    compatibilityFlags: cfg.compatibility_flags || [],
    durableObjects,
    bindings: { ...(cfg.vars || {}) },
  };
}

function ensureBuilt(host) {
  if (fs.existsSync(BUILD_OUTPUT[host])) return;
  console.log(`${path.relative(REPO_ROOT, BUILD_OUTPUT[host])} is missing: running deploy/local/build.sh`);
  const r = spawnSync("bash", ["deploy/local/build.sh"], { cwd: REPO_ROOT, stdio: "inherit" });
  if (r.status !== 0 || !fs.existsSync(BUILD_OUTPUT[host])) {
    throw new Error(`deploy/local/build.sh failed (exit ${r.status}) or did not produce ${BUILD_OUTPUT[host]}`);
  }
}

const SECRET_MODE = 0o600;
const ROOT_MODE = 0o700;

// Writes a file only its owner can read, whether or not it existed before.
function writeSecretFile(file, text) {
  fs.writeFileSync(file, text, { mode: SECRET_MODE });
  fs.chmodSync(file, SECRET_MODE); // the mode option only applies to a new file
}

// A secret from the environment, else kept in `root/name` (made once by `make()`), so
// that it survives restarts: saved curl commands and issued tokens keep working.
function keptSecret(root, envName, fileName, make) {
  if (process.env[envName]) return process.env[envName];
  const file = path.join(root, fileName);
  try {
    const t = fs.readFileSync(file, "utf8").trim();
    if (t) {
      fs.chmodSync(file, SECRET_MODE); // a file from an older version may be wider
      return t;
    }
  } catch (e) {
    if (e.code !== "ENOENT") throw e;
  }
  const value = make();
  writeSecretFile(file, value + "\n");
  return value;
}

function adminToken(root) {
  return keptSecret(root, "DIRBRIDGE_ADMIN_TOKEN", "admin-token", () => "dev-admin-" + crypto.randomBytes(24).toString("base64url"));
}

// The key connection tokens are MAC'ed with (shared/tenancy/bearer_token.h).
function tokenKey(root) {
  return keptSecret(root, "DIRBRIDGE_TOKEN_KEY", "token-key", () => crypto.randomBytes(32).toString("base64url"));
}

// The key sealed secrets are sealed with (wasm/hosts/sealing.mjs): 32 bytes, base64.
// Only the host reads it; the modules never see it.
function secretKey(root) {
  return keptSecret(root, "DIRBRIDGE_SECRET_KEY", "secret-key", () => crypto.randomBytes(32).toString("base64"));
}

// Test hooks, passed on only when set: DIRBRIDGE_TEST_EFFECTS=1 opens the admin API's
// test-only effect routes; DIRBRIDGE_SEND_DELAY_MS holds back the sending of effects
// after their commit (the window a crash test kills the server in); DIRBRIDGE_OKTA_POLL_MS
// shortens the Okta System Log catch-up interval; DIRBRIDGE_GOOGLE_API_BASE points the
// Google Workspace connections at a local stand-in (tests/google) instead of Google;
// DIRBRIDGE_GRAPH_API_BASE does the same for Microsoft Graph and its token endpoint
// (tests/graph), and DIRBRIDGE_GRAPH_SUBSCRIPTION_SECONDS asks for shorter Graph
// subscriptions (a renewal test).
function testSettings() {
  const out = {};
  for (const name of ["DIRBRIDGE_TEST_EFFECTS", "DIRBRIDGE_SEND_DELAY_MS", "DIRBRIDGE_OKTA_POLL_MS", "DIRBRIDGE_GOOGLE_API_BASE", "DIRBRIDGE_GRAPH_API_BASE", "DIRBRIDGE_GRAPH_SUBSCRIPTION_SECONDS"]) if (process.env[name]) out[name] = process.env[name];
  return out;
}

async function startWorkers({ root, port, token, key, sealKey }) {
  const { Miniflare } = await import("miniflare");
  const options = miniflareOptionsFromWrangler();
  const before = { SIGINT: process.listeners("SIGINT"), SIGTERM: process.listeners("SIGTERM") };
  const mf = new Miniflare({
    ...options,
    bindings: {
      ...options.bindings,
      DIRBRIDGE_ADMIN_TOKEN: token,
      DIRBRIDGE_TOKEN_KEY: key,
      DIRBRIDGE_SECRET_KEY: sealKey,
      ...testSettings(),
    },
    durableObjectsPersist: path.join(root, "workers"),
    host: "127.0.0.1",
    port,
  });
  // Miniflare's own signal hook fires its cleanup without waiting and exits with
  // 128+signal; take the signals back so that main() awaits dispose() and exits 0.
  for (const signal of ["SIGINT", "SIGTERM"]) {
    for (const l of process.listeners(signal)) if (!before[signal].includes(l)) process.removeListener(signal, l);
  }
  const url = await mf.ready;
  return { url: url.origin, close: () => mf.dispose() };
}

async function startWasi({ root, port, token, key, sealKey }) {
  const { startWasiServer } = await import("../../wasm/hosts/wasi/serve.mjs");
  return startWasiServer({
    modulesDir: path.dirname(BUILD_OUTPUT.wasi),
    dataDir: path.join(root, "wasi"),
    port,
    config: { DIRBRIDGE_ADMIN_TOKEN: token, DIRBRIDGE_TOKEN_KEY: key, ...testSettings() },
    secretKey: sealKey,
    sendDelayMs: Number(process.env.DIRBRIDGE_SEND_DELAY_MS || 0),
  });
}

async function fetchJson(url, init) {
  const res = await fetch(url, init);
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

// The dev tenant of this host: reused while its token still works, else created.
async function devTenant({ root, host, origin, token }) {
  const file = path.join(root, "dev-tenant.json");
  let saved = {};
  try {
    saved = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    if (e.code !== "ENOENT") console.warn(`ignoring unreadable ${file}: ${e.message}`);
  }
  const mine = saved[host];
  if (mine && mine.connection && mine.connection.scimBaseUrl) {
    // The port may have changed since: keep the path the module chose, use our origin.
    const scimBaseUrl = origin + new URL(mine.connection.scimBaseUrl).pathname;
    const probe = await fetch(`${scimBaseUrl}/ServiceProviderConfig`, {
      headers: { authorization: `Bearer ${mine.connection.token}` },
    }).catch(() => null);
    if (probe && probe.ok) return { ...mine, connection: { ...mine.connection, scimBaseUrl } };
    console.warn(`the saved dev tenant no longer answers (status ${probe && probe.status}); creating a new one`);
  }
  const admin = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const t = await fetchJson(`${origin}/admin/v1/tenants`, {
    method: "POST",
    headers: admin,
    body: JSON.stringify({ name: "Dev tenant" }),
  });
  if (t.status !== 201 || !t.body || !t.body.id) {
    throw new Error(`POST /admin/v1/tenants answered ${t.status}: ${JSON.stringify(t.body).slice(0, 300)}`);
  }
  const c = await fetchJson(`${origin}/admin/v1/tenants/${encodeURIComponent(t.body.id)}/connections`, {
    method: "POST",
    headers: admin,
    body: JSON.stringify({ kind: "entra" }),
  });
  if (c.status !== 201 || !c.body || !c.body.token || !c.body.scimBaseUrl) {
    throw new Error(`POST /admin/v1/tenants/${t.body.id}/connections answered ${c.status}: ${JSON.stringify(c.body).slice(0, 300)}`);
  }
  const entry = { tenant: t.body, connection: c.body };
  saved[host] = entry;
  writeSecretFile(file, JSON.stringify(saved, null, 2) + "\n");
  return entry;
}

async function main() {
  const { host } = parseArgs(process.argv.slice(2));
  const root = path.resolve(process.env.DIRBRIDGE_DATA_DIR || path.join(REPO_ROOT, ".dirbridge"));
  const port = Number(process.env.PORT || 8787);
  // The root holds every tenant's data and the secrets: its owner's only.
  fs.mkdirSync(root, { recursive: true, mode: ROOT_MODE });
  fs.chmodSync(root, ROOT_MODE);
  ensureBuilt(host);
  const token = adminToken(root);
  const key = tokenKey(root);
  const sealKey = secretKey(root);

  const server = await (host === "wasi" ? startWasi : startWorkers)({ root, port, token, key, sealKey });
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: shutting down`);
    await server.close();
    // Let the event loop drain rather than exit at once: Miniflare removes its
    // temporary directory in the background after dispose(). The timer only bounds
    // the wait if something (a keep-alive socket) holds the loop open.
    process.exitCode = 0;
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  console.log(`dirbridge (${host === "wasi" ? "node:wasi" : "workerd"}) serving ${server.url} (development server)`);
  console.log(`  secrets:       kept in ${root} (mode 0700; admin-token, token-key, secret-key, dev-tenant.json: 0600)`);
  console.log(`  admin token:   ${token}`);
  console.log(`  admin console: ${server.url}/console/ (sign in with the dev tenant below and the admin token)`);
  try {
    const dev = await devTenant({ root, host, origin: server.url, token });
    const base = dev.connection.scimBaseUrl;
    console.log(`  dev tenant:    ${dev.tenant.id}`);
    console.log(`  SCIM base URL: ${base}`);
    console.log(`  bearer token:  ${dev.connection.token}`);
    console.log(`  try:  curl -s -H 'Authorization: Bearer ${dev.connection.token}' '${base}/Users?count=10'`);
  } catch (e) {
    // Keep serving: the admin API may be what is being worked on.
    console.warn(`  no dev tenant: ${e.message}`);
  }
  console.log(`dirbridge ready at ${server.url}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`serve.mjs: ${e.stack || e}`);
    process.exit(1);
  });
}
