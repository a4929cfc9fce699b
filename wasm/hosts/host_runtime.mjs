// What the JavaScript hosts of dirbridge (deploy/cloudflare/src/worker.mjs on
// Workers, wasm/hosts/wasi/ under node:wasi) share above the ABI's bytes: the module
// registry, one bound module instance, the slot that drops an instance after a
// failed call, request envelopes, the body limit, error bodies and log lines. The
// hosts import from this file only (it re-exports what they need of abi.mjs) and
// keep only what is theirs: storage, instantiation, and their HTTP plumbing.
// See wasm/hosts/host_contract.md.

import { callModule, makeDirbridgeImports } from "./abi.mjs";

export { compareKeys, randomBytes, successorKey } from "./abi.mjs";
export { SECRET_KEY_SETTING, makeSealer } from "./sealing.mjs";
export { verifyJws } from "./jws_verify.mjs";

// ---------------------------------------------------------------------------------
// The module registry: {name: {kind: "edge" | "tenant", ...host-specific}}, generated
// by the build (cmake/WasmModule.cmake): dist/workers/modules.mjs, dist/wasi/modules.json.
// The edge module (functions/router) exports dirbridge_route; tenant modules
// (functions/scim, functions/admin) export dirbridge_handle.

// The name of the registry's one edge module.
export function edgeModuleName(registry) {
  const edges = Object.keys(registry).filter((name) => registry[name].kind === "edge");
  if (edges.length !== 1) throw new Error(`the module registry needs exactly one edge module, has [${edges.join(", ")}]`);
  return edges[0];
}

// The registry entry of tenant module `name`; throws for anything else.
export function tenantModule(registry, name) {
  const entry = Object.hasOwn(registry, name) ? registry[name] : undefined;
  if (!entry || entry.kind !== "tenant") {
    throw new Error(`no tenant module '${name}' in the registry (modules: ${Object.keys(registry).join(", ")})`);
  }
  return entry;
}

// Checks a dirbridge_route answer: {response} or {module, tenant, request} naming a
// tenant module of the registry. Returns it or throws.
export function checkRouteAnswer(answer, registry) {
  if (answer && typeof answer === "object") {
    if (answer.response && typeof answer.response.status === "number") return answer;
    if (
      typeof answer.tenant === "string" &&
      answer.tenant !== "" &&
      typeof answer.module === "string" &&
      answer.request &&
      typeof answer.request === "object"
    ) {
      tenantModule(registry, answer.module);
      return answer;
    }
  }
  throw new Error(
    `dirbridge_route answered neither {response} nor {module, tenant, request}: ${JSON.stringify(answer).slice(0, 200)}`,
  );
}

// ---------------------------------------------------------------------------------
// One instance of a module, bound to the ABI. A host creates the binding, builds its
// instance with `binding.imports` as the "dirbridge" imports, then attaches the
// instance's exports ({dirbridge_alloc, dirbridge_free, dirbridge_max_body_bytes,
// dirbridge_route | dirbridge_handle}). `view()` returns the current memory view.
export function bindModule(view) {
  const idle = new Proxy(
    {},
    {
      get: (_, name) => () => {
        throw new Error(`host.${String(name)} called outside a module call`);
      },
    },
  );
  let host = idle;
  let exports = null;
  return {
    imports: makeDirbridgeImports(() => host, view),
    attach(moduleExports) {
      exports = moduleExports;
    },
    // Runs export `name` with host object `callHost` for the call's imports.
    call(name, envelope, callHost) {
      if (typeof exports[name] !== "function") throw new Error(`the module does not export ${name}`);
      host = callHost;
      try {
        return callModule(exports, name, envelope, view);
      } finally {
        host = idle;
      }
    },
    // The request body limit the module states (kMaxRequestBodyBytes in C++).
    maxBodyBytes() {
      const n = exports.dirbridge_max_body_bytes() >>> 0;
      if (n === 0) throw new Error("the module states a body limit of 0 bytes");
      return n;
    },
    // The request target limit (path + query) the module states (kMaxUrlBytes in C++);
    // the router answers 414 above it.
    maxUrlBytes() {
      const n = exports.dirbridge_max_url_bytes() >>> 0;
      if (n === 0) throw new Error("the module states a URL limit of 0 bytes");
      return n;
    },
  };
}

// The host object for dirbridge_route: routing has no tenant, so storage (and
// sealing, whose values belong to a tenant's connections) is refused. Verifying a
// JWS signature needs no secret and could be allowed, but routing checks only its own
// MACs (bearer tokens, gates): refused as well, so that every call the router has no
// use for fails loudly instead of growing into a dependency of the edge.
export function routeHost(base) {
  const refuse = () => {
    throw new Error("dirbridge_route must not use the KV store");
  };
  const refuseSealing = () => {
    throw new Error("dirbridge_route must not seal, open or sign with secrets");
  };
  const refuseVerifying = () => {
    throw new Error("dirbridge_route must not verify JWS signatures");
  };
  return {
    ...base,
    kvGet: refuse,
    kvList: refuse,
    kvCommit: refuse,
    seal: refuseSealing,
    open: refuseSealing,
    signRs256: refuseSealing,
    verifyJws: refuseVerifying,
  };
}

// A lazily created module instance that is dropped after a failed call: a trap or an
// import that threw out of it can leave the module's heap half-updated, so the next
// call gets a fresh instance. `create()` returns an instance, or a promise of one.
export class ModuleSlot {
  #create;
  #pending = null;
  #instance = null;

  constructor(create) {
    this.#create = create;
  }

  // For a synchronous `create` (node:wasi): fn(instance), synchronously.
  callSync(fn) {
    if (!this.#instance) this.#instance = this.#create();
    return this.#use(this.#instance, fn);
  }

  // For an asynchronous `create` (Workers): fn(instance), once it exists. A creation
  // that fails is forgotten, so the next call tries again.
  async call(fn) {
    for (;;) {
      if (!this.#pending) this.#pending = Promise.resolve().then(() => this.#create());
      const pending = this.#pending;
      let instance;
      try {
        instance = await pending;
      } catch (e) {
        if (this.#pending === pending) this.#pending = null;
        throw e;
      }
      // Another call may have failed (and dropped this instance) while we waited.
      if (this.#pending !== pending) continue;
      this.#instance = instance;
      return this.#use(instance, fn);
    }
  }

  #use(instance, fn) {
    try {
      return fn(instance);
    } catch (e) {
      if (this.#instance === instance) {
        this.#instance = null;
        this.#pending = null;
      }
      throw e;
    }
  }
}

// ---------------------------------------------------------------------------------
// All or nothing: a tenant call that throws (a trap, an import that threw out of the
// module) or answers a server error (status >= 500) commits nothing. Hosts run each
// dirbridge_handle call in a storage transaction (workerd: ctx.storage.transactionSync;
// node:wasi: FileKvStore.transaction) and, inside it, pass the answer through
// keepUnlessFailed: a 5xx answer throws UndoneCall, which rolls the transaction back
// and, thrown inside ModuleSlot, drops the instance (its memory may remember writes
// that no longer exist, such as paging positions). Outside, the host sends the
// UndoneCall's answer.

export class UndoneCall extends Error {
  constructor(answer) {
    super(`the call answered ${answer.status}: its writes are undone`);
    this.answer = answer;
  }
}

export function keepUnlessFailed(answer) {
  if (answer && typeof answer.status === "number" && answer.status >= 500) throw new UndoneCall(answer);
  return answer;
}

// ---------------------------------------------------------------------------------
// Requests.

// The request envelope of wasm/module_exports.h. `url` is a URL (its pathname and
// search are used), `headers` an iterable of [name, value] with lower-case names
// (value a string, or an array of them), `origin` what the client called us by.
// `clientAddress`: the client's IP as the host knows it (never a header the client
// could set; "" when unknown): key_fragments/release_limits.h rate-limits on it.
export function requestEnvelope({ method, url, headers, body, origin, clientAddress = "" }) {
  const out = {};
  for (const [name, value] of headers) {
    // Internal headers are the hosts' business; never let a client supply them.
    if (name.startsWith("x-dirbridge-")) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return { method, path: url.pathname, query: url.search.slice(1), headers: out, body, origin, clientAddress: String(clientAddress || "") };
}

// The body limit: collects a request body's chunks up to `limit` bytes (the module's
// dirbridge_max_body_bytes). `tooLarge` is set as soon as the declared length or the
// bytes seen exceed it; the host then stops reading and answers bodyTooLarge().
export class BodyCollector {
  constructor(limit, declaredLength) {
    this.limit = limit;
    this.size = 0;
    this.chunks = [];
    this.tooLarge = Number(declaredLength) > limit;
  }

  // Adds a Uint8Array (a Buffer is one); false once the body is over the limit.
  add(chunk) {
    if (this.tooLarge) return false;
    this.size += chunk.byteLength;
    if (this.size > this.limit) {
      this.tooLarge = true;
      this.chunks = [];
      return false;
    }
    this.chunks.push(chunk);
    return true;
  }

  // The body as text (bytes that are not UTF-8 become U+FFFD, as fetch's text() does).
  text() {
    const all = new Uint8Array(this.size);
    let p = 0;
    for (const c of this.chunks) {
      all.set(c, p);
      p += c.byteLength;
    }
    return new TextDecoder().decode(all);
  }
}

// How much of a refused request body hosts still read (and discard) before answering
// 413: a client that is still sending when the connection closes sees a reset, not
// the answer. Past this many bytes the connection is closed unread.
export function discardedBodyBytes(limit) {
  return 4 * limit;
}

// The body of a fetch Request or Response as text, or null once it exceeds `limit`
// bytes (by its declared length or the bytes read). The rest of a body over the limit
// is read and dropped up to `discardUpTo` bytes in all (a request: the client then
// sees the 413), and the stream is cancelled beyond that or at once when 0.
export async function readBodyLimited(message, limit, { discardUpTo = 0 } = {}) {
  const body = new BodyCollector(limit, message.headers.get("content-length"));
  if (!message.body) return "";
  const reader = message.body.getReader();
  const declared = Number(message.headers.get("content-length"));
  for (;;) {
    if (body.tooLarge) {
      await discardRest(reader, body.size, declared > discardUpTo ? 0 : discardUpTo);
      return null;
    }
    const { done, value } = await reader.read();
    if (done) return body.text();
    body.add(value);
  }
}

// Reads and drops what is left of a stream while fewer than `upTo` bytes have been
// read in all, then cancels it if it has not ended.
async function discardRest(reader, seen, upTo) {
  while (seen <= upTo) {
    const { done, value } = await reader.read();
    if (done) return;
    seen += value.byteLength;
  }
  await reader.cancel();
}

export function bodyTooLarge(pathname, limit) {
  return errorAnswer(pathname, 413, `request body exceeds ${limit} bytes`);
}

// ---------------------------------------------------------------------------------
// Errors: one shape per kind of path, for the modules and the hosts alike
// (host_contract.md "Errors"). SCIM paths, /t/{tenant}/scim/v2/..., answer RFC 7644
// §3.12 errors; every other path the API error of shared/core/api_error.h.

export const SCIM_ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

// The codes of the API error for the statuses hosts answer themselves (the full
// table, per error kind, is ErrorCodeFor in shared/core/api_error.cc; 408 and 431
// only ever come from a host's HTTP stack).
const API_ERROR_CODES = {
  400: "invalidInput",
  404: "notFound",
  405: "methodNotAllowed",
  408: "requestTimeout",
  413: "payloadTooLarge",
  414: "uriTooLong",
  431: "headersTooLarge",
  500: "internal",
  501: "unsupported",
  503: "unavailable",
};

function decodeSegment(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// As IsScimPath in functions/router: empty segments ignored, segments decoded.
export function isScimPath(pathname) {
  const s = String(pathname).split("/").filter(Boolean).slice(0, 4).map(decodeSegment);
  return s.length >= 4 && s[0] === "t" && s[2] === "scim" && s[3] === "v2";
}

export function scimError(status, detail) {
  return {
    status,
    headers: { "content-type": "application/scim+json" },
    body: JSON.stringify({ schemas: [SCIM_ERROR_SCHEMA], status: String(status), detail }),
  };
}

export function apiError(status, error, detail) {
  return {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
    body: JSON.stringify({ status, error, detail }),
  };
}

// The error answer a host gives itself (413, 500, and what node:http refuses: 400,
// 408, 414, 431, 501) for a request to `pathname`.
export function errorAnswer(pathname, status, detail) {
  if (isScimPath(pathname)) return scimError(status, detail);
  return apiError(status, API_ERROR_CODES[status] || (status >= 500 ? "internal" : "invalidInput"), detail);
}

// ---------------------------------------------------------------------------------
// Logs.

const LEVELS = ["debug", "info", "warn", "error"];

// A module's log line (the log import): "[dirbridge warn] message".
export function logLine(level, message) {
  return `[dirbridge ${LEVELS[level] ?? level}] ${message}`;
}

// Writes a module's log line: warn and error to stderr, the rest to stdout; debug
// lines only when `debug` is true.
export function writeLog(level, message, { debug = true } = {}) {
  if (level >= 2) console.error(logLine(level, message));
  else if (level >= 1 || debug) console.log(logLine(level, message));
}

// A host's own failure (a trap, a throwing import, a bad answer): "dirbridge <where>:
// METHOD /path: stack". The client gets errorAnswer(path, 500, "internal error").
export function failureLine(where, method, pathname, error) {
  return `dirbridge ${where}: ${method} ${pathname}: ${(error && error.stack) || error}`;
}

// ---------------------------------------------------------------------------------
// Effects and timers (host_contract.md "Effects and timers"; wasm/module_exports.h;
// shared/effects/outbox.h). A tenant module's answers carry "wake": the tenant's next
// due outbox time, or null. When it comes, the host drains the tenant's outbox:
// dirbridge_tick claims due work (at most MAX_CLAIM_PER_TICK items, the module's
// kMaxClaimPerTick), the host sends each claimed request (a timer needs no sending)
// and reports each outcome with dirbridge_resume, in the module that emitted it.

// The most items one tick claims (effects::kMaxClaimPerTick).
export const MAX_CLAIM_PER_TICK = 16;
// Ticks per drain: a tenant with more due work than this many ticks claim is woken
// again at once, so one tenant cannot hold its host for long.
export const MAX_TICKS_PER_DRAIN = 4;
// How long one outbound request may take, answer body included.
export const EFFECT_TIMEOUT_MS = 10_000;
// The most of a response body handed to the module (effects::kMaxResponseBodyBytes);
// a longer body is reported as a network error (and so retried, then parked).
export const MAX_EFFECT_RESPONSE_BYTES = 1024 * 1024;

// Sends one claimed request ({method, url, headers, body}) with fetch and returns its
// outcome for dirbridge_resume: {status, headers, body} or {error}. Redirects are not
// followed (a 3xx is an answer for the continuation).
export async function sendEffect(request, { timeoutMs = EFFECT_TIMEOUT_MS } = {}) {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const method = request.method;
    const res = await fetch(request.url, {
      method,
      headers: request.headers || {},
      body: method === "GET" || method === "HEAD" ? undefined : request.body ?? "",
      redirect: "manual",
      signal,
    });
    const body = await readBodyLimited(res, MAX_EFFECT_RESPONSE_BYTES);
    if (body === null) return { error: `the response body exceeds ${MAX_EFFECT_RESPONSE_BYTES} bytes` };
    const headers = {};
    for (const [name, value] of res.headers) headers[name.toLowerCase()] = value;
    return { status: res.status, headers, body };
  } catch (e) {
    const reason = signal.aborted ? `no answer within ${timeoutMs} ms` : e && e.cause && e.cause.code ? e.cause.code : reasonOf(e);
    return { error: String(reason || "the request failed") };
  }
}

function reasonOf(e) {
  return e && e.message ? e.message : String(e);
}

// Drains one tenant's due outbox work. `tick()` runs dirbridge_tick and `resume(module,
// id, outcome)` dirbridge_resume (each in its own storage transaction) and return the
// parsed answers; `send(request)` performs one request (sendEffect). Returns the
// tenant's next wake-up (ms) or null, as the last answer that said so left it: the
// host arms its wake-up there (it may be now: more is due).
export async function drainOutbox({ tick, resume, send = sendEffect, log = writeLog, maxTicks = MAX_TICKS_PER_DRAIN }) {
  let wake = null;
  for (let round = 0; round < maxTicks; round++) {
    const t = await tick();
    if (!t || t.status !== 200 || !Array.isArray(t.work)) {
      throw new Error(`dirbridge_tick answered ${JSON.stringify(t).slice(0, 300)}`);
    }
    wake = t.wake ?? null;
    if (t.work.length === 0) return wake;
    // Sent together; reported one by one, in claim order.
    const outcomes = await Promise.all(
      t.work.map(async (item) => [item, item.timer ? { timer: true } : await send(item.request)]),
    );
    for (const [item, outcome] of outcomes) {
      let r;
      try {
        r = await resume(item.module, item.id, outcome);
      } catch (e) {
        // The entry stays claimed; its lease brings it back (the tick's wake covers it).
        log(3, `dirbridge effects: resume of ${item.id} in ${item.module} failed: ${(e && e.stack) || e}`);
        continue;
      }
      if (r && r.status === 200) {
        wake = r.wake ?? null;
        if (r.result === "parked") log(2, `dirbridge effects: ${item.id} parked: ${r.error}`);
      } else {
        log(r && r.status >= 500 ? 3 : 2, `dirbridge effects: resume of ${item.id} answered ${JSON.stringify(r).slice(0, 300)}`);
      }
    }
  }
  return wake;
}

// The tenant module dirbridge_tick runs in (any will do: claiming is the same code in
// each): the registry's first tenant module by name.
export function tickModuleName(registry) {
  const names = Object.keys(registry).filter((n) => registry[n].kind === "tenant").sort();
  if (!names.length) throw new Error("the module registry has no tenant module");
  return names[0];
}
