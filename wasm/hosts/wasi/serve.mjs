// The node:wasi HTTP server: each HTTP request becomes a dirbridge envelope
// (wasm/module_exports.h), goes through dirbridge_route and, unless routing answered
// at the edge, dirbridge_handle against the FileKvStore; the module's answer is
// written back as the HTTP response. It mirrors deploy/cloudflare/src/worker.mjs so
// that both hosts answer the same requests the same way.
//
// Run directly:  PORT=8787 DIRBRIDGE_DATA_DIR=.dirbridge/wasi \
//                DIRBRIDGE_ADMIN_TOKEN=... node wasm/hosts/wasi/serve.mjs
// or import startWasiServer() (deploy/local/serve.mjs --host=wasi does).
//
// Requests are served one at a time without any queue: module calls are synchronous,
// so once a body has been read the whole route+handle runs to completion before the
// event loop can start on another request.

import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { FileKvStore } from "./file_kv_store.mjs";
import { loadWasiModule } from "./wasi_host.mjs";

export const MAX_BODY_BYTES = 1024 * 1024;
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const DEFAULT_WASM = path.join(REPO_ROOT, "dist/wasi/scim.wasm");
// Settings the module may read through config_get; nothing else of the environment.
const CONFIG_NAMES = ["DIRBRIDGE_ADMIN_TOKEN"];

// RFC 7644 §3.12 shape: SCIM clients parse it, and it is plain JSON for the rest.
function errorResponse(status, detail) {
  return {
    status,
    headers: { "content-type": "application/scim+json" },
    body: JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(status), detail }),
  };
}

function envelopeOf(req, body) {
  const url = new URL(req.url, "http://localhost");
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    // Internal headers are the hosts' business; never let a client supply them.
    if (name.startsWith("x-dirbridge-")) continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return {
    method: req.method,
    path: url.pathname,
    query: url.search.slice(1),
    headers,
    body,
    // What the client called us by, as request.url gives it on Workers.
    origin: `http://${req.headers.host || `127.0.0.1:${req.socket.localPort}`}`,
  };
}

function send(res, answer) {
  const body = Buffer.from(typeof answer.body === "string" ? answer.body : "");
  const headers = { ...(answer.headers || {}) };
  delete headers["content-length"];
  res.writeHead(answer.status, { ...headers, "content-length": body.length });
  res.end(body);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (declared > MAX_BODY_BYTES) return resolve(null);
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners("data");
        req.pause();
        resolve(null);
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

// Returns the answer object for one envelope: route, then handle unless answered.
export function dispatch(module, envelope) {
  const routed = module.route(envelope);
  if (routed.response) return routed.response;
  return module.handle(routed.request);
}

// Starts the server; resolves to {url, close()} once it listens.
export async function startWasiServer({
  wasmPath = DEFAULT_WASM,
  dataDir,
  port = 8787,
  hostname = "127.0.0.1",
  config = {},
} = {}) {
  const store = FileKvStore.open(dataDir);
  const module = await loadWasiModule(wasmPath, { store, config });

  const server = http.createServer(async (req, res) => {
    let answer;
    try {
      const body = await readBody(req);
      if (body === null) {
        res.setHeader("connection", "close");
        res.on("finish", () => req.socket.destroy());
        answer = errorResponse(413, `request body exceeds ${MAX_BODY_BYTES} bytes`);
      } else {
        answer = dispatch(module, envelopeOf(req, body));
      }
    } catch (e) {
      console.error(`dirbridge wasi host: ${req.method} ${req.url}: ${e.stack || e}`);
      answer = errorResponse(500, "internal error");
    }
    send(res, answer);
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, resolve);
  });
  const url = `http://${hostname}:${server.address().port}`;
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          store.close();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const config = {};
  for (const name of CONFIG_NAMES) if (process.env[name]) config[name] = process.env[name];
  const server = await startWasiServer({
    wasmPath: process.env.DIRBRIDGE_WASM || DEFAULT_WASM,
    dataDir: process.env.DIRBRIDGE_DATA_DIR || ".dirbridge/wasi",
    port: Number(process.env.PORT || 8787),
    config,
  });
  console.log(`dirbridge (node:wasi) listening on ${server.url}`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
