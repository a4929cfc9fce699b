// Runs Microsoft's Entra SCIM Postman collection (kept outside the repository, in
// ../shared/conformance/entra/, see ../shared/conformance/README.md) against one SCIM
// base URL with newman's library API, and records what happened per request:
// the request sent, the answer, and every assertion of the collection's test scripts.
//
// Shared by entra_postman.test.mjs (node --test) and run_entra_collection.mjs (by hand).
//
// Requests are keyed by name. The collection repeats a few names ("Get group by id",
// "Patch add user4 to group1", "Post emp3 exists try again", "Delete group 1", and the
// top-level "Get all users"); the second request of a name is keyed "<name> [2]", so
// every key names exactly one request of the run.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import newman from "newman";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const COLLECTION_PATH = path.resolve(REPO_ROOT, "../shared/conformance/entra/PostmanCollection.json");

// The reference server's token endpoint: we pass the connection's real bearer token.
const LEFT_OUT = new Set(["Get Token"]);
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);
const BODY_LIMIT = 4000;

// The collection, read from the shared folder, without its "Get Token" folder. Dropped in
// memory rather than run with newman's `folder` option: that option looks entries up by
// name through the whole tree, and the two top-level checks that everything was deleted
// ("Get all users", "Get all groups") share a name with a request inside a folder, so
// they could not be selected. Everything else runs, in the collection's order.
export function loadCollection(file = COLLECTION_PATH) {
  const collection = JSON.parse(fs.readFileSync(file, "utf8"));
  collection.item = collection.item.filter((it) => !LEFT_OUT.has(it.name));
  return collection;
}

// The newman environment for a SCIM base URL such as http://127.0.0.1:8787/t/<tenant>/scim/v2:
// the collection builds its URLs as {{Protocol}}://{{Server}}{{Port}}/{{Api}}/..., and every
// request authenticates with bearer {{token}} (request-level auth, no collection-level auth).
export function environmentFor(scimBaseUrl, token) {
  const u = new URL(scimBaseUrl);
  if (!LOOPBACK.has(u.hostname)) throw new Error(`refusing to run against ${u.origin}: loopback hosts only`);
  if (!token) throw new Error("a bearer token is required");
  return [
    { key: "Protocol", value: u.protocol.replace(/:$/, "") },
    { key: "Server", value: u.hostname },
    { key: "Port", value: u.port ? `:${u.port}` : "" },
    { key: "Api", value: u.pathname.replace(/^\/+|\/+$/g, "") },
    { key: "token", value: token },
  ];
}

function clip(text, limit = BODY_LIMIT) {
  return text.length > limit ? `${text.slice(0, limit)}... [${text.length - limit} more characters]` : text;
}

function requestBody(request) {
  const body = request && request.body;
  if (!body || body.disabled) return "";
  if (body.mode === "raw") return String(body.raw ?? "");
  return body.toString ? String(body.toString()) : "";
}

// Runs the collection once. Resolves with
//   { requests: [{key, name, folder, method, url, requestBody, status, responseBody, responseHeaders,
//                 requestError, assertions: [{name, passed, skipped, message}], scriptErrors: [..]}],
//     runError }
// Never rejects for what the server answers; runError is newman's own failure (bad collection,
// aborted run).
export function runEntraCollection({ scimBaseUrl, token, timeoutRequestMs = 30_000, collection = loadCollection() }) {
  const envVar = environmentFor(scimBaseUrl, token);
  const requests = [];
  const seen = new Map();
  let current = null;
  return new Promise((resolve) => {
    const emitter = newman.run(
      {
        collection,
        envVar,
        reporters: [],
        timeoutRequest: timeoutRequestMs,
        // Nothing but the server under test: no redirects off to elsewhere.
        ignoreRedirects: true,
      },
      (err) => resolve({ requests, runError: err || null }),
    );
    emitter.on("beforeItem", (err, { item }) => {
      const n = (seen.get(item.name) || 0) + 1;
      seen.set(item.name, n);
      const parent = item.parent && item.parent();
      current = {
        key: n > 1 ? `${item.name} [${n}]` : item.name,
        name: item.name,
        // A top-level request's parent is the collection itself, which has no parent.
        folder: parent && typeof parent.parent === "function" && parent.parent() ? parent.name : "",
        method: "",
        url: "",
        requestBody: "",
        status: null,
        responseBody: "",
        responseHeaders: {},
        requestError: null,
        assertions: [],
        scriptErrors: [],
      };
      requests.push(current);
    });
    emitter.on("request", (err, { request, response }) => {
      if (!current) return;
      if (request) {
        current.method = request.method;
        current.url = request.url.toString();
        current.requestBody = requestBody(request);
      }
      if (err) current.requestError = err.message || String(err);
      if (response) {
        current.status = response.code;
        current.responseBody = clip(response.stream ? response.stream.toString("utf8") : "");
        for (const h of response.headers.all()) current.responseHeaders[h.key.toLowerCase()] = h.value;
      }
    });
    emitter.on("assertion", (err, { assertion, skipped }) => {
      if (!current) return;
      current.assertions.push({ name: assertion, passed: !err, skipped: Boolean(skipped), message: err ? err.message : "" });
    });
    // A test script that throws outside pm.test (say, pm.response.json() on a body that is
    // not JSON) stops that script: its remaining checks never run. Recorded as a failure.
    emitter.on("script", (err, { event }) => {
      if (current && err) current.scriptErrors.push({ event: event && event.listen, message: `${err.name}: ${err.message}` });
    });
  });
}

// Sorts the assertions of a run against a skip list. Keys are "<request key> / <assertion>";
// a value is the reason, or {reason, status, message}: then the skip holds only while the
// request was answered with that status and the failure message matches, so that a skip
// written for one wrong expectation cannot hide a different failure of the same check.
export function evaluate({ requests }, skips = {}) {
  const out = { requests: requests.length, passed: [], failed: [], skipped: [], unexpectedPasses: [], requestErrors: [] };
  const used = new Set();
  for (const r of requests) {
    if (r.requestError) out.requestErrors.push({ request: r, message: r.requestError });
    const checks = [
      ...r.assertions.filter((a) => !a.skipped),
      ...r.scriptErrors.map((e) => ({ name: `[${e.event} script error]`, passed: false, message: e.message })),
    ];
    for (const a of checks) {
      const key = `${r.key} / ${a.name}`;
      const entry = { key, request: r, assertion: a.name, message: a.message };
      const skip = Object.hasOwn(skips, key) ? normalizeSkip(skips[key]) : null;
      if (skip) used.add(key);
      if (a.passed) (skip ? out.unexpectedPasses : out.passed).push(entry);
      else if (!skip) out.failed.push(entry);
      else {
        const unmet = [];
        if (skip.status !== undefined && r.status !== skip.status) unmet.push(`the skip expects status ${skip.status}, got ${r.status}`);
        if (skip.message && !skip.message.test(a.message)) unmet.push(`the skip expects a message matching ${skip.message}`);
        if (unmet.length) out.failed.push({ ...entry, note: unmet.join("; ") });
        else out.skipped.push({ ...entry, reason: skip.reason });
      }
    }
  }
  // Skip entries that matched nothing: a renamed request or check, or a request never reached.
  out.unusedSkips = Object.keys(skips).filter((k) => !used.has(k));
  return out;
}

function normalizeSkip(v) {
  return typeof v === "string" ? { reason: v } : v;
}

export function describeRequest(r, { withBody = true } = {}) {
  const lines = [`${r.method} ${r.url}`];
  if (withBody && r.requestBody) lines.push(`request body: ${r.requestBody.replace(/\s+/g, " ").trim()}`);
  if (r.requestError) lines.push(`request error: ${r.requestError}`);
  else lines.push(`-> ${r.status}${r.responseHeaders["content-type"] ? ` (${r.responseHeaders["content-type"]})` : ""}: ${r.responseBody || "(empty body)"}`);
  return lines.join("\n");
}

export function summaryLine(ev) {
  return (
    `requests run: ${ev.requests}; assertions passed: ${ev.passed.length}, failed: ${ev.failed.length}, ` +
    `skipped (collection defects): ${ev.skipped.length}, skipped but passing: ${ev.unexpectedPasses.length}; ` +
    `request errors: ${ev.requestErrors.length}`
  );
}
