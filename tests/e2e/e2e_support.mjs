// Small helpers the end-to-end tests (and the benches that drive a server) share:
// waiting for something a server does on its own time (a timer, an effect), the files
// a server keeps in its data folder (searched for canaries), and calls that record
// every answer.
import fs from "node:fs";
import path from "node:path";

// Calls `fn` every `pollMs` (100) ms until it returns something truthy, which is returned; throws
// "timed out waiting for <what>" after `timeoutMs`.
export async function until(what, fn, timeoutMs = 30_000, pollMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

// Every regular file under `dir`, at any depth.
export function filesUnder(dir) {
  return fs
    .readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile());
}

// A fetch that keeps the text of every answer in `answers` (tests search them for
// canaries) and parses it as JSON when it is: {status, headers, text, json}.
export function recordingCall(answers) {
  return async function call(method, url, { headers = {}, body } = {}) {
    const res = await fetch(url, { method, headers, body });
    const text = await res.text();
    answers.push(text);
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, headers: res.headers, text, json };
  };
}

// The admin API of the server `getServer()` returns, through `call`:
// admin("POST", "/acme/connections", {kind: "okta"}).
export function adminApi(getServer, call) {
  return (method, p, body) =>
    call(method, `${getServer().baseUrl}/admin/v1/tenants${p}`, {
      headers: { authorization: `Bearer ${getServer().adminToken}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}
