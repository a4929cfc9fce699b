// A connection's deprovisioning policy, end to end on both hosts (workerd and
// node:wasi) through the real local server (model/deprovisioning_policy.h):
//
//   the policy is the safe default (suspend, suspend, 30 days); a bad PUT is a precise
//   400 and changes nothing
//   an IdP's DELETE archives the user: 404 to the IdP, its userName free, the admin
//   still sees it, suspended; provisioned again it comes back under its id
//   a delete policy erases the archived user after the grace period (the outbox
//   timer), never before: user.deprovisioned
//   a deactivate policy: a reactivation within the grace period cancels the purge;
//   otherwise user.removed

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { adminApi, recordingCall, until } from "./e2e_support.mjs";
import { startServer } from "./server_harness.mjs";

const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

for (const host of (process.env.HOSTS || "workers,wasi").split(",")) {
  describe(`deprovisioning policy on ${host}`, () => {
    let server;
    let conn;
    const tenant = "acme-deprov";
    const call = recordingCall([]);
    const admin = adminApi(() => server, call);
    const scim = (method, path, json) =>
      call(method, `${conn.scimBaseUrl}${path}`, {
        headers: { authorization: `Bearer ${conn.token}`, "content-type": "application/scim+json" },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
    const policyPath = () => `/${tenant}/connections/${conn.id}/deprovisioning`;
    const events = async () => (await admin("GET", `/${tenant}/events?limit=1000`)).json.events;
    const eventsOf = async (id) => (await events()).filter((e) => e.user === id);
    const newUser = async (userName) => {
      const r = await scim("POST", "/Users", { userName, emails: [{ value: userName, primary: true }] });
      assert.equal(r.status, 201, r.text);
      return r.json;
    };
    const setActive = async (id, active) => {
      const r = await scim("PATCH", `/Users/${id}`, {
        schemas: [PATCH], Operations: [{ op: "Replace", path: "active", value: active }],
      });
      assert.ok(r.status === 200 || r.status === 204, r.text);
    };

    before(async () => {
      server = await startServer({ host });
      assert.equal((await admin("POST", "", { id: tenant })).status, 201);
      const c = await admin("POST", `/${tenant}/connections`, { kind: "entra" });
      assert.equal(c.status, 201, c.text);
      conn = c.json;
    });
    after(async () => {
      if (server) await server.stop();
    });

    test("the policy is the safe default; a bad PUT is a precise 400 and changes nothing", async () => {
      const defaults = { onDeactivate: "suspend", onDelete: "suspend", graceSeconds: 2592000 };
      const got = await admin("GET", policyPath());
      assert.equal(got.status, 200, got.text);
      assert.deepEqual(got.json, { id: conn.id, deprovisioning: defaults });
      const listed = (await admin("GET", `/${tenant}/connections`)).json.connections;
      assert.deepEqual(listed.find((c) => c.id === conn.id).deprovisioning, defaults);

      const bad = [
        [{ onDelete: "erase" }, /'onDelete' must be "suspend", "remove" or "delete"/],
        [{ onDeactivate: true }, /'onDeactivate' must be/],
        [{ graceSeconds: -1 }, /'graceSeconds' must be an integer from 0 to 31536000/],
        [{ graceSeconds: "30d" }, /'graceSeconds' must be an integer/],
        [{ onDelete: "delete", purgeNow: true }, /takes only 'onDeactivate', 'onDelete' and 'graceSeconds'/],
        [[], /JSON object/],
      ];
      for (const [body, detail] of bad) {
        const r = await admin("PUT", policyPath(), body);
        assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
        assert.match(r.json.detail, detail);
      }
      const notJson = await call("PUT", `${server.baseUrl}/admin/v1/tenants${policyPath()}`, {
        headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
        body: "{onDelete",
      });
      assert.equal(notJson.status, 400, notJson.text);
      assert.equal((await admin("PUT", `/${tenant}/connections/no-such/deprovisioning`, { onDelete: "delete" })).status, 404);
      assert.equal((await admin("POST", policyPath(), {})).status, 405);
      assert.deepEqual((await admin("GET", policyPath())).json.deprovisioning, defaults, "nothing changed");
    });

    test("an IdP's DELETE archives the user; provisioned again, it comes back under its id", async () => {
      const ada = await newUser("ada@example.com");
      const group = await scim("POST", "/Groups", { displayName: "Staff", members: [{ value: ada.id }] });
      assert.equal(group.status, 201, group.text);
      assert.equal((await scim("DELETE", `/Users/${ada.id}`)).status, 204);

      assert.equal((await scim("GET", `/Users/${ada.id}`)).status, 404, "gone for the IdP");
      const listed = await scim("GET", `/Users?filter=${encodeURIComponent('userName eq "ada@example.com"')}`);
      assert.equal(listed.json.totalResults, 0);
      assert.deepEqual((await scim("GET", `/Groups/${group.json.id}`)).json.members ?? [], []);
      const seen = await admin("GET", `/${tenant}/users/${ada.id}`);
      assert.equal(seen.status, 200, seen.text);
      assert.equal(seen.json.active, false);
      assert.equal(seen.json.archived.policy, "suspend");
      assert.equal(seen.json.archived.source.connection, conn.id);
      assert.equal(seen.json.scheduledPurge, undefined, "nothing will erase it");
      const archived = (await eventsOf(ada.id)).at(-1);
      assert.equal(archived.type, "user.archived");
      assert.deepEqual([archived.data.state, archived.data.policy, archived.data.wasActive], ["archived", "suspend", true]);

      const again = await newUser("Ada@Example.com");
      assert.equal(again.id, ada.id, "the same account");
      assert.equal(again.active, true);
      const revived = (await eventsOf(ada.id)).at(-1);
      assert.equal(revived.type, "user.provisioned");
      assert.equal(revived.data.revived, true);
      assert.equal((await admin("GET", `/${tenant}/users/${ada.id}`)).json.archived, undefined);
    });

    test("a delete policy erases the archived user after the grace period, never before", async () => {
      const set = await admin("PUT", policyPath(), { onDelete: "delete", graceSeconds: 2 });
      assert.equal(set.status, 200, set.text);
      assert.deepEqual(set.json.deprovisioning, { onDeactivate: "suspend", onDelete: "delete", graceSeconds: 2 });
      const bob = await newUser("bob@example.com");
      assert.equal((await scim("DELETE", `/Users/${bob.id}`)).status, 204);
      const archived = (await eventsOf(bob.id)).at(-1);
      assert.equal(archived.type, "user.archived");
      assert.equal(archived.data.purge.action, "delete");
      const seen = await admin("GET", `/${tenant}/users/${bob.id}`);
      assert.equal(seen.json.scheduledPurge.action, "delete");
      assert.equal(seen.json.scheduledPurge.dueAt, archived.data.purge.dueAt);

      const gone = await until("user.deprovisioned", async () =>
        (await eventsOf(bob.id)).find((e) => e.type === "user.deprovisioned"), 30_000, 200);
      assert.ok(Date.parse(gone.at) >= Date.parse(archived.at) + 2000, `${gone.at} is after the grace period`);
      assert.deepEqual([gone.data.policy, gone.data.reason, gone.source.kind], ["delete", "deleted", "policy"]);
      assert.equal((await admin("GET", `/${tenant}/users/${bob.id}`)).status, 404, "erased");
      const fresh = await newUser("bob@example.com");
      assert.notEqual(fresh.id, bob.id, "a new provisioning is a new account");
    });

    test("a deactivate policy: a reactivation within the grace period cancels, otherwise user.removed", async () => {
      assert.equal((await admin("PUT", policyPath(), { onDeactivate: "remove", onDelete: "suspend", graceSeconds: 2 })).status, 200);
      const carol = await newUser("carol@example.com");
      await setActive(carol.id, false);
      const suspended = (await eventsOf(carol.id)).at(-1);
      assert.equal(suspended.type, "user.suspended");
      assert.equal(suspended.data.purge.action, "remove");
      await setActive(carol.id, true);
      const reactivated = (await eventsOf(carol.id)).at(-1);
      assert.equal(reactivated.type, "user.reactivated");
      assert.equal(reactivated.data.purgeCancelled, true);
      await new Promise((r) => setTimeout(r, 3500)); // past the cancelled purge's due time
      assert.equal((await eventsOf(carol.id)).some((e) => e.type === "user.removed"), false, "cancelled");
      const still = await scim("GET", `/Users/${carol.id}`);
      assert.equal(still.status, 200);
      assert.equal(still.json.active, true);

      await setActive(carol.id, false);
      const removed = await until("user.removed", async () =>
        (await eventsOf(carol.id)).find((e) => e.type === "user.removed"), 30_000, 200);
      assert.deepEqual([removed.data.state, removed.data.reason], ["removed", "deactivated"]);
      assert.equal((await scim("GET", `/Users/${carol.id}`)).status, 404);
    });
  });
}
