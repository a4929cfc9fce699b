// The Cloudflare Worker that runs dirbridge (the same file runs locally under workerd
// through deploy/local/serve.mjs).
//
// fetch: HTTP request -> envelope (wasm/module_exports.h) -> dirbridge_route in a
// storage-less module instance at the edge. Routing either answers (404, 401, ...)
// or names a tenant and hands back the envelope to run; that envelope goes as is,
// by RPC, to the tenant's Durable Object, so the object never re-derives it.
//
// TenantDirectory: one Durable Object per tenant, one module instance per object.
// Each request runs dirbridge_handle inside ctx.storage.transactionSync over the
// object's synchronous SQLite-backed KV (ctx.storage.kv), so the C++ stays
// synchronous and a request's writes commit together or not at all.

import { DurableObject } from "cloudflare:workers";
import createDirbridgeModule from "../../../dist/workers/scim.mjs";
import wasmModule from "../../../dist/workers/scim.wasm";
import {
  callModule,
  checkRouteAnswer,
  compareKeys,
  makeDirbridgeImports,
  randomBytes,
  routeHost,
  successorKey,
} from "../../../wasm/hosts/abi.mjs";

const MAX_BODY_BYTES = 1024 * 1024;
// The only settings the module may read through config_get: env also holds bindings.
const CONFIG_NAMES = ["DIRBRIDGE_ADMIN_TOKEN"];
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
const LEVELS = ["debug", "info", "warn", "error"];

function baseHost(env) {
  return {
    nowMs: () => Date.now(),
    randomBytes,
    log: (level, message) => {
      const line = `[dirbridge ${LEVELS[level] || level}] ${message}`;
      if (level >= 2) console.error(line);
      else console.log(line);
    },
    config: (name) => (CONFIG_NAMES.includes(name) && typeof env[name] === "string" ? env[name] : undefined),
  };
}

// One Emscripten instance of the module, with the host object swapped per call.
async function instantiate() {
  const module = await createDirbridgeModule({
    // The .wasm arrives precompiled as a module import; never fetch or compile it.
    locateFile: (p) => p,
    instantiateWasm: (imports, done) => {
      const instance = new WebAssembly.Instance(wasmModule, imports);
      done(instance, wasmModule);
      return instance.exports;
    },
  });
  const exports = {
    dirbridge_alloc: module._dirbridge_alloc,
    dirbridge_free: module._dirbridge_free,
    dirbridge_route: module._dirbridge_route,
    dirbridge_handle: module._dirbridge_handle,
  };
  const view = () => module.HEAPU8; // Emscripten replaces HEAPU8 when memory grows
  // The imports of wasm/hosts/workers/dirbridge_imports.js forward here.
  module.dirbridgeImports = makeDirbridgeImports(() => module.dirbridgeHost, view);
  return {
    call(name, envelope, host) {
      module.dirbridgeHost = host;
      try {
        return callModule(exports, name, envelope, view);
      } finally {
        module.dirbridgeHost = null;
      }
    },
  };
}

// A lazily created instance that is dropped after a failed call: a trap or a throwing
// import can leave the module's heap half-updated.
class ModuleSlot {
  #pending = null;
  async call(name, envelope, host, run = (f) => f()) {
    if (!this.#pending) this.#pending = instantiate();
    let instance;
    try {
      instance = await this.#pending;
    } catch (e) {
      this.#pending = null;
      throw e;
    }
    try {
      return run(() => instance.call(name, envelope, host));
    } catch (e) {
      this.#pending = null;
      throw e;
    }
  }
}

function scimError(status, detail) {
  return {
    status,
    headers: { "content-type": "application/scim+json" },
    body: JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(status), detail }),
  };
}

function toResponse(answer) {
  const body = NULL_BODY_STATUSES.has(answer.status) ? null : answer.body ?? "";
  return new Response(body, { status: answer.status, headers: answer.headers || {} });
}

// The body as a string, or null when it exceeds MAX_BODY_BYTES (read no further).
async function readBody(request) {
  if (Number(request.headers.get("content-length")) > MAX_BODY_BYTES) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let p = 0;
  for (const c of chunks) {
    all.set(c, p);
    p += c.byteLength;
  }
  return new TextDecoder().decode(all);
}

function envelopeOf(request, url, body) {
  const headers = {};
  for (const [name, value] of request.headers) {
    // Internal headers belong to the hosts; a client must never be able to set them.
    if (!name.startsWith("x-dirbridge-")) headers[name] = value;
  }
  return {
    method: request.method,
    path: url.pathname,
    query: url.search.slice(1),
    headers,
    body,
    origin: url.origin,
  };
}

const edge = new ModuleSlot();

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    try {
      const body = await readBody(request);
      if (body === null) return toResponse(scimError(413, `request body exceeds ${MAX_BODY_BYTES} bytes`));
      const host = routeHost(baseHost(env));
      const routed = checkRouteAnswer(await edge.call("dirbridge_route", envelopeOf(request, url, body), host));
      if (routed.response) return toResponse(routed.response);
      const stub = env.TENANTS.get(env.TENANTS.idFromName(routed.tenant));
      return toResponse(await stub.handle(routed.request));
    } catch (e) {
      console.error(`dirbridge worker: ${request.method} ${url.pathname}: ${(e && e.stack) || e}`);
      return toResponse(scimError(500, "internal error"));
    }
  },
};

export class TenantDirectory extends DurableObject {
  #module = new ModuleSlot();
  #host;

  constructor(ctx, env) {
    super(ctx, env);
    const kv = ctx.storage.kv;
    this.#host = {
      ...baseHost(env),
      kvGet: (key) => kv.get(key),
      kvList: (prefix, startAfter, limit) => {
        if (limit === 0) return [];
        // kv.list's start is inclusive; the ABI's start_after is exclusive.
        let start = prefix;
        if (startAfter !== "" && compareKeys(successorKey(startAfter), start) > 0) start = successorKey(startAfter);
        return [...kv.list({ prefix, start, limit })];
      },
      // Nested transactionSync is a savepoint: a batch that fails half-way is undone
      // even though the request's own transaction goes on (the module sees the error).
      kvCommit: (ops) =>
        ctx.storage.transactionSync(() => {
          for (const op of ops) {
            if (op[0] === "put") kv.put(op[1], op[2]);
            else kv.delete(op[1]);
          }
        }),
    };
  }

  // RPC from the Worker: runs one routed envelope; returns {status, headers, body}.
  async handle(envelope) {
    try {
      return await this.#module.call("dirbridge_handle", envelope, this.#host, (run) => this.ctx.storage.transactionSync(run));
    } catch (e) {
      console.error(`dirbridge tenant ${envelope && envelope.tenant}: ${(e && e.stack) || e}`);
      return scimError(500, "internal error");
    }
  }
}
