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

import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { FileKvStore } from "./file_kv_store.mjs";
import { DEFAULT_MODULES_DIR, loadWasiModules } from "./wasi_host.mjs";
import { BodyCollector, bodyTooLarge, errorAnswer, failureLine, requestEnvelope } from "../host_runtime.mjs";

// Settings the modules may read through config_get; nothing else of the environment.
const CONFIG_NAMES = ["DIRBRIDGE_ADMIN_TOKEN", "DIRBRIDGE_TOKEN_KEY"];

function send(res, answer) {
  const body = Buffer.from(typeof answer.body === "string" ? answer.body : "");
  const headers = { ...(answer.headers || {}) };
  delete headers["content-length"];
  res.writeHead(answer.status, { ...headers, "content-length": body.length });
  res.end(body);
}

// The body as a string, or null once it exceeds `limit` (read no further).
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const body = new BodyCollector(limit, req.headers["content-length"]);
    if (body.tooLarge) return resolve(null);
    req.on("data", (chunk) => {
      if (!body.add(chunk)) {
        req.removeAllListeners("data");
        req.pause();
        resolve(null);
      }
    });
    req.on("end", () => resolve(body.tooLarge ? null : body.text()));
    req.on("error", reject);
  });
}

// Starts the server; resolves to {url, close()} once it listens. wrapTenantHost as
// for loadWasiModules (tests inject failures with it).
export async function startWasiServer({
  modulesDir = DEFAULT_MODULES_DIR,
  dataDir,
  port = 8787,
  hostname = "127.0.0.1",
  config = {},
  wrapTenantHost,
} = {}) {
  const store = FileKvStore.open(dataDir);
  const modules = await loadWasiModules(modulesDir, { store, config, wrapTenantHost });
  const limit = modules.maxBodyBytes;

  const server = http.createServer(async (req, res) => {
    let answer;
    let target = null;
    try {
      // Prefixed, not resolved: "//x/y" is a path here, as it is on Workers.
      target = new URL(req.url.startsWith("/") ? `http://localhost${req.url}` : req.url, "http://localhost");
      const body = await readBody(req, limit);
      if (body === null) {
        res.setHeader("connection", "close");
        res.on("finish", () => req.socket.destroy());
        answer = bodyTooLarge(target.pathname, limit);
      } else {
        answer = modules.dispatch(
          requestEnvelope({
            method: req.method,
            url: target,
            headers: Object.entries(req.headers),
            body,
            // What the client called us by, as request.url gives it on Workers.
            origin: `http://${req.headers.host || `127.0.0.1:${req.socket.localPort}`}`,
          }),
        );
      }
    } catch (e) {
      const pathname = target ? target.pathname : String(req.url);
      console.error(failureLine("wasi host", req.method, pathname, e));
      answer = errorAnswer(pathname, 500, "internal error");
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
  if (!config.DIRBRIDGE_TOKEN_KEY) {
    console.warn("DIRBRIDGE_TOKEN_KEY is not set: a key for this process is used, and the SCIM tokens issued now stop working at restart");
  }
  const server = await startWasiServer({
    modulesDir: process.env.DIRBRIDGE_MODULES_DIR || DEFAULT_MODULES_DIR,
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
