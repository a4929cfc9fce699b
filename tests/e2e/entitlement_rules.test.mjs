// Group automation end to end on both hosts (workerd and node:wasi), through the real
// local server (functions/admin/rules_api.h, provision/entitlement_rules.h):
//
//   the admin PUTs a rule for a group name (201, then 200 replaced), reads and lists it
//   an Entra connection's SCIM PATCH adding a member to a group of that name (any case)
//   logs entitlement.granted per entitlement; removing the member logs revoked
//   no rule, no entitlement event
//   every bad input is a precise 400 and changes nothing; DELETE is 204, then 404

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { adminApi, recordingCall } from "./e2e_support.mjs";
import { startServer } from "./server_harness.mjs";

const patchOp = (Operations) => ({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations });

for (const host of (process.env.HOSTS || "workers,wasi").split(",")) {
  describe(`group automation rules on ${host}`, () => {
    let server;
    const answers = [];
    const tenant = "acme-rules";
    const call = recordingCall(answers);
    const admin = adminApi(() => server, call);
    let entra;
    const scim = (method, path, json) =>
      call(method, `${entra.scimBaseUrl}${path}`, {
        headers: { authorization: `Bearer ${entra.token}`, "content-type": "application/scim+json" },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
    const events = async () => (await admin("GET", `/${tenant}/events?limit=1000`)).json.events;
    let ada, eng, sales;

    before(async () => {
      server = await startServer({ host });
      assert.equal((await admin("POST", "", { id: tenant })).status, 201);
      const c = await admin("POST", `/${tenant}/connections`, { kind: "entra" });
      assert.equal(c.status, 201, c.text);
      entra = c.json;
      const u = await scim("POST", "/Users", { userName: "ada@example.com" });
      assert.equal(u.status, 201, u.text);
      ada = u.json;
      for (const [name, set] of [["engineering", (g) => (eng = g)], ["Sales", (g) => (sales = g)]]) {
        const g = await scim("POST", "/Groups", { displayName: name });
        assert.equal(g.status, 201, g.text);
        set(g.json);
      }
    });
    after(async () => {
      if (server) await server.stop();
    });

    test("a rule is set (201), replaced (200), read and listed", async () => {
      const body = { entitlements: [{ type: "role", name: "Developers" }], by: "it-admin" };
      const created = await admin("PUT", `/${tenant}/rules/${encodeURIComponent("Engineering")}`, body);
      assert.equal(created.status, 201, created.text);
      assert.equal(created.json.group, "Engineering");
      const replaced = await admin("PUT", `/${tenant}/rules/ENGINEERING`, {
        entitlements: [{ type: "role", name: "Developers" }, { type: "sharedFolder", name: "Eng Keys" }],
        by: "it-admin",
      });
      assert.equal(replaced.status, 200, replaced.text);
      const got = await admin("GET", `/${tenant}/rules/engineering`);
      assert.equal(got.status, 200, got.text);
      assert.deepEqual(got.json.entitlements, [{ type: "role", name: "Developers" }, { type: "sharedFolder", name: "Eng Keys" }]);
      const listed = await admin("GET", `/${tenant}/rules`);
      assert.equal(listed.status, 200, listed.text);
      assert.deepEqual(listed.json.rules.map((r) => r.group), ["ENGINEERING"]);
      const log = await events();
      assert.deepEqual(log.slice(-2).map((e) => [e.type, e.data.by]), [["rule.set", "it-admin"], ["rule.set", "it-admin"]]);
    });

    test("an Entra PATCH adding a member grants the rule's entitlements; removing revokes them", async () => {
      const before = (await events()).length;
      const add = await scim("PATCH", `/Groups/${eng.id}`, patchOp([{ op: "add", path: "members", value: [{ value: ada.id }] }]));
      assert.ok(add.status === 200 || add.status === 204, add.text);
      const added = (await events()).slice(before);
      assert.deepEqual(added.map((e) => e.type), ["group.member_added", "entitlement.granted"]);
      for (const e of added.slice(1)) {
        assert.equal(e.user, ada.id);
        assert.equal(e.group, eng.id);
        assert.equal(e.source.kind, "entra");
        assert.equal(e.data.displayName, "engineering");
        assert.equal(e.data.userName, "ada@example.com");
      }
      assert.deepEqual(added[1].data.entitlements, [
        { type: "role", name: "Developers" }, { type: "sharedFolder", name: "Eng Keys" },
      ]);

      const mid = (await events()).length;
      const remove = await scim("PATCH", `/Groups/${eng.id}`, patchOp([{ op: "remove", path: `members[value eq "${ada.id}"]` }]));
      assert.ok(remove.status === 200 || remove.status === 204, remove.text);
      const removed = (await events()).slice(mid);
      assert.deepEqual(removed.map((e) => e.type), ["group.member_removed", "entitlement.revoked"]);
      assert.equal(removed[1].data.entitlements.length, 2);
    });

    test("a group without a rule logs no entitlement event", async () => {
      const before = (await events()).length;
      const add = await scim("PATCH", `/Groups/${sales.id}`, patchOp([{ op: "add", path: "members", value: [{ value: ada.id }] }]));
      assert.ok(add.status === 200 || add.status === 204, add.text);
      assert.deepEqual((await events()).slice(before).map((e) => e.type), ["group.member_added"]);
    });

    test("bad inputs are precise 400s and change nothing; DELETE is 204 then 404", async () => {
      const before = (await events()).length;
      const rules = (await admin("GET", `/${tenant}/rules`)).json.rules;
      const ok = [{ type: "role", name: "x" }];
      const cases = [
        ["PUT", `/rules/Sales`, {}, /no 'entitlements'/],
        ["PUT", `/rules/Sales`, { entitlements: [] }, /'entitlements' is empty/],
        ["PUT", `/rules/Sales`, { entitlements: [{ type: "admin", name: "x" }] }, /entitlements\[0\]\.type must be/],
        ["PUT", `/rules/Sales`, { entitlements: [{ type: "role", name: "" }] }, /entitlements\[0\]\.name is empty/],
        ["PUT", `/rules/Sales`, { entitlements: [{ type: "role", name: "x".repeat(201) }] }, /201 bytes; the limit is 200/],
        ["PUT", `/rules/Sales`, { entitlements: [{ type: "role", name: "a\u0001b" }] }, /control character/],
        ["PUT", `/rules/Sales`, { entitlements: Array.from({ length: 51 }, (_, i) => ({ type: "role", name: `r${i}` })) }, /51 entries; the limit is 50/],
        ["PUT", `/rules/Sales`, { entitlements: [ok[0], ok[0]] }, /repeats role 'x'/],
        ["PUT", `/rules/Sales`, { entitlements: ok, extra: 1 }, /does not take/],
        ["PUT", `/rules/${"g".repeat(513)}`, { entitlements: ok }, /513 bytes/],
        ["GET", `/rules?limit=0`, undefined, /'limit' must be an integer from 1 to 200/],
      ];
      for (const [method, path, body, detail] of cases) {
        const r = await admin(method, `/${tenant}${path}`, body);
        assert.equal(r.status, 400, `${method} ${path}: ${r.text}`);
        assert.match(r.json.detail, detail, `${method} ${path}`);
      }
      const raw = await call("PUT", `${server.baseUrl}/admin/v1/tenants/${tenant}/rules/Sales`, {
        headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" }, body: "{not json",
      });
      assert.equal(raw.status, 400, raw.text);
      assert.equal((await events()).length, before, "nothing was logged");
      assert.deepEqual((await admin("GET", `/${tenant}/rules`)).json.rules, rules, "no rule changed");
      assert.equal((await admin("GET", `/${tenant}/rules/Sales`)).status, 404);

      const deleted = await admin("DELETE", `/${tenant}/rules/Engineering`, { by: "it-admin" });
      assert.equal(deleted.status, 204, deleted.text);
      assert.equal((await admin("DELETE", `/${tenant}/rules/Engineering`)).status, 404);
      const last = (await events()).at(-1);
      assert.deepEqual([last.type, last.data.by], ["rule.deleted", "it-admin"]);
    });
  });
}
