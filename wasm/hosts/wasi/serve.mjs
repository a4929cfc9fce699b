// The node:wasi HTTP server: each HTTP request becomes a dirbridge envelope
// (wasm/module_exports.h), goes through dirbridge_route in the edge module and,
// unless routing answered, dirbridge_handle in the tenant module the router named,
// against the FileKvStore; the answer is written back as the HTTP response. It
// mirrors deploy/cloudflare/src/worker.mjs (the shared part is host_runtime.mjs) so
// that both hosts answer the same requests the same way. Bodies over the modules'
// limit (dirbridge_max_body_bytes) get 413 without being read further.
//
// Run directly:  PORT=8787 DIRBRIDGE_DATA_DIR=.dirbridge/wasi \
//                DIRBRIDGE_ADMIN_TOKEN=... node wasm/hosts/wasi/serve.mjs
// (DIRBRIDGE_MODULES_DIR to load another build than dist/wasi), or import
// startWasiServer() (deploy/local/serve.mjs --host=wasi does).
//
// Requests are served one at a time without any queue: module calls are synchronous,
// so once a body has been read the whole route+handle runs to completion before the
// event loop can start on another request.
//
// Refusals, in the error shapes of host_contract.md (never node's empty-bodied
// defaults): a request line plus headers over HEADER_LIMIT (workerd's limit) is
// refused here, before the body is read: 414 when the target is over the modules' URL
// limit, else 431. Smaller targets reach the router, which answers 414 over its limit.
// What node:http itself refuses before a request handler runs ("clientError") is
// answered too: a head over PARSER_LIMIT 414/431, a method token node does not know
// 501, any other malformed request 400, a request that times out 408 (in the error
// shape of the path when the refused bytes start with the request line, else the API
// error). CONNECT, which node hands to a "connect" listener, goes through the router
// like any request (501).

import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import consoleAssets from "../../../dist/console/assets.mjs";
import { consoleAnswer } from "../console_assets.mjs";
import { FileKvStore } from "./file_kv_store.mjs";
import { WakeScheduler } from "./wake_scheduler.mjs";
import { DEFAULT_MODULES_DIR, loadWasiModules } from "./wasi_host.mjs";
import {
  BodyCollector,
  discardedBodyBytes,
  bodyTooLarge,
  drainOutbox,
  errorAnswer,
  failureLine,
  requestEnvelope,
  writeLog,
} from "../host_runtime.mjs";

// Settings the modules may read through config_get; nothing else of the environment.
// DIRBRIDGE_TEST_EFFECTS=1 opens the admin API's test-only effect routes (tests only).
const CONFIG_NAMES = ["DIRBRIDGE_ADMIN_TOKEN", "DIRBRIDGE_TOKEN_KEY", "DIRBRIDGE_TEST_EFFECTS", "DIRBRIDGE_OKTA_POLL_MS", "DIRBRIDGE_GOOGLE_API_BASE", "DIRBRIDGE_GRAPH_API_BASE", "DIRBRIDGE_GRAPH_SUBSCRIPTION_SECONDS"];
// The request line and headers together, in bytes: workerd's limit (128 KiB), so both
// hosts let the same requests through. Checked by the request handler, where the path
// (hence the error shape) is known.
export const HEADER_LIMIT = 128 * 1024;
// node:http's own limit (its default, 16 KiB, would refuse targets the router is meant
// to answer): a backstop far above HEADER_LIMIT.
const PARSER_LIMIT = 1024 * 1024;

// The size of a request's head as it came: request line and header lines.
function headBytes(req) {
  let n = req.method.length + req.url.length + 12;
  for (let i = 0; i < req.rawHeaders.length; i += 2) n += req.rawHeaders[i].length + req.rawHeaders[i + 1].length + 4;
  return n;
}

// 414 or 431 for a head over the limit.
function headTooLarge(pathname, targetBytes, maxUrlBytes) {
  if (targetBytes > maxUrlBytes) {
    return errorAnswer(pathname, 414, `the request target (path and query) is longer than ${maxUrlBytes} bytes`);
  }
  return errorAnswer(pathname, 431, `the request line and headers exceed ${HEADER_LIMIT} bytes`);
}

function send(res, answer) {
  const body = Buffer.from(typeof answer.body === "string" ? answer.body : "");
  const headers = { ...(answer.headers || {}) };
  delete headers["content-length"];
  res.writeHead(answer.status, { ...headers, "content-length": body.length });
  res.end(body);
}

// An answer written straight to a socket (no ServerResponse exists for it), closing
// the connection.
function rawResponse(answer) {
  const body = Buffer.from(typeof answer.body === "string" ? answer.body : "");
  const lines = [`HTTP/1.1 ${answer.status} ${http.STATUS_CODES[answer.status] || "Error"}`];
  for (const [name, value] of Object.entries(answer.headers || {})) {
    if (name !== "content-length" && name !== "connection") lines.push(`${name}: ${value}`);
  }
  lines.push(`content-length: ${body.length}`, "connection: close", "", "");
  return Buffer.concat([Buffer.from(lines.join("\r\n"), "latin1"), body]);
}

// The URL node's request handler would see for a request target.
function targetUrl(target) {
  // Prefixed, not resolved: "//x/y" is a path here, as it is on Workers.
  return new URL(target.startsWith("/") ? `http://localhost${target}` : target, "http://localhost");
}

// What node:http refused, answered in the error shape of the request's path (read
// from the start of the bytes node gave up on, when they hold the request line).
function refusalAnswer(err, maxUrlBytes) {
  const raw = err.rawPacket ? err.rawPacket.toString("latin1", 0, Math.min(err.rawPacket.length, PARSER_LIMIT + 1)) : "";
  const m = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ ([^ \r\n]+)/.exec(raw);
  let pathname = "/";
  let targetBytes = 0;
  if (m) {
    targetBytes = m[1].length;
    try {
      pathname = targetUrl(m[1]).pathname;
    } catch {
      // not a URL: answered in the API error shape
    }
  }
  switch (err.code) {
    case "HPE_HEADER_OVERFLOW":
      // A request line that did not end inside the bytes node read is itself too long.
      if (m && !/ HTTP\/1\.[01]\r?\n/.test(raw.slice(0, m[0].length + 12))) targetBytes = Infinity;
      return headTooLarge(pathname, targetBytes, maxUrlBytes);
    case "HPE_INVALID_METHOD":
      return errorAnswer(pathname, 501, "the request method is not supported");
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return errorAnswer(pathname, 408, "the request was not received in time");
    default:
      return errorAnswer(pathname, 400, "the request is not valid HTTP/1.1");
  }
}

// The body as a string, or null once it exceeds `limit`. The rest of a body over the
// limit is read and dropped while the request stays under `discardUpTo` bytes (the
// client then sees the 413 rather than a reset); past that it is left unread.
function readBody(req, limit, discardUpTo) {
  return new Promise((resolve, reject) => {
    const body = new BodyCollector(limit, req.headers["content-length"]);
    let seen = 0;
    const refuse = () => {
      req.removeAllListeners("data");
      req.pause();
      resolve(null);
    };
    if (body.tooLarge && Number(req.headers["content-length"]) > discardUpTo) return refuse();
    req.on("data", (chunk) => {
      seen += chunk.length;
      if (!body.add(chunk) && seen > discardUpTo) refuse();
    });
    req.on("end", () => resolve(body.tooLarge ? null : body.text()));
    req.on("error", reject);
  });
}

// Starts the server; resolves to {url, close()} once it listens. wrapTenantHost as
// for loadWasiModules (tests inject failures with it).
//
// Effects and timers: each tenant's next wake-up (reported by its calls) arms a timer
// (WakeScheduler) that drains the tenant's outbox: dirbridge_tick, the requests sent
// with fetch, dirbridge_resume with each outcome. The wake-ups are kept in the store,
// so a restarted server re-arms them (and sends what a killed one had committed but
// not sent). sendDelayMs, a test hook (DIRBRIDGE_SEND_DELAY_MS), holds back the
// wake-ups that requests ask for by that long: the window between a commit and its
// send, made wide enough for a test to kill the server in it.
export async function startWasiServer({
  modulesDir = DEFAULT_MODULES_DIR,
  dataDir,
  port = 8787,
  hostname = "127.0.0.1",
  config = {},
  secretKey,
  wrapTenantHost,
  sendDelayMs = 0,
  log = (level, message) => writeLog(level, message, { debug: Boolean(process.env.DIRBRIDGE_DEBUG) }),
} = {}) {
  const store = FileKvStore.open(dataDir);
  let scheduler = null;
  const onWake = (tenant, wake, cause) => {
    if (!scheduler || wake === null) return;
    scheduler.arm(tenant, cause === "handle" ? Math.max(wake, Date.now() + sendDelayMs) : wake);
  };
  const modules = await loadWasiModules(modulesDir, { store, config, secretKey, wrapTenantHost, onWake, log });
  scheduler = new WakeScheduler({
    log,
    drain: (tenant) =>
      drainOutbox({
        tick: async () => modules.tick(tenant),
        resume: async (module, id, outcome) => modules.resume(module, tenant, id, outcome),
        log,
      }),
  });
  // What a previous run left armed (or committed and never sent).
  for (const [tenant, at] of modules.listWakes()) scheduler.arm(tenant, at);
  const limit = modules.maxBodyBytes;
  const envelopeOf = (req, target, body) =>
    requestEnvelope({
      method: req.method,
      url: target,
      headers: Object.entries(req.headers),
      body,
      // What the client called us by, as request.url gives it on Workers.
      origin: `http://${req.headers.host || `127.0.0.1:${req.socket.localPort}`}`,
      // The peer of the socket: this server faces its clients directly.
      clientAddress: req.socket.remoteAddress || "",
    });

  const server = http.createServer({ maxHeaderSize: PARSER_LIMIT }, async (req, res) => {
    let answer;
    let target = null;
    try {
      target = targetUrl(req.url);
      // The admin console's pages (wasm/hosts/console_assets.mjs); its API calls go on.
      const page = consoleAnswer(req.method, target.pathname, req.headers["if-none-match"], consoleAssets);
      if (page) {
        send(res, page);
        return;
      }
      const tooLarge = headBytes(req) > HEADER_LIMIT;
      const body = tooLarge ? null : await readBody(req, limit, discardedBodyBytes(limit));
      if (body === null) {
        // Refused without reading the body: close the connection after answering.
        res.setHeader("connection", "close");
        res.on("finish", () => req.socket.destroy());
        answer = tooLarge
          ? headTooLarge(target.pathname, req.url.length, modules.maxUrlBytes)
          : bodyTooLarge(target.pathname, limit);
      } else {
        answer = modules.dispatch(envelopeOf(req, target, body));
      }
    } catch (e) {
      const pathname = target ? target.pathname : String(req.url);
      console.error(failureLine("wasi host", req.method, pathname, e));
      answer = errorAnswer(pathname, 500, "internal error");
    }
    send(res, answer);
  });
  // CONNECT never reaches the request handler: route it like any request (the router
  // refuses the method) and close the would-be tunnel.
  server.on("connect", (req, socket) => {
    let answer;
    try {
      answer = modules.dispatch(envelopeOf(req, targetUrl(req.url), ""));
    } catch (e) {
      console.error(failureLine("wasi host", req.method, String(req.url), e));
      answer = errorAnswer("/", 500, "internal error");
    }
    socket.end(rawResponse(answer));
  });
  const refused = new WeakSet();
  server.on("clientError", (err, socket) => {
    // node may report more errors for the bytes after the first; one answer is enough.
    if (refused.has(socket)) return;
    refused.add(socket);
    if (err.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(rawResponse(refusalAnswer(err, modules.maxUrlBytes)));
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, resolve);
  });
  const url = `http://${hostname}:${server.address().port}`;
  return {
    url,
    close: async () => {
      await scheduler.close();
      await new Promise((resolve) => {
        server.close(() => {
          store.close();
          resolve();
        });
        server.closeAllConnections();
      });
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const config = {};
  for (const name of CONFIG_NAMES) if (process.env[name]) config[name] = process.env[name];
  if (!config.DIRBRIDGE_TOKEN_KEY) {
    console.warn("DIRBRIDGE_TOKEN_KEY is not set: a key for this process is used, and the SCIM tokens issued now stop working at restart");
  }
  const server = await startWasiServer({
    modulesDir: process.env.DIRBRIDGE_MODULES_DIR || DEFAULT_MODULES_DIR,
    dataDir: process.env.DIRBRIDGE_DATA_DIR || ".dirbridge/wasi",
    port: Number(process.env.PORT || 8787),
    config,
    // Only the host's sealer reads it (never config_get); unset: sealing answers 503.
    secretKey: process.env.DIRBRIDGE_SECRET_KEY,
    sendDelayMs: Number(process.env.DIRBRIDGE_SEND_DELAY_MS || 0),
  });
  console.log(`dirbridge (node:wasi) listening on ${server.url}`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
