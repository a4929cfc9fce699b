// The admin CLI's commands for admin endpoints that other work is adding (connection
// list, token rotation, revocation, users, offboarding, audit, event delivery),
// driven against a loopback stand-in that answers in exactly the shapes those
// endpoints promise (README "Admin CLI"), and that records what it was sent. Also the
// paging every listing relies on: following `next` (users, audit), the
// x-dirbridge-next header (audit export), a cursor that does not move (exit 7), a
// user name that matches nobody (exit 5), and the server's 422 and 500 (exit 6, 7).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { closeServer, listenOnLoopback } from "../loopback_server.mjs";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = path.join(REPO_ROOT, "build/native/cli/dirbridge");
const ADMIN = "stand-in-admin-token";
const PAGE = 2; // the stand-in's page size: five users are three pages

const uid = (n) => `0190a0b0-0000-7000-8000-00000000000${n}`;
const USERS = ["ada", "grace", "alan", "edsger", "barbara"].map((name, i) => ({
  id: uid(i + 1),
  userName: `${name}@example.com`,
  email: `${name}@example.com`,
  active: true,
}));
// In the server's shape (functions/admin/audit_api.h): the actor is data.by for the
// admin's changes, the connection for a source's.
const AUDIT = Array.from({ length: 5 }, (_, i) => ({
  sequence: i + 1,
  at: `2026-11-26T10:00:0${i}Z`,
  type: "user.offboarded",
  source: i % 2 ? { kind: "okta", connection: "okta", via: "scim" } : { kind: "admin", via: "admin" },
  ...(i % 2 ? {} : { data: { by: "it-admin" } }),
  user: uid(i + 1),
}));

// A page of `items` after the cursor `after` (an index), with `next` when more remain.
function paged(items, after) {
  const start = after ? Number(after) : 0;
  const page = items.slice(start, start + PAGE);
  return { page, next: start + PAGE < items.length ? String(start + PAGE) : undefined };
}

function standIn() {
  const seen = []; // {method, path, query, body}
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const url = new URL(req.url, "http://x");
      const q = Object.fromEntries(url.searchParams);
      const body = raw ? JSON.parse(raw) : undefined;
      seen.push({ method: req.method, path: url.pathname, query: q, body });
      const send = (status, json, headers = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(json === undefined ? "" : JSON.stringify(json));
      };
      if (req.headers.authorization !== `Bearer ${ADMIN}`) {
        return send(401, { status: 401, error: "unauthorized", detail: "admin token required" });
      }
      const p = url.pathname.replace(/^\/admin\/v1\/tenants\/t1/, "");
      const route = `${req.method} ${p}`;
      if (route === "GET /connections") {
        return send(200, { connections: [{ id: "c1", kind: "okta", created: "2026-11-26T09:00:00Z" }] });
      }
      if (route === "POST /connections/c1/token") {
        return send(200, { token: "dbt1.t1.c1.rotated-secret.mac", previousTokenValidUntil: "2026-11-26T11:00:00Z" });
      }
      if (route === "DELETE /connections/c1") return send(204);
      if (route === "GET /users") {
        const matching = q.userName ? USERS.filter((u) => u.userName === q.userName) : USERS;
        const { page, next } = paged(matching, q.after);
        return send(200, next ? { users: page, next } : { users: page });
      }
      const user = USERS.find((u) => p.startsWith(`/users/${u.id}`));
      if (user && route === `GET /users/${user.id}`) return send(200, user);
      if (user && route === `POST /users/${user.id}/offboard`) {
        if (user.userName.startsWith("barbara")) {
          return send(422, { status: 422, error: "invalidInput", detail: "barbara is the last admin" });
        }
        return send(200, {
          user: { ...user, active: false, offboarded: true },
          offboarded: { by: body.by, at: "2026-11-26T12:00:00Z", reason: body.reason },
        });
      }
      if (user && route === `POST /users/${user.id}/restore`) return send(200, { user });
      if (route === "GET /audit") {
        const filtered = q.user ? AUDIT.filter((e) => e.user === q.user) : AUDIT;
        const { page, next } = paged(filtered, q.after);
        if (q.format === "jsonl") {
          res.writeHead(200, { "content-type": "application/x-ndjson", ...(next ? { "x-dirbridge-next": next } : {}) });
          return res.end(page.map((e) => JSON.stringify(e) + "\n").join(""));
        }
        return send(200, next ? { entries: page, next } : { entries: page });
      }
      if (route === "PUT /events/delivery") {
        return send(201, { url: body.url, from: body.from ?? 0, secret: "whsec_standin-delivery-secret" });
      }
      if (route === "GET /events/delivery") return send(200, { url: "https://sink.example/events", from: 3, delivered: 7 });
      if (route === "DELETE /events/delivery") return send(204);
      if (route === "GET /events") {
        // A full page whose last sequence never moves: the CLI must not loop.
        const events = Array.from({ length: Number(q.limit) }, (_, i) => ({ sequence: i + 1, type: "user.provisioned" }));
        return send(200, { events, last: events.length });
      }
      if (route === "GET ") return send(500, { status: 500, error: "internal", detail: "the store is down" });
      return send(404, { status: 404, error: "notFound", detail: `no such admin endpoint: ${url.pathname}` });
    });
  });
  return { server, seen };
}

describe("dirbridge CLI against a stand-in of the endpoints being added", () => {
  let s;
  let base;
  const run = (args, env = {}) =>
    new Promise((resolve) => {
      execFile(
        BIN,
        args,
        { env: { PATH: process.env.PATH, DIRBRIDGE_URL: base, DIRBRIDGE_ADMIN_TOKEN: ADMIN, DIRBRIDGE_TENANT: "t1", ...env } },
        (error, out, err) => resolve({ code: error ? error.code : 0, out, err }),
      );
    });
  const ok = async (args) => {
    const r = await run(args);
    assert.equal(r.code, 0, `dirbridge ${args.join(" ")}: ${r.err}`);
    return r;
  };
  const lines = (text) => text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const last = () => s.seen[s.seen.length - 1];

  before(async () => {
    s = standIn();
    base = await listenOnLoopback(s.server);
  });
  after(async () => closeServer(s.server));

  test("connection list, rotate (the new token once), revoke", async () => {
    const list = await ok(["connection", "list"]);
    assert.match(list.out, /^ID +KIND +CREATED\nc1 +okta +2026-11-26T09:00:00Z\n$/);
    const rotated = await ok(["connection", "rotate", "c1", "--grace", "3600"]);
    assert.deepEqual(last().body, { graceSeconds: 3600 });
    assert.match(rotated.out, /previous token valid until: +2026-11-26T11:00:00Z/);
    assert.equal(rotated.out.split("dbt1.t1.c1.rotated-secret.mac").length - 1, 1);
    await ok(["connection", "rotate", "c1"]);
    assert.deepEqual(last().body, {});
    assert.equal((await run(["connection", "rotate", "c1", "--grace", "soon"])).code, 2);
    assert.match((await ok(["connection", "revoke", "c1"])).out, /connection c1 revoked/);
    assert.equal(last().method, "DELETE");
  });

  test("users list follows `next` through every page, as a table and as JSON lines", async () => {
    const before = s.seen.length;
    const table = await ok(["users", "list"]);
    assert.equal(s.seen.length - before, 3); // 2 + 2 + 1
    assert.deepEqual(s.seen.slice(before).map((r) => r.query.after ?? ""), ["", "2", "4"]);
    assert.match(table.out, /^ID +USERNAME +EMAIL +ACTIVE +OFFBOARDED$/m);
    for (const u of USERS) assert.match(table.out, new RegExp(`^${u.id} +${u.userName} `, "m"));
    assert.equal(table.err, "");
    const json = lines((await ok(["users", "list", "--json"])).out);
    assert.deepEqual(json.map((u) => u.id), USERS.map((u) => u.id));
    const one = lines((await ok(["users", "list", "--json", "--username", "grace@example.com"])).out);
    assert.deepEqual(one.map((u) => u.userName), ["grace@example.com"]);
  });

  test("a user by name or by id; offboard and restore say who; no such user is exit 5", async () => {
    const shown = await ok(["user", "show", "alan@example.com"]);
    assert.match(shown.out, new RegExp(`^id: +${uid(3)}$`, "m"));
    const byId = await ok(["user", "show", uid(4), "--json"]);
    assert.equal(JSON.parse(byId.out).userName, "edsger@example.com");
    assert.equal(s.seen.filter((r) => r.path.endsWith("/users") && r.query.userName === uid(4)).length, 0);

    const off = await ok(["user", "offboard", "ada@example.com", "--by", "it-admin", "--reason", "left"]);
    assert.equal(last().path, `/admin/v1/tenants/t1/users/${uid(1)}/offboard`);
    assert.deepEqual(last().body, { by: "it-admin", reason: "left" });
    assert.match(off.out, /^offboarded ada@example.com at 2026-11-26T12:00:00Z by it-admin \(left\)$/m);
    await ok(["user", "restore", "ada@example.com", "--by", "it-admin"]);
    assert.deepEqual(last().body, { by: "it-admin" });

    const nobody = await run(["user", "offboard", "nobody@example.com", "--by", "x"]);
    assert.equal(nobody.code, 5);
    assert.match(nobody.err, /no user with user name 'nobody@example.com'/);
    const refused = await run(["user", "offboard", "barbara@example.com", "--by", "x"]);
    assert.equal(refused.code, 6);
    assert.match(refused.err, /refused: barbara is the last admin \(HTTP 422 invalidInput\)/);
  });

  test("audit: filters (a user by name), pages; export writes every page of JSON lines", async () => {
    const table = await ok(["audit"]);
    assert.match(table.out, /^AT +ACTOR +ACTION +USER +GROUP$/m);
    assert.equal(table.out.trim().split("\n").length, 1 + AUDIT.length);
    const filtered = lines((await ok(["audit", "--json", "--user", "alan@example.com", "--since", "2026-11-26T00:00:00Z"])).out);
    assert.deepEqual(filtered, [AUDIT[2]]);
    assert.equal(last().query.user, uid(3));
    assert.equal(last().query.since, "2026-11-26T00:00:00Z");
    const before = s.seen.length;
    const exported = await ok(["audit", "export"]);
    assert.deepEqual(lines(exported.out), AUDIT);
    assert.deepEqual(s.seen.slice(before).map((r) => [r.query.format, r.query.after ?? ""]), [
      ["jsonl", ""],
      ["jsonl", "2"],
      ["jsonl", "4"],
    ]);
  });

  test("event delivery: its secret printed once, never by show", async () => {
    const set = await ok(["events", "delivery", "set", "https://sink.example/events", "--from", "3"]);
    assert.deepEqual(last().body, { url: "https://sink.example/events", from: 3 });
    assert.equal(set.out.split("whsec_standin-delivery-secret").length - 1, 1);
    assert.match(set.out, /event delivery signing secret \(shown only this once; store it now\)/);
    const shown = await ok(["events", "delivery", "show"]);
    assert.match(shown.out, /^delivered: +7$/m);
    await ok(["events", "delivery", "delete"]);
    assert.equal(last().method, "DELETE");
  });

  test("a cursor that does not move is the server's fault (7), not an endless loop", async () => {
    const r = await run(["events", "list", "--all"]);
    assert.equal(r.code, 7);
    assert.match(r.err, /cursor did not move/);
  });

  test("401 is exit 4, 404 exit 5, 500 exit 7", async () => {
    assert.equal((await run(["connection", "list"], { DIRBRIDGE_ADMIN_TOKEN: "wrong" })).code, 4);
    assert.equal((await run(["effects", "list"])).code, 5);
    const down = await run(["tenant", "show"]);
    assert.equal(down.code, 7);
    assert.match(down.err, /server error: the store is down \(HTTP 500 internal\)/);
  });
});
