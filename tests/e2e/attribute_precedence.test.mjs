// Several sources for one person, end to end on both hosts (workerd and node:wasi):
// two connections (Entra and Okta, both over SCIM) describe the same user; the
// tenant's precedence rules decide which owns which attribute, and conflicts are
// recorded (logged once, counted after), never silently overwritten.
//
//   bad rules are a precise 400 and change nothing
//   the weaker source's offer is kept out, logged once as user.attribute_conflict
//   (owner, offered and kept values), counted on repeats; its other changes apply
//   the stronger source takes an attribute over
//   the admin sees the owners and conflicts on the user; clearing the rules brings
//   back last-writer-wins

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { adminApi, recordingCall } from "./e2e_support.mjs";
import { startServer } from "./server_harness.mjs";

const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

for (const host of (process.env.HOSTS || "workers,wasi").split(",")) {
  describe(`attribute precedence on ${host}`, () => {
    let server;
    const tenant = "acme-precedence";
    const call = recordingCall([]);
    const admin = adminApi(() => server, call);
    const conns = {};
    const scim = (kind, method, path, json) =>
      call(method, `${conns[kind].scimBaseUrl}${path}`, {
        headers: { authorization: `Bearer ${conns[kind].token}`, "content-type": "application/scim+json" },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
    const replace = (kind, id, attrs) =>
      scim(kind, "PATCH", `/Users/${id}`, {
        schemas: [PATCH], Operations: Object.entries(attrs).map(([path, value]) => ({ op: "replace", path, value })),
      });
    const get = async (kind, id) => (await scim(kind, "GET", `/Users/${id}`)).json;
    const events = async () => (await admin("GET", `/${tenant}/events?limit=1000`)).json.events;
    const conflicts = async (id) => (await events()).filter((e) => e.type === "user.attribute_conflict" && e.user === id);
    let ada;

    before(async () => {
      server = await startServer({ host });
      assert.equal((await admin("POST", "", { id: tenant })).status, 201);
      for (const kind of ["entra", "okta"]) {
        const c = await admin("POST", `/${tenant}/connections`, { kind });
        assert.equal(c.status, 201, c.text);
        conns[kind] = c.json;
      }
    });
    after(async () => {
      if (server) await server.stop();
    });

    test("bad rules are a precise 400 and change nothing", async () => {
      assert.deepEqual((await admin("GET", `/${tenant}/precedence`)).json, { attributes: {} });
      const bad = [
        [{ attributes: { active: ["entra"] } }, /'active' has no precedence/],
        [{ attributes: { title: [] } }, /non-empty array of sources/],
        [{ attributes: { title: ["entra", "entra"] } }, /names a source twice/],
        [{ title: ["entra"] }, /must be \{"attributes"/],
        [{ attributes: { title: ["entra"] }, by: 5 }, /'by' must be a string/],
      ];
      for (const [body, detail] of bad) {
        const r = await admin("PUT", `/${tenant}/precedence`, body);
        assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
        assert.match(r.json.detail, detail);
      }
      assert.equal((await admin("DELETE", `/${tenant}/precedence`, {})).status, 404, "none to clear");
      assert.equal((await admin("POST", `/${tenant}/precedence`, {})).status, 405);
      assert.deepEqual((await admin("GET", `/${tenant}/precedence`)).json, { attributes: {} }, "nothing changed");
    });

    test("the weaker source's offer is kept out and recorded once; its other changes apply", async () => {
      const rules = { attributes: { title: ["entra", "okta"], displayName: ["okta", "entra"] } };
      const set = await admin("PUT", `/${tenant}/precedence`, { ...rules, by: "it-admin" });
      assert.equal(set.status, 200, set.text);
      assert.deepEqual(set.json, rules);
      const audit = (await events()).at(-1);
      assert.deepEqual([audit.type, audit.data.by], ["precedence.set", "it-admin"]);

      const created = await scim("entra", "POST", "/Users", { userName: "ada@example.com", title: "Engineer", displayName: "Ada" });
      assert.equal(created.status, 201, created.text);
      ada = created.json;
      // Okta describes the same person: it finds her by userName (one person, one user)
      const found = await scim("okta", "GET", `/Users?filter=${encodeURIComponent('userName eq "ada@example.com"')}`);
      assert.equal(found.json.Resources[0].id, ada.id);

      const r = await replace("okta", ada.id, { title: "Manager", nickName: "ada" });
      assert.ok([200, 204].includes(r.status), r.text);
      const now = await get("entra", ada.id);
      assert.equal(now.title, "Engineer", "kept: entra owns the title");
      assert.equal(now.nickName, "ada", "okta's other change applied");
      const logged = await conflicts(ada.id);
      assert.equal(logged.length, 1);
      assert.equal(logged[0].source.connection, conns.okta.id);
      assert.deepEqual(logged[0].data.conflicts, [
        { attribute: "title", ownedBy: { kind: "entra", connection: conns.entra.id }, offered: "Manager", kept: "Engineer" },
      ]);

      for (let i = 0; i < 3; i++) await replace("okta", ada.id, { title: "Manager" }); // a sync repeating itself
      assert.equal((await conflicts(ada.id)).length, 1, "repeats are counted, not logged");
      const seen = (await admin("GET", `/${tenant}/users/${ada.id}`)).json;
      assert.equal(seen.attributeOwners.title.connection, conns.entra.id);
      assert.equal(seen.attributeConflicts.title.count, 4);
      assert.equal(seen.attributeConflicts.title.source.connection, conns.okta.id);
    });

    test("the stronger source takes an attribute over; clearing the rules brings back last-writer-wins", async () => {
      await replace("okta", ada.id, { displayName: "Ada Lovelace" }); // okta outranks entra here
      assert.equal((await get("entra", ada.id)).displayName, "Ada Lovelace");
      await replace("entra", ada.id, { displayName: "A. Lovelace" });
      assert.equal((await get("entra", ada.id)).displayName, "Ada Lovelace", "entra is the weaker one for displayName");
      assert.equal((await conflicts(ada.id)).at(-1).data.conflicts[0].attribute, "displayName");

      assert.equal((await admin("DELETE", `/${tenant}/precedence`, { by: "it-admin" })).status, 204);
      await replace("okta", ada.id, { title: "Manager" });
      assert.equal((await get("entra", ada.id)).title, "Manager", "no rules: the last writer wins");
    });
  });
}
