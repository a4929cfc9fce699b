// The custom API (LastPass-compatible enterpriseapi.php) over HTTP on each real host
// (workerd through Miniflare, and node:wasi): a custom connection's provhash is shown
// once and rotates (the old one stops working); every command answers LastPass's shape
// (status OK / WARN / FAIL, one error per failed item naming its index and username);
// a retried batch changes nothing twice (the event count stays); a password sent with
// batchadd is never stored, logged or answered (a canary searched in the data folder,
// the events and every answer); a user made by SCIM and one made here with the same
// userName are one user; a wrong provhash or cid is refused and changes nothing; over a
// cap is refused whole.

import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";
import { startServer } from "./server_harness.mjs";
import { adminApi, filesUnder, recordingCall } from "./e2e_support.mjs";

const CANARY = `canary-master-password-${crypto.randomBytes(12).toString("hex")}`;

for (const host of (process.env.HOSTS || "workers,wasi").split(",")) {
  describe(`custom API on ${host}`, () => {
    let server;
    const answers = [];
    const call = recordingCall(answers);
    const admin = adminApi(() => server, call);
    const tenant = `lp-${host}`;
    let custom; // {id, customApi: {url, cid, provhash}}
    let scim; // {scimBaseUrl, token}

    const api = (cmd, data, { provhash = custom.customApi.provhash, cid = tenant } = {}) =>
      call("POST", custom.customApi.url, {
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ cid, provhash, cmd, data }),
      });
    const events = async () => {
      const r = await admin("GET", `/${tenant}/events?limit=1000`);
      assert.equal(r.status, 200, r.text);
      return r.json.events;
    };
    const scimUsers = async (userName) => {
      const r = await call("GET", `${scim.scimBaseUrl}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`, {
        headers: { authorization: `Bearer ${scim.token}` },
      });
      assert.equal(r.status, 200, r.text);
      return r.json.Resources;
    };
    const userData = async (data) => {
      const r = await api("getuserdata", data);
      assert.equal(r.status, 200, r.text);
      return r.json;
    };
    const byName = (users, username) => Object.values(users).find((u) => u.username === username);

    before(async () => {
      server = await startServer({ host });
      assert.equal((await admin("POST", "", { id: tenant })).status, 201);
      const s = await admin("POST", `/${tenant}/connections`, { kind: "entra" });
      scim = { scimBaseUrl: s.json.scimBaseUrl, token: s.json.token };
      const c = await admin("POST", `/${tenant}/connections`, { kind: "custom" });
      assert.equal(c.status, 201, c.text);
      custom = c.json;
      assert.equal(custom.customApi.url, `${server.baseUrl}/t/${tenant}/enterpriseapi.php`);
      assert.equal(custom.customApi.cid, tenant);
      assert.match(custom.customApi.provhash, /^[0-9a-f]{64}$/);
      const shown = await admin("GET", `/${tenant}/connections/${custom.id}`);
      assert.equal(shown.status, 200);
      assert.ok(!shown.text.includes(custom.customApi.provhash), "the provhash is shown only once");
    });

    after(async () => {
      if (server) await server.stop();
    });

    test("batchadd creates users and groups, errs per item, drops the password, and a retry changes nothing", async () => {
      const batch = [
        { username: "ada@example.com", fullname: "Ada Lovelace", groups: ["Engineering", "Ops"],
          attribs: { Department: "R&D", ShoeSize: "38" }, password: CANARY, password_reset_required: false },
        { username: "bob@example.com", fullname: "Bob", password: CANARY },
        { fullname: "nobody" },
        { username: "x".repeat(600) },
        { username: "cy@example.com", groups: [""] },
      ];
      const before = (await events()).length;
      const r = await api("batchadd", batch);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.status, "WARN", r.text);
      assert.equal(r.json.errors.length, 3, r.text);
      assert.match(r.json.errors[0], /^item 2 \(''\): 'username' is required$/);
      assert.match(r.json.errors[1], /^item 3 \('x+/);
      assert.match(r.json.errors[2], /^item 4 \('cy@example\.com'\): 'groups'\[0\]/);
      assert.deepEqual(r.json.ignored_attributes, ["ShoeSize"]);
      const after1 = await events();
      const added = after1.slice(before);
      assert.ok(added.every((e) => e.source.kind === "custom" && e.source.connection === custom.id && e.source.via === "api"),
        JSON.stringify(added));
      assert.deepEqual(added.filter((e) => e.type === "user.provisioned").map((e) => e.data.userName).sort(),
        ["ada@example.com", "bob@example.com"]);
      assert.equal(added.filter((e) => e.type === "group.created").length, 2);
      assert.equal((await scimUsers("cy@example.com")).length, 0, "a failed item applies nothing");

      const again = await api("batchadd", batch);
      assert.equal(again.json.status, "WARN");
      assert.deepEqual(again.json.errors, r.json.errors);
      assert.equal((await events()).length, after1.length, "a retried batch writes no event");

      const ada = (await scimUsers("ada@example.com"))[0];
      assert.equal(ada.displayName, "Ada Lovelace");
      assert.equal(ada["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"].department, "R&D");
    });

    test("a SCIM user and a batchadd user with the same userName are one user", async () => {
      const made = await call("POST", `${scim.scimBaseUrl}/Users`, {
        headers: { authorization: `Bearer ${scim.token}`, "content-type": "application/scim+json" },
        body: JSON.stringify({ userName: "carol@example.com", displayName: "C" }),
      });
      assert.equal(made.status, 201, made.text);
      const r = await api("batchadd", [{ username: "CAROL@example.com", fullname: "Carol Shaw", groups: ["Ops"] }]);
      assert.equal(r.json.status, "OK", r.text);
      const carol = await scimUsers("carol@example.com");
      assert.equal(carol.length, 1);
      assert.equal(carol[0].id, made.json.id);
      assert.equal(carol[0].displayName, "Carol Shaw");
      const data = await userData({ username: "carol@example.com" });
      assert.deepEqual(Object.keys(data.Users), [made.json.id]);
      assert.deepEqual(data.Users[made.json.id].groups, ["Ops"]);
    });

    test("batchchangegrp adds and removes memberships by group name", async () => {
      const r = await api("batchchangegrp", [
        { username: "bob@example.com", add: ["Finance", "Ops"], del: ["Nowhere"] },
        { username: "ada@example.com", del: ["Ops"] },
        { username: "ghost@example.com", add: ["Ops"] },
      ]);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.status, "WARN");
      assert.deepEqual(r.json.errors, ["item 2 ('ghost@example.com'): no user 'ghost@example.com'"]);
      const data = await userData({});
      assert.deepEqual(byName(data.Users, "bob@example.com").groups.sort(), ["Finance", "Ops"]);
      assert.deepEqual(byName(data.Users, "ada@example.com").groups, ["Engineering"]);
      assert.deepEqual(data.Groups.Ops.sort(), ["bob@example.com", "carol@example.com"]);
      const count = (await events()).length;
      assert.equal((await api("batchchangegrp", [{ username: "ada@example.com", del: ["Ops"] }])).json.status, "OK");
      assert.equal((await events()).length, count, "removing a non-member is no change");
    });

    test("disableuser and enableuser answer what changed and what did not", async () => {
      const d = await api("disableuser", ["bob@example.com", "nobody@example.com"]);
      assert.equal(d.status, 200, d.text);
      assert.equal(d.json.status, "WARN");
      assert.deepEqual(d.json.disabled_users, ["bob@example.com"]);
      assert.deepEqual(d.json.unchanged_users, []);
      assert.deepEqual(d.json.errors, ["item 1 ('nobody@example.com'): no user 'nobody@example.com'"]);
      const d2 = await api("disableuser", { usernames: ["bob@example.com"] });
      assert.equal(d2.json.status, "OK");
      assert.deepEqual(d2.json.unchanged_users, ["bob@example.com"]);
      const disabled = await userData({ disabled: 1 });
      assert.deepEqual(Object.values(disabled.Users).map((u) => u.username), ["bob@example.com"]);
      assert.equal(Object.values(disabled.Users)[0].disabled, true);
      const e = await api("enableuser", ["bob@example.com"]);
      assert.deepEqual(e.json.enabled_users, ["bob@example.com"]);
      assert.equal((await scimUsers("bob@example.com"))[0].active, true);
    });

    test("reinviteuser records a user.reinvited event", async () => {
      const r = await api("reinviteuser", { username: "ada@example.com" });
      assert.equal(r.json.status, "OK", r.text);
      const last = (await events()).at(-1);
      assert.equal(last.type, "user.reinvited");
      assert.equal(last.data.userName, "ada@example.com");
      assert.equal(last.source.via, "api");
    });

    test("getuserdata: users by id, groups by name; admin is empty; an unknown user is FAIL", async () => {
      const all = await userData({});
      assert.equal(all.status, "OK");
      assert.equal(Object.keys(all.Users).length, 3);
      for (const [id, u] of Object.entries(all.Users)) {
        assert.match(id, /^[0-9a-f-]{36}$/);
        assert.deepEqual(Object.keys(u).sort(), ["created", "disabled", "fullname", "groups", "username"]);
      }
      assert.equal(all.next, undefined);
      assert.deepEqual(await userData({ admin: 1 }), { status: "OK", errors: [], Users: {}, Groups: {} });
      const none = await userData({ username: "nobody@example.com" });
      assert.equal(none.status, "FAIL");
      assert.deepEqual(none.errors, ["no user 'nobody@example.com'"]);
    });

    test("deluser: 0 deactivates, 1 also ends memberships, 3 refuses an active user, 2 deletes", async () => {
      const r0 = await api("deluser", { username: "carol@example.com", deleteaction: 0 });
      assert.equal(r0.json.status, "OK", r0.text);
      let carol = byName((await userData({})).Users, "carol@example.com");
      assert.equal(carol.disabled, true);
      assert.deepEqual(carol.groups, ["Ops"]);
      const r1 = await api("deluser", [{ username: "carol@example.com", deleteaction: "1" }]);
      assert.equal(r1.json.status, "OK", r1.text);
      carol = byName((await userData({})).Users, "carol@example.com");
      assert.deepEqual(carol.groups, []);
      const r3 = await api("deluser", { username: "ada@example.com", deleteaction: 3 });
      assert.equal(r3.json.status, "FAIL");
      assert.match(r3.json.errors[0], /^item 0 \('ada@example\.com'\): the user is active/);
      const r3b = await api("deluser", { username: "carol@example.com", deleteaction: 3 });
      assert.equal(r3b.json.status, "OK", r3b.text);
      assert.equal((await scimUsers("carol@example.com")).length, 0);
      const r2 = await api("deluser", { username: "ada@example.com", deleteaction: 2 });
      assert.equal(r2.json.status, "OK", r2.text);
      assert.equal((await events()).at(-1).type, "user.archived", "the default policy keeps the account");
      assert.equal((await scimUsers("ada@example.com")).length, 0);
      const bad = await api("deluser", { username: "bob@example.com", deleteaction: 9 });
      assert.equal(bad.json.status, "FAIL");
      assert.match(bad.json.errors[0], /'deleteaction' must be/);
    });

    test("a wrong provhash or cid, a malformed envelope and a batch over the cap are refused and change nothing", async () => {
      const count = (await events()).length;
      const data = [{ username: "eve@example.com" }];
      const wrongHash = await api("batchadd", data, { provhash: "0".repeat(64) });
      assert.equal(wrongHash.status, 401, wrongHash.text);
      assert.equal(wrongHash.json.status, "FAIL");
      const wrongCid = await api("batchadd", data, { cid: "someone-else" });
      assert.equal(wrongCid.status, 401);
      assert.equal(wrongCid.text, wrongHash.text, "the same refusal for either");
      const lpCid = await api("batchadd", data, { cid: 12103061 });
      assert.equal(lpCid.status, 401);
      const missing = await call("POST", custom.customApi.url, { body: JSON.stringify({ cmd: "batchadd", data }) });
      assert.equal(missing.status, 401);
      const notJson = await call("POST", custom.customApi.url, { body: "{cid:" });
      assert.equal(notJson.status, 400);
      assert.equal(notJson.json.status, "FAIL");
      const unknown = await api("dropall", {});
      assert.equal(unknown.status, 400);
      assert.match(unknown.json.errors[0], /'dropall' is unknown/);
      const shape = await api("batchadd", { username: "eve@example.com" });
      assert.equal(shape.status, 400);
      const over = await api("batchadd", Array.from({ length: 1001 }, (_, i) => ({ username: `u${i}@example.com` })));
      assert.equal(over.status, 413, over.text);
      assert.match(over.json.errors[0], /at most 1000: split the batch/);
      const get = await call("GET", custom.customApi.url);
      assert.equal(get.status, 405);
      assert.equal((await events()).length, count);
      assert.equal((await scimUsers("eve@example.com")).length, 0);
    });

    test("rotating the provhash shows a new one once; the old one stops working", async () => {
      const r = await admin("POST", `/${tenant}/connections/${custom.id}/provhash`);
      assert.equal(r.status, 200, r.text);
      assert.match(r.json.provhash, /^[0-9a-f]{64}$/);
      const old = custom.customApi.provhash;
      assert.notEqual(r.json.provhash, old);
      assert.equal((await api("getuserdata", {}, { provhash: old })).status, 401);
      custom.customApi.provhash = r.json.provhash;
      assert.equal((await api("getuserdata", {})).status, 200);
      const shown = await admin("GET", `/${tenant}/connections/${custom.id}`);
      assert.ok(!shown.text.includes(r.json.provhash));
    });

    test("the password canary is nowhere: data folder, events, answers, server output", async () => {
      for (const f of filesUnder(server.dataDir)) {
        assert.ok(!fs.readFileSync(f).includes(CANARY), `canary found in ${f}`);
      }
      const all = await admin("GET", `/${tenant}/events?limit=1000`);
      assert.ok(!all.text.includes(CANARY));
      assert.ok(answers.every((a) => !a.includes(CANARY)), "no answer carries the canary");
      assert.ok(!server.output().includes(CANARY));
    });
  });
}
