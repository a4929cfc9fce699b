// Okta Event Hooks end to end, over HTTP on each real host (workerd through
// Miniflare, and node:wasi): the one-time verification; a batch of lifecycle and
// membership events applied once although delivered twice and out of order; an
// older event that arrives late does not undo a newer one; wrong or missing secrets
// (401), malformed bodies (400), bodies over the limit (413); an unknown event type
// acknowledged, counted and ignored; and the hook secret, a canary, never appears in
// a log line, an answer, an event or the persisted store.

import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { rawPost } from "./raw_http.mjs";
import { groupTarget, hookDelivery, logEvent, userTarget } from "./okta_payloads.mjs";
import { adminApi, recordingCall } from "./e2e_support.mjs";
import { startServer } from "./server_harness.mjs";

const T = (s) => `2026-11-25T10:00:${String(s).padStart(2, "0")}.000Z`;

const oktaEvent = (eventType, second, targets, uuid) => logEvent(eventType, T(second), targets, uuid);
const delivery = hookDelivery;

const ada = userTarget("00uada", "ada@example.com", "Ada Lovelace");
const grace = userTarget("00ugrace", "grace@example.com", "Grace Hopper");
const ghost = userTarget("00ughost", "ghost@example.com", "Nobody Here");
const eng = groupTarget("00geng", "Engineering");

for (const host of ["workers", "wasi"]) {
  describe(`Okta Event Hooks on ${host}`, () => {
    let server;
    const answers = []; // every response text, searched for the canary at the end
    const tenant = "acme-okta";
    let hook; // the okta connection's eventHook block
    let custom; // a second okta connection with its own header name
    let scimToken;
    let scimBase;

    const call = recordingCall(answers);
    const admin = adminApi(() => server, call);
    const post = (events, secret = hook.secret, header = "authorization") =>
      call("POST", hook.url, {
        headers: { [header]: secret, "content-type": "application/json" },
        body: JSON.stringify(delivery(events)),
      });
    const scim = (p) => call("GET", `${scimBase}${p}`, { headers: { authorization: `Bearer ${scimToken}` } });
    const lastEvent = async () => (await admin("GET", `/${tenant}/events?limit=1000`)).json.last ?? 0;
    const stats = async () => (await admin("GET", `/${tenant}/connections/${hook.connection}/hook`)).json;

    before(async () => {
      server = await startServer({ host });
      assert.equal((await admin("POST", "", { id: tenant })).status, 201);
      const s = await admin("POST", `/${tenant}/connections`, { kind: "entra" });
      scimToken = s.json.token;
      scimBase = s.json.scimBaseUrl;
      const o = await admin("POST", `/${tenant}/connections`, { kind: "okta" });
      assert.equal(o.status, 201, o.text);
      hook = { ...o.json.eventHook, connection: o.json.id };
      assert.equal(hook.url, `${server.baseUrl}/t/${tenant}/hooks/okta/${o.json.id}`);
      assert.equal(hook.header, "authorization");
      assert.match(hook.secret, /^dbh1\./);
      assert.ok(hook.events.includes("user.lifecycle.deactivate"));
      const c = await admin("POST", `/${tenant}/connections`, { kind: "okta", hookHeader: "X-Okta-Hook-Key" });
      assert.equal(c.status, 201, c.text);
      custom = c.json.eventHook;
      assert.equal(custom.header, "x-okta-hook-key");
      // Grace exists already, pushed by SCIM: the hook must find her, not make a second Grace.
      const g = await call("POST", `${scimBase}/Users`, {
        headers: { authorization: `Bearer ${scimToken}`, "content-type": "application/scim+json" },
        body: JSON.stringify({ userName: "Grace@Example.com", displayName: "Grace" }),
      });
      assert.equal(g.status, 201, g.text);
    });

    after(async () => {
      if (server) {
        await server.stop();
        fs.rmSync(server.dataDir, { recursive: true, force: true });
      }
    });

    test("the one-time verification echoes the challenge, only with the secret", async () => {
      const challenge = "VtFz5c7s0Ln4y0mVXr_YBrNl0f2pQk3A";
      const ok = await call("GET", hook.url, { headers: { authorization: hook.secret, "x-okta-verification-challenge": challenge } });
      assert.equal(ok.status, 200, ok.text);
      assert.match(ok.headers.get("content-type"), /^application\/json/);
      assert.deepEqual(ok.json, { verification: challenge });
      // "Bearer <secret>" is accepted too (an admin may type it that way).
      const bearer = await call("GET", hook.url, { headers: { authorization: `Bearer ${hook.secret}`, "x-okta-verification-challenge": "c2" } });
      assert.deepEqual(bearer.json, { verification: "c2" });
      // The custom header, and only it, for the second connection.
      const viaCustom = await call("GET", custom.url, { headers: { "x-okta-hook-key": custom.secret, "x-okta-verification-challenge": "c3" } });
      assert.deepEqual(viaCustom.json, { verification: "c3" });
      const wrongHeader = await call("GET", custom.url, { headers: { authorization: custom.secret, "x-okta-verification-challenge": "c4" } });
      assert.equal(wrongHeader.status, 401, wrongHeader.text);
      assert.equal((await call("GET", hook.url, { headers: { authorization: hook.secret } })).status, 400);
    });

    test("a wrong or missing secret is 401 and changes nothing", async () => {
      const before = await lastEvent();
      const [v, t, c, secret] = hook.secret.split(".");
      const mint = (key, body) => `${body}.${crypto.createHmac("sha256", key).update(body).digest().subarray(0, 16).toString("base64url")}`;
      const events = [oktaEvent("user.lifecycle.create", 1, [userTarget("00umallory", "mallory@example.com", "M")])];
      const bad = [
        undefined,
        "garbage",
        custom.secret, // another connection's secret
        mint("another-deployment-key-0123456789abcdef", `${v}.${t}.${c}.${secret}`), // forged MAC
        mint(server.tokenKey, `${v}.${t}.${c}.${"A".repeat(43)}`), // valid MAC, not the issued secret
        `Bearer ${scimToken}`, // the SCIM token is not a hook secret
      ];
      for (const s of bad) {
        const headers = { "content-type": "application/json", "x-okta-verification-challenge": "x" };
        if (s !== undefined) headers.authorization = s;
        const r = await call("POST", hook.url, { headers, body: JSON.stringify(delivery(events)) });
        assert.equal(r.status, 401, `${s}: ${r.text}`);
        assert.equal(r.json.error, "unauthorized");
        const g = await call("GET", hook.url, { headers });
        assert.equal(g.status, 401);
        assert.ok(!("verification" in g.json));
      }
      assert.equal(await lastEvent(), before);
      assert.equal((await scim('/Users?filter=userName%20eq%20%22mallory@example.com%22')).json.totalResults, 0);
    });

    test("a batch applies once, although delivered twice and out of order; a late older event changes nothing", async () => {
      const a = [
        oktaEvent("group.lifecycle.create", 1, [eng]),
        oktaEvent("user.lifecycle.create", 2, [ada]),
        oktaEvent("user.lifecycle.activate", 3, [ada]),
        oktaEvent("group.user_membership.add", 4, [ada, eng]),
        oktaEvent("user.lifecycle.deactivate", 5, [grace]),
        oktaEvent("user.session.start", 5, [ada]), // not handled: acknowledged, counted
        oktaEvent("user.lifecycle.suspend", 6, [ghost]), // nobody here: a clear no-op
      ];
      const b = [oktaEvent("user.lifecycle.suspend", 9, [ada])];
      const late = [oktaEvent("user.lifecycle.unsuspend", 7, [ada])]; // older than b, delivered after it

      const r1 = await post([...a].reverse());
      assert.equal(r1.status, 204, r1.text);
      assert.equal(r1.text, "");
      assert.equal((await post(b)).status, 204);
      assert.equal((await post(late)).status, 204);
      const afterFirst = await lastEvent();
      // Okta's retry: everything again, in another order.
      assert.equal((await post([...b, ...late, ...a])).status, 204);
      assert.equal(await lastEvent(), afterFirst, "a redelivery adds no event");

      const adaUsers = (await scim('/Users?filter=userName%20eq%20%22ada@example.com%22')).json;
      assert.equal(adaUsers.totalResults, 1);
      const adaUser = adaUsers.Resources[0];
      assert.equal(adaUser.externalId, "00uada");
      assert.equal(adaUser.active, false, "suspended at :09; the unsuspend of :07 came late and is stale");
      const graceUsers = (await scim('/Users?filter=userName%20eq%20%22grace@example.com%22')).json;
      assert.equal(graceUsers.totalResults, 1, "one Grace: the SCIM user was matched by login");
      assert.equal(graceUsers.Resources[0].active, false);
      assert.equal((await scim("/Users")).json.totalResults, 2, "no user for the unknown Okta user");
      const groups = (await scim('/Groups?filter=displayName%20eq%20%22Engineering%22')).json;
      assert.equal(groups.totalResults, 1);
      assert.deepEqual(groups.Resources[0].members.map((m) => m.value), [adaUser.id]);

      const events = (await admin("GET", `/${tenant}/events?limit=1000`)).json.events;
      const fromHook = events.filter((e) => e.source.via === "hook");
      assert.deepEqual(
        fromHook.map((e) => e.type),
        ["group.created", "user.provisioned", "user.reactivated", "group.member_added", "user.suspended", "user.suspended"],
      );
      assert.ok(fromHook.every((e) => e.source.kind === "okta" && e.source.connection === hook.connection));

      const s = await stats();
      assert.equal(s.deliveries, 4);
      assert.equal(s.outcomes.duplicate, a.length + b.length + late.length);
      assert.equal(s.outcomes.ignored, 1);
      assert.equal(s.outcomes.unknownUser, 1);
      assert.equal(s.outcomes.stale, 1);
      assert.deepEqual(s.unknownTypes, { "user.session.start": 1 });
      assert.equal(s.lastPublished, T(9));
    });

    test("malformed JSON is 400, a body over the limit 413, and neither changes anything", async () => {
      const before = await lastEvent();
      const statsBefore = await stats();
      const send = (body) =>
        call("POST", hook.url, { headers: { authorization: hook.secret, "content-type": "application/json" }, body });
      for (const body of ["{not json", "", "[]", '{"data":{}}', '{"data":{"events":{}}}']) {
        const r = await send(body);
        assert.equal(r.status, 400, `${body}: ${r.text}`);
        assert.equal(r.json.status, 400);
      }
      const over = await rawPost(hook.url, { authorization: hook.secret, "content-type": "application/json" },
        JSON.stringify(delivery([])).replace("}}", `}, "pad": "${"x".repeat(300 * 1024)}"}`));
      assert.equal(over.status, 413);
      const many = Array.from({ length: 101 }, (_, i) => oktaEvent("user.lifecycle.create", 1, [userTarget(`00um${i}`, `m${i}@example.com`, "M")]));
      const tooMany = await send(JSON.stringify(delivery(many)));
      assert.equal(tooMany.status, 413, tooMany.text);
      assert.match(tooMany.json.detail, /at most 100 events/);
      assert.equal(await lastEvent(), before);
      assert.deepEqual(await stats(), statsBefore);
    });

    test("the hook secret never appears in a log line, an answer, an event or the store", async () => {
      const canaries = [hook.secret, custom.secret];
      const events = await admin("GET", `/${tenant}/events?limit=1000`);
      assert.equal(events.status, 200);
      const haystacks = [
        ["server output", server.output()],
        ["answers after issuing", answers.filter((t) => !t.includes('"eventHook"')).join("\n")],
      ];
      const files = fs.readdirSync(server.dataDir, { recursive: true }).map((f) => path.join(server.dataDir, f));
      let bytes = 0;
      for (const f of files) {
        if (!fs.statSync(f).isFile()) continue;
        const content = fs.readFileSync(f);
        bytes += content.length;
        haystacks.push([f, content.toString("latin1")]);
      }
      assert.ok(bytes > 0, "the store was read");
      for (const canary of canaries) {
        const secretPart = canary.split(".")[3];
        for (const [where, text] of haystacks) {
          assert.ok(!text.includes(canary), `the hook secret is in ${where}`);
          assert.ok(!text.includes(secretPart), `the hook secret's random part is in ${where}`);
        }
      }
      // Its hash is what the store keeps.
      const hash = crypto.createHash("sha256").update(hook.secret).digest("hex");
      if (host === "wasi") assert.ok(fs.readFileSync(path.join(server.dataDir, "wasi/kv.log"), "utf8").includes(hash));
    });
  });
}
