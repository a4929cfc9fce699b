// Requests that are refused or odd, over HTTP on each real host: the URL limit the
// modules state (kMaxUrlBytes, 414 from the router), methods dirbridge does not serve
// (501), oversized heads (431), malformed requests (400). Every refusal our code makes
// is JSON in the path's error shape (host_contract.md, "Refusals"). Some refusals
// happen inside workerd before any of our code runs and cannot be shaped: those are
// pinned here as workerd gives them, so a change of workerd's behaviour shows up.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { startServer } from "./server_harness.mjs";
import { rawRequest } from "./raw_http.mjs";
import { loadWasiModules } from "../../wasm/hosts/wasi/wasi_host.mjs";

const SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const maxUrl = (await loadWasiModules(path.join(repo, "dist/wasi"), { log: () => {} })).maxUrlBytes;

function assertApiError(res, status, error) {
  assert.equal(res.status, status, res.raw?.slice(0, 300) ?? res.text);
  assert.match(res.headers["content-type"] || "", /^application\/json/);
  assert.equal(res.json?.status, status, res.body);
  assert.equal(res.json.error, error, res.body);
  assert.equal(typeof res.json.detail, "string");
}

function assertScimError(res, status) {
  assert.equal(res.status, status, res.raw?.slice(0, 300));
  assert.match(res.headers["content-type"] || "", /^application\/scim\+json/);
  assert.deepEqual(res.json?.schemas, [SCIM_ERROR], res.body);
  assert.equal(res.json.status, String(status));
}

// workerd's own refusal: a plain-text body, not ours.
function assertWorkerdPlain(res, status) {
  assert.equal(res.status, status, res.raw?.slice(0, 300));
  assert.equal(res.json, null, `workerd now answers JSON (${res.body}): shape it and update host_contract.md`);
}

const get = (target, extra = "") => `GET ${target} HTTP/1.1\r\nhost: 127.0.0.1\r\n${extra}connection: close\r\n\r\n`;

for (const host of ["workers", "wasi"]) {
  describe(`refusals on ${host}`, () => {
    let server;
    let scim;

    before(async () => {
      server = await startServer({ host });
      const t = await fetch(`${server.baseUrl}/admin/v1/tenants`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
        body: "{}",
      });
      assert.equal(t.status, 201);
      scim = `/t/${(await t.json()).id}/scim/v2`;
    });

    after(async () => {
      if (server) {
        await server.stop();
        fs.rmSync(server.dataDir, { recursive: true, force: true });
      }
    });

    test("a target at the URL limit is served; over it the router answers 414 in the path's shape", async () => {
      const at = `/health?${"q".repeat(maxUrl - "/health".length)}`;
      assert.equal((await rawRequest(server.baseUrl, get(at))).status, 200);
      assertApiError(await rawRequest(server.baseUrl, get(`${at}q`)), 414, "uriTooLong");
      for (const n of [20 * 1024, 100 * 1024]) {
        assertApiError(await rawRequest(server.baseUrl, get(`/health?${"q".repeat(n)}`)), 414, "uriTooLong");
        assertApiError(await rawRequest(server.baseUrl, get(`/admin/v1/tenants?${"q".repeat(n)}`)), 414, "uriTooLong");
        assertScimError(await rawRequest(server.baseUrl, get(`${scim}/Users?filter=${"q".repeat(n)}`)), 414);
      }
      // fetch sees the same (it is the same answer).
      const viaFetch = await fetch(`${server.baseUrl}${scim}/Users?${"q".repeat(100 * 1024)}`);
      assert.equal(viaFetch.status, 414);
      assert.deepEqual((await viaFetch.json()).schemas, [SCIM_ERROR]);
    });

    test("TRACE and other methods dirbridge does not serve are 501 JSON from the router", async () => {
      for (const method of ["TRACE", "PROPFIND"]) {
        assertApiError(await rawRequest(server.baseUrl, `${method} /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`), 501, "unsupported");
        assertScimError(await rawRequest(server.baseUrl, `${method} ${scim}/Users HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`), 501);
      }
    });

    test("CONNECT and unknown method tokens: 501 JSON on node:wasi; workerd refuses them itself", async () => {
      const connect = await rawRequest(server.baseUrl, `CONNECT ${scim}/Users HTTP/1.1\r\nhost: x\r\n\r\n`);
      const connectAuthority = await rawRequest(server.baseUrl, "CONNECT example.com:443 HTTP/1.1\r\nhost: example.com:443\r\n\r\n");
      const unknown = await rawRequest(server.baseUrl, `FOO ${scim}/Users HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`);
      if (host === "wasi") {
        assertScimError(connect, 501);
        assertApiError(connectAuthority, 501, "unsupported");
        assertScimError(unknown, 501);
      } else {
        // workerd: "Incoming CONNECT on a worker not supported" (500), and its parser's
        // "Unrecognized request method" (501), before the Worker runs.
        assertWorkerdPlain(connect, 500);
        assertWorkerdPlain(connectAuthority, 500);
        assertWorkerdPlain(unknown, 501);
      }
    });

    test("a head over 128 KiB: 431 (414 for a long target) JSON on node:wasi; workerd's own 431 otherwise", async () => {
      // Under the limit, large headers pass on both hosts.
      const fine = await rawRequest(server.baseUrl, get("/health", `x-big: ${"h".repeat(100 * 1024)}\r\n`));
      assert.equal(fine.status, 200, fine.raw.slice(0, 200));

      const bigHeaders = await rawRequest(server.baseUrl, get(`${scim}/Users`, `x-big: ${"h".repeat(140 * 1024)}\r\n`));
      const bigApi = await rawRequest(server.baseUrl, get("/health", `x-big: ${"h".repeat(140 * 1024)}\r\n`));
      const longTarget = await rawRequest(server.baseUrl, get(`${scim}/Users?${"q".repeat(200 * 1024)}`));
      if (host === "wasi") {
        assertScimError(bigHeaders, 431);
        assertApiError(bigApi, 431, "headersTooLarge");
        assertScimError(longTarget, 414);
      } else {
        assertWorkerdPlain(bigHeaders, 431);
        assertWorkerdPlain(bigApi, 431);
        assertWorkerdPlain(longTarget, 431);
      }
    });

    test("a malformed request: 400 JSON on node:wasi; workerd's own 400 otherwise", async () => {
      const bad = await rawRequest(server.baseUrl, `GET ${scim}/Users HTTP/1.1\r\nhost: x\r\nbad header line\r\n\r\n`);
      if (host === "wasi") assertScimError(bad, 400);
      else assertWorkerdPlain(bad, 400);
    });
  });
}
