// What the admin needs, end to end on both hosts (workerd and node:wasi), through the
// real local server: one-click offboarding and its hold, connections listed, rotated
// and revoked, and the audit log.
//
//   offboarding suspends a user provisioned by one IdP, logs user.offboarded with who
//   and the request id; repeated, it changes nothing
//   another source's reactivation is held (logged once, counted), its other changes apply
//   the admin restores the user; only then can the user be active again
//   every bad input is a precise 4xx and changes nothing
//   a token rotated with a grace period: both work until it ends; with none, the old
//   one stops at once; a revoked connection's token stops, and it stays listed
//   the audit log: by user, actor, type, time, request id; JSON lines; the attributes
//   an update changed
//   the mass-change guardrail holds an IdP's suspensions and deletion past the
//   threshold; the admin approves or discards each; bad settings change nothing

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { adminApi, recordingCall } from "./e2e_support.mjs";
import { startServer } from "./server_harness.mjs";

for (const host of (process.env.HOSTS || "workers,wasi").split(",")) {
  describe(`offboarding, connections and audit on ${host}`, () => {
    let server;
    const answers = [];
    const tenant = "acme-offboard";
    const call = recordingCall(answers);
    const admin = adminApi(() => server, call);
    const conns = {};
    const scim = (conn, method, path, json, headers = {}) =>
      call(method, `${conns[conn].scimBaseUrl}${path}`, {
        headers: { authorization: `Bearer ${conns[conn].token}`, "content-type": "application/scim+json", ...headers },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
    const events = async () => (await admin("GET", `/${tenant}/events?limit=1000`)).json.events;
    const audit = async (query) => {
      const r = await admin("GET", `/${tenant}/audit?${query}`);
      assert.equal(r.status, 200, r.text);
      return r.json;
    };
    let ada;

    before(async () => {
      server = await startServer({ host });
      assert.equal((await admin("POST", "", { id: tenant })).status, 201);
      for (const kind of ["entra", "okta"]) {
        const c = await admin("POST", `/${tenant}/connections`, { kind });
        assert.equal(c.status, 201, c.text);
        conns[kind] = c.json;
      }
      const created = await scim("entra", "POST", "/Users", {
        userName: "ada@example.com", title: "Engineer", emails: [{ value: "ada@example.com", primary: true }],
      });
      assert.equal(created.status, 201, created.text);
      ada = created.json;
    });
    after(async () => {
      if (server) await server.stop();
    });

    test("offboarding suspends at once, records who did it, and a repeat changes nothing", async () => {
      const before = (await events()).length;
      const r = await call("POST", `${server.baseUrl}/admin/v1/tenants/${tenant}/users/${ada.id}/offboard`, {
        headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json", "x-request-id": "ticket-4711" },
        body: JSON.stringify({ by: "it-admin", reason: "left the company" }),
      });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.get("x-request-id"), "ticket-4711");
      assert.equal(r.json.user.active, false);
      assert.equal(r.json.already, false);
      assert.equal(r.json.offboarded.by, "it-admin");
      const log = await events();
      assert.equal(log.length, before + 1, "one event: the offboarding");
      const e = log.at(-1);
      assert.equal(e.type, "user.offboarded");
      assert.equal(e.user, ada.id);
      assert.equal(e.request, "ticket-4711");
      assert.deepEqual([e.data.by, e.data.reason, e.data.wasActive, e.data.email], ["it-admin", "left the company", true, "ada@example.com"]);
      assert.equal(e.source.kind, "admin");

      const again = await admin("POST", `/${tenant}/users/${ada.id}/offboard`, { by: "someone-else" });
      assert.equal(again.status, 200, again.text);
      assert.equal(again.json.already, true);
      assert.equal(again.json.offboarded.by, "it-admin", "the first offboarding's record stays");
      assert.equal((await events()).length, before + 1, "a repeat logs nothing");
      const viaScim = await scim("entra", "GET", `/Users/${ada.id}`);
      assert.equal(viaScim.json.active, false, "every source sees the user suspended");
    });

    test("another source cannot reactivate an offboarded user: held, logged once, counted; other changes apply", async () => {
      const before = (await events()).length;
      const patch = (title) => scim("okta", "PATCH", `/Users/${ada.id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", value: { active: true, title } }],
      });
      const first = await patch("Staff Engineer");
      assert.equal(first.status, 200, first.text);
      assert.equal(first.json.active, false, "the answer says what is true: still suspended");
      assert.equal(first.json.title, "Staff Engineer");
      let log = (await events()).slice(before);
      assert.deepEqual(log.map((e) => e.type), ["user.reactivation_held", "user.updated"]);
      assert.equal(log[0].source.connection, conns.okta.id);
      assert.equal(log[0].data.offboardedBy, "it-admin");
      assert.deepEqual(log[1].data.changed, ["title"]);
      assert.deepEqual(log[1].data.changes.title, { from: "Engineer", to: "Staff Engineer" });

      const second = await patch("Staff Engineer");
      assert.equal(second.status, 200, second.text);
      assert.equal(second.json.active, false);
      assert.equal((await events()).length, before + 2, "a repeated attempt is only counted");
      const shown = await admin("GET", `/${tenant}/users/${ada.id}`);
      assert.equal(shown.status, 200, shown.text);
      assert.equal(shown.json.offboarded.heldReactivations, 2);
      assert.equal(shown.json.offboarded.lastHeld.source.connection, conns.okta.id);
      const byName = await admin("GET", `/${tenant}/users?userName=${encodeURIComponent("ADA@example.com")}`);
      assert.deepEqual(byName.json.users.map((u) => u.id), [ada.id]);
    });

    test("bad inputs are precise 4xx answers and change nothing", async () => {
      const before = (await events()).length;
      const cases = [
        ["POST", `/users/no-such-user/offboard`, {}, 404, /no user/],
        ["POST", `/users/${ada.id}/offboard`, { by: "x".repeat(201) }, 400, /'by' is longer than 200/],
        ["POST", `/users/${ada.id}/offboard`, { by: "a\nb" }, 400, /'by' holds a control character/],
        ["POST", `/users/${ada.id}/offboard`, { by: 7 }, 400, /by/],
        ["POST", `/users/${ada.id}/offboard`, { by: "x", force: true }, 400, /takes 'by' and 'reason'/],
        ["GET", `/users/${ada.id}/offboard`, undefined, 405, /./],
        ["GET", `/users?limit=0`, undefined, 400, /'limit' must be an integer from 1 to 200/],
        ["GET", `/audit?type=user.vanished`, undefined, 400, /'type' is not an event type/],
        ["GET", `/audit?since=yesterday`, undefined, 400, /'since' must be an RFC 3339 time/],
        ["GET", `/audit?format=csv`, undefined, 400, /'format' must be json or jsonl/],
        ["POST", `/connections/${conns.okta.id}/token`, { graceSeconds: -1 }, 400, /'graceSeconds' must be from 0 to 604800/],
        ["POST", `/connections/${conns.okta.id}/token`, { graceSeconds: 1e9 }, 400, /'graceSeconds'/],
        ["POST", `/connections/${conns.okta.id}/token`, { graceSeconds: "1h" }, 400, /'graceSeconds' must be an integer/],
        ["DELETE", `/connections/no-such-connection`, undefined, 404, /no connection/],
      ];
      for (const [method, path, body, status, detail] of cases) {
        const r = await admin(method, `/${tenant}${path}`, body);
        assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
        if (status !== 405) assert.match(r.json.detail, detail, `${method} ${path}`);
      }
      const raw = await call("POST", `${server.baseUrl}/admin/v1/tenants/${tenant}/users/${ada.id}/offboard`, {
        headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" }, body: "{not json",
      });
      assert.equal(raw.status, 400, raw.text);
      assert.equal((await events()).length, before, "nothing was logged");
      const okta = await scim("okta", "GET", `/Users/${ada.id}`);
      assert.equal(okta.status, 200, "the okta token was not rotated by a refused call");
    });

    test("the admin restores the user; a restore of a user not offboarded is 409", async () => {
      const r = await admin("POST", `/${tenant}/users/${ada.id}/restore`, { by: "it-admin" });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.user.active, true);
      assert.equal(r.json.user.offboarded, undefined);
      const e = (await events()).at(-1);
      assert.equal(e.type, "user.reactivated");
      assert.equal(e.data.restoredBy, "it-admin");
      const again = await admin("POST", `/${tenant}/users/${ada.id}/restore`, {});
      assert.equal(again.status, 409, again.text);
      assert.match(again.json.detail, /not offboarded/);
      // The hold is gone: the IdP's changes apply as before.
      const off = await scim("okta", "PATCH", `/Users/${ada.id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }],
      });
      assert.equal(off.json.active, false);
      const on = await scim("okta", "PATCH", `/Users/${ada.id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: true }],
      });
      assert.equal(on.json.active, true);
    });

    test("connections: listed with activity; a token rotated with and without grace; a revoked one stops and stays listed", async () => {
      const list = await admin("GET", `/${tenant}/connections`);
      assert.equal(list.status, 200, list.text);
      const byId = Object.fromEntries(list.json.connections.map((c) => [c.id, c]));
      const log = await events();
      const lastOf = (c) => log.filter((e) => e.source.connection === c).at(-1);
      for (const kind of ["entra", "okta"]) {
        const last = lastOf(conns[kind].id);
        assert.deepEqual(byId[conns[kind].id].activity, { lastChange: last.at, lastEvent: last.sequence, lastRequest: last.request },
          JSON.stringify(byId));
      }
      assert.ok(!list.text.includes(conns.entra.token.split(".")[3]), "no token in the listing");

      const graced = await admin("POST", `/${tenant}/connections/${conns.okta.id}/token`, { graceSeconds: 60 });
      assert.equal(graced.status, 200, graced.text);
      assert.ok(graced.json.previousTokenValidUntil);
      const oldToken = conns.okta.token;
      assert.equal((await scim("okta", "GET", "/Users")).status, 200, "the old token works in its grace period");
      conns.okta.token = graced.json.token;
      assert.equal((await scim("okta", "GET", "/Users")).status, 200, "the new token works");

      const sharp = await admin("POST", `/${tenant}/connections/${conns.okta.id}/token`, { graceSeconds: 0 });
      assert.equal(sharp.status, 200, sharp.text);
      const stale = conns.okta.token;
      conns.okta.token = oldToken;
      assert.equal((await scim("okta", "GET", "/Users")).status, 401, "the token before the last rotation stops");
      conns.okta.token = stale;
      assert.equal((await scim("okta", "GET", "/Users")).status, 401, "no grace: the replaced token stops at once");
      conns.okta.token = sharp.json.token;
      assert.equal((await scim("okta", "GET", "/Users")).status, 200);

      const revoked = await admin("DELETE", `/${tenant}/connections/${conns.okta.id}`);
      assert.equal(revoked.status, 204, revoked.text);
      const refused = await scim("okta", "GET", "/Users");
      assert.equal(refused.status, 401, refused.text);
      assert.equal((await admin("GET", `/${tenant}/connections/${conns.okta.id}`)).status, 404);
      assert.equal((await admin("DELETE", `/${tenant}/connections/${conns.okta.id}`)).status, 404, "revoked once");
      const after = await admin("GET", `/${tenant}/connections`);
      assert.ok(after.json.connections.find((c) => c.id === conns.okta.id).revoked, "a revoked connection stays listed");
      assert.equal((await scim("entra", "GET", `/Users/${ada.id}`)).json.active, true, "its users stay as they were");
    });

    test("the guardrail holds a mass suspension from an IdP; the admin approves or discards what it held", async () => {
      const defaults = await admin("GET", `/${tenant}/guardrail`);
      assert.equal(defaults.status, 200, defaults.text);
      assert.deepEqual([defaults.json.enabled, defaults.json.percent, defaults.json.users, defaults.json.windowSeconds, defaults.json.threshold],
        [true, 10, 50, 3600, 50]);
      for (const bad of [{ users: 0 }, { percent: 101 }, { windowSeconds: 10 }, { enabled: "yes" }, { limit: 3 }]) {
        const r = await admin("PUT", `/${tenant}/guardrail`, bad);
        assert.equal(r.status, 400, `${JSON.stringify(bad)}: ${r.text}`);
      }
      assert.equal((await admin("GET", `/${tenant}/guardrail`)).json.users, 50, "refused settings changed nothing");
      const set = await admin("PUT", `/${tenant}/guardrail`, { users: 3 });
      assert.equal(set.status, 200, set.text);
      assert.equal(set.json.threshold, 3);

      const ids = [];
      for (let i = 0; i < 6; i++) {
        const r = await scim("entra", "POST", "/Users", { userName: `mass${i}@example.com` });
        assert.equal(r.status, 201, r.text);
        ids.push(r.json.id);
      }
      const before = (await events()).length;
      const suspended = [];
      for (const id of ids.slice(0, 5)) {
        const r = await scim("entra", "PATCH", `/Users/${id}`, {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }],
        });
        assert.ok(r.status === 200 || r.status === 204, r.text); // Entra's dialect answers 204
        suspended.push((await scim("entra", "GET", `/Users/${id}`)).json.active === false);
      }
      assert.deepEqual(suspended, [true, true, true, false, false], "the 4th and 5th suspensions are held");
      assert.equal((await scim("entra", "DELETE", `/Users/${ids[5]}`)).status, 204);
      assert.equal((await scim("entra", "GET", `/Users/${ids[5]}`)).status, 200, "the held deletion left the user");
      const log = (await events()).slice(before);
      assert.deepEqual(log.map((e) => e.type), ["user.suspended", "user.suspended", "user.suspended", "change.held", "change.held", "change.held"]);
      const pending = await admin("GET", `/${tenant}/pending`);
      assert.equal(pending.status, 200, pending.text);
      const byUser = Object.fromEntries(pending.json.pending.map((p) => [p.user, p]));
      assert.deepEqual(Object.keys(byUser).sort(), [ids[3], ids[4], ids[5]].sort());
      assert.equal(byUser[ids[5]].action, "delete");
      assert.equal(byUser[ids[3]].source.connection, conns.entra.id);

      const approved = await admin("POST", `/${tenant}/pending/${ids[3]}/approve`, { by: "it-admin" });
      assert.equal(approved.status, 200, approved.text);
      assert.equal((await scim("entra", "GET", `/Users/${ids[3]}`)).json.active, false, "approved: suspended");
      const discarded = await admin("POST", `/${tenant}/pending/${ids[4]}/discard`, { by: "it-admin" });
      assert.equal(discarded.status, 200, discarded.text);
      assert.equal((await scim("entra", "GET", `/Users/${ids[4]}`)).json.active, true, "discarded: stays active");
      assert.equal((await admin("POST", `/${tenant}/pending/${ids[5]}/approve`, {})).status, 200);
      assert.equal((await scim("entra", "GET", `/Users/${ids[5]}`)).status, 404, "approved: deleted");
      assert.equal((await admin("POST", `/${tenant}/pending/${ids[4]}/discard`, {})).status, 404, "nothing pending any more");
      assert.deepEqual((await admin("GET", `/${tenant}/pending`)).json.pending, []);
      const decisions = (await events()).slice(before + 6).map((e) => e.type);
      assert.deepEqual(decisions, ["user.suspended", "change.approved", "change.discarded", "user.archived", "change.approved"]);
      assert.equal((await admin("PUT", `/${tenant}/guardrail`, { users: 50 })).status, 200);
    });

    test("the audit log: by user, actor, type, time and request; JSON lines", async () => {
      const byUser = await audit(`user=${ada.id}`);
      assert.ok(byUser.entries.length >= 6, JSON.stringify(byUser));
      assert.ok(byUser.entries.every((e) => e.user === ada.id));
      const byName = await audit(`user=${encodeURIComponent("ada@example.com")}`);
      assert.equal(byName.entries.length, byUser.entries.length);
      const byAdmin = await audit("actor=it-admin");
      assert.deepEqual(byAdmin.entries.map((e) => e.type),
        ["user.offboarded", "user.reactivated", "change.approved", "change.discarded"]);
      const byOkta = await audit(`actor=${conns.okta.id}`);
      assert.ok(byOkta.entries.length >= 3 && byOkta.entries.every((e) => e.source.connection === conns.okta.id));
      const held = await audit("type=user.reactivation_held");
      assert.equal(held.entries.length, 1);
      const offboarding = byAdmin.entries[0];
      const at = Date.parse(offboarding.at);
      const window = await audit(`since=${new Date(at).toISOString()}&until=${new Date(at + 1).toISOString()}&type=user.offboarded`);
      assert.deepEqual(window.entries.map((e) => e.sequence), [offboarding.sequence]);
      assert.equal((await audit(`until=${new Date(at).toISOString()}&type=user.offboarded`)).entries.length, 0);
      assert.ok(byUser.entries.every((e) => typeof e.request === "string" && e.request.length > 0), "every change names its request");

      const lines = await call("GET", `${server.baseUrl}/admin/v1/tenants/${tenant}/audit?format=jsonl&limit=2`, {
        headers: { authorization: `Bearer ${server.adminToken}` },
      });
      assert.equal(lines.status, 200);
      assert.match(lines.headers.get("content-type"), /application\/x-ndjson/);
      const parsed = lines.text.trim().split("\n").map((l) => JSON.parse(l));
      assert.deepEqual(parsed.map((e) => e.sequence), [1, 2]);
      assert.equal(lines.headers.get("x-dirbridge-next"), "2");
    });
  });
}
