// The admin console over HTTP, on both hosts (workerd and node:wasi), without a
// browser: its pages and their headers (a strict CSP, nosniff, no framing, ETags),
// the sign-in that exchanges the admin token for a session cookie, the admin API
// opened by that cookie (writes need the CSRF header), sign-out, and refusals that
// change nothing. tests/console/console_browser.test.mjs drives the pages in Chromium.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { startServer } from "../e2e/server_harness.mjs";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

for (const host of (process.env.HOSTS || "workers,wasi").split(",")) {
  describe(`the admin console over HTTP on ${host}`, () => {
    let server;
    const tenant = `console-http-${host}`;
    before(async () => {
      server = await startServer({ host });
      const t = await fetch(`${server.baseUrl}/admin/v1/tenants`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
        body: JSON.stringify({ id: tenant }),
      });
      assert.equal(t.status, 201, await t.text());
    });
    after(async () => server && (await server.stop()));

    const signIn = async (token = server.adminToken, headers = {}) =>
      fetch(`${server.baseUrl}/console/session`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ token }),
      });
    const cookieOf = (res) => res.headers.get("set-cookie").split(";")[0];

    test("every console file is served with its type, a strict CSP and an ETag", async () => {
      const files = [];
      const walk = (dir) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          const full = path.join(dir, e.name);
          if (e.isDirectory()) walk(full);
          else if (/\.(html|css|js)$/.test(e.name)) files.push(full);
        }
      };
      walk(path.join(REPO_ROOT, "console"));
      assert.ok(files.length >= 5, `console has ${files.length} files`);
      for (const file of files) {
        const urlPath = "/console/" + path.relative(path.join(REPO_ROOT, "console"), file).split(path.sep).join("/");
        const res = await fetch(server.baseUrl + urlPath);
        assert.equal(res.status, 200, urlPath);
        assert.equal(await res.text(), fs.readFileSync(file, "utf8"), urlPath);
        const type = { html: "text/html", css: "text/css", js: "text/javascript" }[path.extname(file).slice(1)];
        assert.ok(res.headers.get("content-type").startsWith(type), `${urlPath}: ${res.headers.get("content-type")}`);
        const csp = res.headers.get("content-security-policy");
        assert.match(csp, /default-src 'none'/);
        assert.match(csp, /script-src 'self'(;|$)/);
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
        assert.match(csp, /frame-ancestors 'none'/);
        assert.equal(res.headers.get("x-content-type-options"), "nosniff");
        const etag = res.headers.get("etag");
        assert.match(etag, /^"[A-Za-z0-9_-]{22}"$/);
        const again = await fetch(server.baseUrl + urlPath, { headers: { "if-none-match": etag } });
        assert.equal(again.status, 304, urlPath);
      }
      const index = await fetch(`${server.baseUrl}/console/`);
      assert.equal(index.status, 200);
      assert.doesNotMatch(await index.text(), /<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|style=/i, "no inline script, handler or style");
      const bare = await fetch(`${server.baseUrl}/console`, { redirect: "manual" });
      assert.equal(bare.status, 308);
      assert.equal(bare.headers.get("location"), "/console/");
      const missing = await fetch(`${server.baseUrl}/console/nope.js`);
      assert.equal(missing.status, 404);
      assert.match(missing.headers.get("content-security-policy"), /default-src 'none'/);
    });

    test("sign-in sets an HttpOnly SameSite=Strict cookie; the cookie reads the admin API, writes need the CSRF header", async () => {
      const res = await signIn();
      assert.equal(res.status, 200);
      const setCookie = res.headers.get("set-cookie");
      assert.match(setCookie, /^dbcs=dbcs1\.[^;]+; Path=\/; Max-Age=1800; HttpOnly; SameSite=Strict$/);
      const { csrf, expiresAt } = await res.json();
      assert.ok(expiresAt > Date.now());
      const cookie = cookieOf(res);

      const users = await fetch(`${server.baseUrl}/admin/v1/tenants/${tenant}/users`, { headers: { cookie } });
      assert.equal(users.status, 200);
      const session = await fetch(`${server.baseUrl}/console/session`, { headers: { cookie } });
      assert.equal(session.status, 200);
      assert.equal((await session.json()).csrf, csrf);

      const create = (headers) =>
        fetch(`${server.baseUrl}/admin/v1/tenants/${tenant}/connections`, {
          method: "POST",
          headers: { cookie, "content-type": "application/json", ...headers },
          body: JSON.stringify({ kind: "entra" }),
        });
      const list = async () =>
        (await (await fetch(`${server.baseUrl}/admin/v1/tenants/${tenant}/connections`, { headers: { cookie } })).json())
          .connections.length;
      const before = await list();
      const noCsrf = await create({});
      assert.equal(noCsrf.status, 403);
      assert.match((await noCsrf.json()).detail, /X-CSRF-Token/);
      assert.equal((await create({ "x-csrf-token": "forged" })).status, 403);
      assert.equal(await list(), before, "a refused write changed nothing");
      const made = await create({ "x-csrf-token": csrf });
      assert.equal(made.status, 201);
      assert.equal(await list(), before + 1);
    });

    test("a wrong, cross-site or malformed sign-in is refused and sets no cookie", async () => {
      for (const [res, status] of [
        [await signIn("not-the-admin-token"), 401],
        [await signIn(server.adminToken, { origin: "https://evil.example" }), 403],
        [await fetch(`${server.baseUrl}/console/session`, { method: "POST", body: "{" }), 400],
      ]) {
        assert.equal(res.status, status);
        assert.equal(res.headers.get("set-cookie"), null);
        const body = await res.json();
        assert.equal(body.status, status);
        assert.ok(!JSON.stringify(body).includes(server.adminToken));
      }
      const forged = await fetch(`${server.baseUrl}/admin/v1/tenants/${tenant}/users`, {
        headers: { cookie: "dbcs=dbcs1.9999999999999.AAAA.forged" },
      });
      assert.equal(forged.status, 401);
    });

    test("sign-out needs the CSRF header, then clears the cookie", async () => {
      const res = await signIn();
      const cookie = cookieOf(res);
      const { csrf } = await res.json();
      const refused = await fetch(`${server.baseUrl}/console/session`, { method: "DELETE", headers: { cookie } });
      assert.equal(refused.status, 403);
      const out = await fetch(`${server.baseUrl}/console/session`, {
        method: "DELETE",
        headers: { cookie, "x-csrf-token": csrf },
      });
      assert.equal(out.status, 204);
      assert.match(out.headers.get("set-cookie"), /^dbcs=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict$/);
    });
  });
}
