// End-to-end test harness: runs the real local server (deploy/local/serve.mjs, the
// same entry point as `npm run serve`) for one host, in its own process group.
//
//   const s = await startServer({ host: "workers" | "wasi", dataDir?, port?, env? });
//   s.baseUrl, s.adminToken, s.tokenKey, s.dataDir; await s.stop(); await s.kill();
// `env` adds settings to the server's environment (test hooks such as
// DIRBRIDGE_TEST_EFFECTS); kill() is `kill -9` of the whole group, no shutdown.
//
// A fresh temporary data directory per call unless `dataDir` is given (restart tests
// pass the previous one back). The server is detached into its own process group and
// stop() signals the whole group: workerd runs as a child of Miniflare and would
// outlive a signal sent to the node process alone.

import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const READY_LINE = /dirbridge ready at (http:\/\/\S+)/;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

// A port that was free a moment ago (the OS picks it; we release it for the server).
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function freshDataDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), "dirbridge-e2e-"));
}

export async function startServer({ host = "workers", dataDir = freshDataDir(), port, env = {} } = {}) {
  port = port || (await freePort());
  const child = spawn(process.execPath, ["deploy/local/serve.mjs", `--host=${host}`], {
    cwd: REPO_ROOT,
    detached: true, // its own process group, so stop() can signal workerd too
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DIRBRIDGE_DATA_DIR: dataDir,
      PORT: String(port),
      // The server's own secret handling (made once, kept in dataDir) is under test.
      DIRBRIDGE_ADMIN_TOKEN: "",
      DIRBRIDGE_TOKEN_KEY: "",
      DIRBRIDGE_SECRET_KEY: "",
      ...env,
    },
  });
  let output = "";
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  let exitInfo = null;
  exited.then((info) => (exitInfo = info));

  const readyUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not get ready in ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const onData = (chunk) => {
      output += chunk;
      const m = READY_LINE.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.setEncoding("utf8").on("data", onData);
    child.stderr.setEncoding("utf8").on("data", (c) => (output += c));
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (code ${code}, signal ${signal}) before it was ready`));
    });
  }).catch((e) => {
    killGroup(child.pid, "SIGKILL");
    throw new Error(`${e.message}\n--- server output ---\n${output}`);
  });

  await waitUntilAnswering(readyUrl);

  const server = {
    host,
    dataDir,
    port,
    baseUrl: readyUrl,
    adminToken: fs.readFileSync(path.join(dataDir, "admin-token"), "utf8").trim(),
    // The key the server MACs bearer tokens with (tests mint tokens with it).
    tokenKey: fs.readFileSync(path.join(dataDir, "token-key"), "utf8").trim(),
    output: () => output,
    // SIGKILL to the whole group at once: nothing gets to flush or shut down.
    async kill() {
      if (exitInfo) return exitInfo;
      killGroup(child.pid, "SIGKILL");
      return exited;
    },
    async stop() {
      if (exitInfo) return exitInfo;
      killGroup(child.pid, "SIGTERM");
      let timer;
      const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve(null), STOP_TIMEOUT_MS)));
      const info = await Promise.race([exited, timeout]);
      clearTimeout(timer);
      if (info) {
        // The leader is gone; make sure no straggler (workerd) kept the group alive.
        killGroup(child.pid, "SIGKILL");
        return info;
      }
      killGroup(child.pid, "SIGKILL");
      return exited;
    },
  };
  return server;
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (e) {
    if (e.code !== "ESRCH") throw e;
  }
}

// Any HTTP answer will do: the server is up; what it answers is for the tests.
async function waitUntilAnswering(baseUrl) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      await (await fetch(`${baseUrl}/health`)).arrayBuffer();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`${baseUrl} does not answer: ${e.message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
