// The node:wasi host: loads every dirbridge module of a build (dist/wasi/, listed in
// its modules.json) as a WASI reactor, one instance each, and runs requests the way
// Workers does: route in the edge module, then handle in the tenant module the
// router named. Calls are synchronous and return the module's parsed answer (see
// wasm/module_exports.h).
//
// Storage is one FileKvStore for the whole process; tenants are kept apart by the
// key layout (every key starts with the tenant), not by the host. The modules see
// only the config names they are given, never process.env, and no files (no preopens).
//
// Each dirbridge_handle call is one store transaction (FileKvStore.transaction): its
// kv_commit batches apply in memory, seen by its own reads, and reach the log as one
// durable line when the call returns; a call that throws (a trap, an import that
// threw out of the module) or answers 5xx is undone and writes nothing, as under
// workerd's transactionSync (host_runtime.mjs, keepUnlessFailed). Such a call may
// also leave the module's heap half-updated, so that instance is dropped and the next
// call gets a fresh one (ModuleSlot). A store without transaction() (a test double)
// gets each batch as it comes.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { WASI } from "node:wasi";
import {
  ModuleSlot,
  UndoneCall,
  bindModule,
  checkRouteAnswer,
  edgeModuleName,
  keepUnlessFailed,
  makeSealer,
  randomBytes,
  routeHost,
  tenantModule,
  tickModuleName,
  verifyJws,
  writeLog,
} from "../host_runtime.mjs";

// Where the host keeps each tenant's next wake-up (ms), written in the same store
// transaction as the call that reported it, so that a restarted host re-arms its
// timers from the store (listWakes). Outside every tenant's "t/{tenant}/" keys.
export const WAKE_PREFIX = "host/wake/";

export const DEFAULT_MODULES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../dist/wasi");

// The token key of this process, for callers that give none (made on first use).
let processKey = null;
function processTokenKey() {
  processKey ??= Buffer.from(randomBytes(32)).toString("base64url");
  return processKey;
}

function defaultLog(level, message) {
  writeLog(level, message, { debug: Boolean(process.env.DIRBRIDGE_DEBUG) });
}

// One WASI instance of a compiled module, bound to the ABI.
function instantiate(compiled) {
  let memory = null;
  const view = () => {
    // Cached until memory grows (growth detaches the old buffer).
    const buf = memory.buffer;
    if (view.cache?.buffer !== buf) view.cache = new Uint8Array(buf);
    return view.cache;
  };
  const binding = bindModule(view);
  const wasi = new WASI({ version: "preview1", args: [], env: {}, preopens: {} });
  const instance = new WebAssembly.Instance(compiled, {
    wasi_snapshot_preview1: wasi.wasiImport,
    dirbridge: binding.imports,
  });
  memory = instance.exports.memory;
  wasi.initialize(instance); // runs _initialize: C++ static constructors
  binding.attach(instance.exports);
  return binding;
}

// Loads the modules listed in `dir`/modules.json. Options: store (a FileKvStore, or
// anything with get/list/commit and ideally transaction(fn); required to handle),
// config ({name: value}), log(level, message) to redirect module logs, wrapTenantHost(host)
// -> host to wrap the host object of tenant calls (tests inject failures with it),
// secretKey (DIRBRIDGE_SECRET_KEY: the key the sealing imports use; only this host
// reads it, modules never see it; without it sealing answers 503).
// onWake(tenant, wake, cause) called after a tenant call that reported its next
// wake-up has committed (cause "handle", "tick" or "resume"; wake ms or null).
// Without DIRBRIDGE_TOKEN_KEY in config, a random key is made for this process: the
// tokens it issues stop working when it ends (pass one to keep them). Returns
//   {registry, maxBodyBytes, maxUrlBytes, route(envelope), handle(module, envelope),
//    tick(tenant), resume(module, tenant, id, outcome), listWakes(), dispatch(envelope)}.
export async function loadWasiModules(
  dir = DEFAULT_MODULES_DIR,
  { store, config = {}, secretKey, log = defaultLog, wrapTenantHost = (h) => h, onWake = () => {} } = {},
) {
  const registry = JSON.parse(fs.readFileSync(path.join(dir, "modules.json"), "utf8"));
  const edge = edgeModuleName(registry);
  if (!config.DIRBRIDGE_TOKEN_KEY) config = { ...config, DIRBRIDGE_TOKEN_KEY: processTokenKey() };

  const base = {
    nowMs: () => Date.now(),
    randomBytes,
    log,
    config: (name) => (Object.hasOwn(config, name) ? String(config[name]) : undefined),
  };
  const sealer = makeSealer(secretKey, randomBytes);
  const storeHost = wrapTenantHost({
    ...base,
    seal: sealer.seal,
    open: sealer.open,
    signRs256: sealer.signRs256,
    verifyJws,
    kvGet: (key) => store.get(key),
    kvList: (prefix, startAfter, limit) => store.list(prefix, startAfter, limit),
    kvCommit: (ops) => store.commit(ops),
  });
  const atomically = store && typeof store.transaction === "function" ? (fn) => store.transaction(fn) : (fn) => fn();
  const edgeHost = routeHost(base);

  const slots = new Map();
  for (const [name, entry] of Object.entries(registry)) {
    const compiled = await WebAssembly.compile(fs.readFileSync(path.join(dir, entry.file)));
    const slot = new ModuleSlot(() => instantiate(compiled));
    slot.callSync(() => {}); // instantiate now: fail at load time, not on the first request
    slots.set(name, slot);
  }
  // The body limit is the modules' (kMaxRequestBodyBytes): one number for all of them.
  const maxBodyBytes = slots.get(edge).callSync((m) => m.maxBodyBytes());
  for (const [name, slot] of slots) {
    const n = slot.callSync((m) => m.maxBodyBytes());
    if (n !== maxBodyBytes) throw new Error(`module ${name} states a body limit of ${n} bytes, ${edge} ${maxBodyBytes}`);
  }
  // The URL limit is the router's to enforce; the HTTP server only needs to let such
  // targets through to it.
  const maxUrlBytes = slots.get(edge).callSync((m) => m.maxUrlBytes());

  const route = (envelope) =>
    checkRouteAnswer(
      slots.get(edge).callSync((m) => m.call("dirbridge_route", envelope, edgeHost)),
      registry,
    );
  // One tenant call in one store transaction; the wake-up it reports is kept in the
  // same transaction (WAKE_PREFIX) and passed to onWake once committed.
  const tenantCall = (module, exportName, envelope, tenant, cause) => {
    tenantModule(registry, module);
    if (!store) throw new Error(`loadWasiModules: ${exportName} needs a store`);
    let answer;
    try {
      answer = slots.get(module).callSync((m) =>
        atomically(() => {
          const a = keepUnlessFailed(m.call(exportName, envelope, storeHost));
          if (a.wake !== undefined && typeof tenant === "string" && tenant !== "") {
            // Written only when it changes: most writes leave a tenant with nothing due.
            // A store that fails here fails no call: the wake-up is still armed in
            // memory, and the tenant's next call writes it again.
            const key = WAKE_PREFIX + tenant;
            try {
              const kept = store.get(key);
              if (a.wake === null && kept !== undefined) store.commit([["delete", key]]);
              else if (a.wake !== null && kept !== String(a.wake)) store.commit([["put", key, String(a.wake)]]);
            } catch (e) {
              log(3, `dirbridge effects: cannot keep the wake-up of tenant ${tenant}: ${e.message}`);
            }
          }
          return a;
        }),
      );
    } catch (e) {
      if (e instanceof UndoneCall) return e.answer;
      throw e;
    }
    if (answer.wake !== undefined && typeof tenant === "string" && tenant !== "") onWake(tenant, answer.wake, cause);
    return answer;
  };
  const handle = (module, envelope) => tenantCall(module, "dirbridge_handle", envelope, envelope && envelope.tenant, "handle");
  const tickModule = tickModuleName(registry);
  const tick = (tenant) => tenantCall(tickModule, "dirbridge_tick", { tenant }, tenant, "tick");
  const resume = (module, tenant, id, outcome) =>
    tenantCall(module, "dirbridge_resume", { tenant, id, outcome }, tenant, "resume");
  // The wake-ups kept in the store: [[tenant, ms], ...].
  const listWakes = () => {
    if (!store) return [];
    return store.list(WAKE_PREFIX, "", Infinity).map(([k, v]) => [k.slice(WAKE_PREFIX.length), Number(v)]);
  };
  return {
    registry,
    maxBodyBytes,
    maxUrlBytes,
    route,
    handle,
    tick,
    resume,
    listWakes,
    // One request as the hosts run it: route, then handle unless routing answered.
    dispatch(envelope) {
      const routed = route(envelope);
      return routed.response ?? handle(routed.module, routed.request);
    },
  };
}
