// The node:wasi host: loads a dirbridge WASI reactor (dist/wasi/*.wasm) and exposes
// route(envelope) and handle(envelope), both synchronous, both returning the
// module's parsed JSON answer (see wasm/module_exports.h).
//
// Storage is one FileKvStore for the whole process; tenants are kept apart by the
// key layout (every key starts with the tenant), not by the host. The module sees
// only the config names it is given, never process.env, and no files (no preopens).
//
// A call that throws (a trap, a host import that threw) may leave the module's heap
// half-updated, so the instance is dropped and the next call gets a fresh one; the
// store is untouched by a failed call because writes only happen in kv_commit.

import fs from "node:fs";
import { WASI } from "node:wasi";
import { callModule, checkRouteAnswer, makeDirbridgeImports, randomBytes, routeHost } from "../abi.mjs";

const LEVELS = ["debug", "info", "warn", "error"];

function defaultLog(level, message) {
  const line = `[dirbridge ${LEVELS[level] ?? level}] ${message}`;
  if (level >= 2) console.error(line);
  else if (level >= 1 || process.env.DIRBRIDGE_DEBUG) console.log(line);
}

// Options: store (a FileKvStore; required for handle), config ({name: value}),
// log(level, message) to redirect module logs.
export async function loadWasiModule(wasmPath, { store, config = {}, log = defaultLog } = {}) {
  const compiled = await WebAssembly.compile(fs.readFileSync(wasmPath));

  const base = {
    nowMs: () => Date.now(),
    randomBytes,
    log,
    config: (name) => (Object.hasOwn(config, name) ? String(config[name]) : undefined),
  };
  const storeHost = {
    ...base,
    kvGet: (key) => store.get(key),
    kvList: (prefix, startAfter, limit) => store.list(prefix, startAfter, limit),
    kvCommit: (ops) => store.commit(ops),
  };
  const edgeHost = routeHost(base);

  let instance = null;
  let current = edgeHost;
  const view = () => {
    // Cached until memory grows (growth detaches the old buffer).
    const buf = instance.exports.memory.buffer;
    if (view.cache?.buffer !== buf) view.cache = new Uint8Array(buf);
    return view.cache;
  };

  function instantiate() {
    const wasi = new WASI({ version: "preview1", args: [], env: {}, preopens: {} });
    const imports = {
      wasi_snapshot_preview1: wasi.wasiImport,
      dirbridge: makeDirbridgeImports(() => current, view),
    };
    const inst = new WebAssembly.Instance(compiled, imports);
    instance = inst;
    view.cache = null;
    wasi.initialize(inst); // runs _initialize: C++ static constructors
    return inst;
  }

  function call(name, envelope, host) {
    if (!instance) instantiate();
    current = host;
    try {
      return callModule(instance.exports, name, envelope, view);
    } catch (e) {
      instance = null;
      throw e;
    } finally {
      current = edgeHost;
    }
  }

  instantiate(); // fail at load time, not on the first request, if imports mismatch
  return {
    route: (envelope) => checkRouteAnswer(call("dirbridge_route", envelope, edgeHost)),
    handle: (envelope) => {
      if (!store) throw new Error("loadWasiModule: handle needs a store");
      return call("dirbridge_handle", envelope, storeHost);
    },
  };
}
