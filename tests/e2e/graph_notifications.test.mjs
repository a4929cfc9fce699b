// Entra through Microsoft Graph end to end, on both hosts (workerd and node:wasi),
// against the local stand-in for Graph and the Microsoft identity platform's token
// endpoint (tests/graph: it follows Microsoft's documented shapes, runs the validation
// handshake before it creates a subscription, and sends change and lifecycle
// notifications).
//
//   setup: the client secret sealed, subscriptions on users and groups validated and
//   made, the first delta rounds (the full sync) create users, groups and members
//   a user updated in Entra and by SCIM: one user
//   a user disabled: suspended; a member removed from a group: gone from it
//   a forged notification (wrong clientState) refused, changing nothing
//   a notification lost, recovered by the delta catch-up a "missed" lifecycle event runs
//   subscriptions renewed before they lapse (short ones here), notifications still applied
//   the client secret and the access tokens appear in no output, answer or stored file

import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";
import { makeApp, startGraphStandin } from "../graph/graph_standin.mjs";
import { adminApi, filesUnder, recordingCall, until } from "./e2e_support.mjs";
import { startServer } from "./server_harness.mjs";

const SUBSCRIPTION_SECONDS = 8; // renewed a quarter of its life before it lapses: at ~6 s

for (const host of (process.env.HOSTS || "workers,wasi").split(",")) {
  describe(`Entra through Graph on ${host}`, () => {
    let server;
    let graph;
    let app;
    const answers = [];
    const tenant = "acme-graph";
    let conn;
    let scimToken;
    let scimBase;
    let sales;
    const ids = {};

    const call = recordingCall(answers);
    const admin = adminApi(() => server, call);
    const scim = (method, path, json) =>
      call(method, `${scimBase}${path}`, {
        headers: { authorization: `Bearer ${scimToken}`, "content-type": "application/scim+json" },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
    const scimUser = async (userName) => {
      const r = await scim("GET", `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
      assert.equal(r.status, 200, r.text);
      return r.json.Resources[0] ?? null;
    };
    const scimGroup = async (displayName) => {
      const r = await scim("GET", `/Groups?filter=${encodeURIComponent(`displayName eq "${displayName}"`)}`);
      assert.equal(r.status, 200, r.text);
      return r.json.Resources[0] ?? null;
    };
    const view = async () => (await admin("GET", `/${tenant}/connections/${conn}`)).json.graph;
    const diagnose = async (e) => {
      const fx = await admin("GET", `/${tenant}/effects`);
      return new Error(`${e.message}\ngraph ${JSON.stringify(await view())}\neffects ${fx.text.slice(0, 3000)}\n` +
        `notifications ${JSON.stringify(graph.notifications().slice(-5))}\n` +
        `requests ${JSON.stringify(graph.requests().slice(-10).map((r) => [r.method, r.path, r.status]))}\n${server.output().slice(-3000)}`);
    };
    const waitFor = async (what, fn, ms = 30_000) => {
      try { return await until(what, fn, ms); } catch (e) { throw await diagnose(e); }
    };
    const liveSubscription = (resource) =>
      graph.subscriptions().find((s) => s.live && s.resource.replace(/^\//, "") === resource && s.notificationUrl.includes(`/graph/notify/${conn}`));

    before(async () => {
      app = makeApp({ withCertificate: true });
      graph = await startGraphStandin({ apps: [app] });
      ids.adele = graph.addUser({ userPrincipalName: "AdeleV@contoso.com", mail: "AdeleV@contoso.com", displayName: "Adele Vance", givenName: "Adele", surname: "Vance" }, { silent: true }).id;
      ids.alex = graph.addUser({ userPrincipalName: "AlexW@contoso.com", mail: "AlexW@contoso.com", displayName: "Alex Wilber", givenName: "Alex", surname: "Wilber" }, { silent: true }).id;
      sales = graph.createGroup({ displayName: "Sales", mailNickname: "sales" }, { silent: true }).id;
      graph.addMember(sales, ids.adele, { silent: true });
      server = await startServer({
        host,
        env: { DIRBRIDGE_GRAPH_API_BASE: graph.base, DIRBRIDGE_GRAPH_SUBSCRIPTION_SECONDS: String(SUBSCRIPTION_SECONDS) },
      });
    });
    after(async () => {
      if (server) await server.stop();
      if (graph) await graph.close();
    });

    test("setup: secret sealed, subscriptions validated and made, the first delta rounds sync users, groups, members", async () => {
      assert.equal((await admin("POST", "", { id: tenant })).status, 201);
      const c = await admin("POST", `/${tenant}/connections`, { kind: "entra" });
      assert.equal(c.status, 201, c.text);
      conn = c.json.id;
      scimToken = c.json.token;
      scimBase = c.json.scimBaseUrl;
      const settings = { tenantId: graph.tenantId, clientId: app.clientId, clientSecret: app.clientSecret };

      for (const [bad, field] of [[{ ...settings, clientId: "not-a-guid" }, "clientId"], [{ ...settings, tenantId: "x" }, "tenantId"],
        [{ tenantId: graph.tenantId, clientId: app.clientId }, "clientSecret"], [{ ...settings, clientSecret: 7 }, "clientSecret"]]) {
        const r = await admin("PUT", `/${tenant}/connections/${conn}/graph`, bad);
        assert.equal(r.status, 400, r.text);
        assert.match(r.json.detail, new RegExp(`'${field}'`));
      }
      assert.equal(await view(), undefined, "refused settings stored nothing");
      const put = await admin("PUT", `/${tenant}/connections/${conn}/graph`, settings);
      assert.equal(put.status, 200, put.text);
      assert.ok(!put.text.includes(app.clientSecret));
      assert.match(put.json.graph.notificationUrl, new RegExp(`/t/${tenant}/graph/notify/${conn}$`));

      await waitFor("both subscriptions made and both delta rounds done", async () => {
        const g = await view();
        return g?.subscriptions?.users && g?.subscriptions?.groups && g.status?.delta?.users?.last && g.status?.delta?.groups?.last;
      });
      assert.ok(graph.validations().some((v) => v.ok), "Graph's validation handshake was answered");
      assert.ok(liveSubscription("users") && liveSubscription("groups"));
      const adele = await scimUser("AdeleV@contoso.com");
      assert.ok(adele && adele.active === true, JSON.stringify(adele));
      assert.equal(adele.name.familyName, "Vance");
      const group = await waitFor("Sales with Adele", async () => {
        const gr = await scimGroup("Sales");
        return gr?.members?.some((m) => m.value === adele.id) ? gr : null;
      });
      assert.equal(group.members.length, 1);
    });

    test("the same person through SCIM and Graph is one user; Graph's later change wins", async () => {
      // Entra's default SCIM mapping: userName = userPrincipalName, externalId = mailNickname.
      const created = await scim("POST", "/Users", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: "MeganB@contoso.com", externalId: "MeganB", active: true,
        name: { givenName: "Megan", familyName: "Bowen" }, emails: [{ value: "MeganB@contoso.com", type: "work", primary: true }],
      });
      assert.equal(created.status, 201, created.text);
      ids.megan = graph.addUser({ userPrincipalName: "MeganB@contoso.com", mail: "MeganB@contoso.com", displayName: "Megan Bowen", givenName: "Megan", surname: "Bowen" }, { silent: true }).id;
      graph.updateUser(ids.megan, { surname: "Bowen-Smith" });
      await waitFor("Graph's surname on the SCIM user", async () => (await scimUser("MeganB@contoso.com"))?.name?.familyName === "Bowen-Smith");
      const all = await scim("GET", `/Users?filter=${encodeURIComponent('userName eq "MeganB@contoso.com"')}`);
      assert.equal(all.json.totalResults, 1, "one user, not two");
      assert.equal(all.json.Resources[0].id, created.json.id);
      assert.equal(all.json.Resources[0].externalId, "MeganB", "SCIM's externalId is kept");
    });

    test("a user disabled in Entra is suspended; a member removed from a group leaves it", async () => {
      graph.disableUser(ids.adele);
      await waitFor("Adele suspended", async () => (await scimUser("AdeleV@contoso.com"))?.active === false);
      const events = (await admin("GET", `/${tenant}/events?limit=1000`)).json.events;
      assert.ok(events.some((e) => e.type === "user.suspended" && e.source?.kind === "entra" && e.source?.via === "push"),
        JSON.stringify(events.slice(-5)));
      graph.enableUser(ids.adele);
      await waitFor("Adele active again", async () => (await scimUser("AdeleV@contoso.com"))?.active === true);

      const adele = await scimUser("AdeleV@contoso.com");
      graph.removeMember(sales, ids.adele);
      await waitFor("Adele out of Sales", async () => !(await scimGroup("Sales"))?.members?.some((m) => m.value === adele.id));
      graph.addMember(sales, ids.alex);
      const alex = await scimUser("AlexW@contoso.com");
      await waitFor("Alex in Sales", async () => (await scimGroup("Sales"))?.members?.some((m) => m.value === alex.id));
    });

    test("a forged notification (wrong clientState) is refused and changes nothing", async () => {
      const url = `${server.baseUrl}/t/${tenant}/graph/notify/${conn}`;
      const sub = liveSubscription("users");
      const before = (await view()).status;
      const forged = await call("POST", url, {
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ value: [{ subscriptionId: sub.id, clientState: "not-the-state", changeType: "updated",
          resource: `Users/${ids.alex}`, resourceData: { id: ids.alex } }] }),
      });
      assert.equal(forged.status, 401, forged.text);
      const unknown = await call("POST", url, {
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ value: [{ subscriptionId: "00000000-0000-0000-0000-000000000000", clientState: "x",
          changeType: "updated", resource: `Users/${ids.alex}`, resourceData: { id: ids.alex } }] }),
      });
      assert.equal(unknown.status, 202, unknown.text);
      assert.equal(unknown.json.accepted, 0);
      assert.equal((await call("POST", url, { headers: { "content-type": "application/json" }, body: "{" })).status, 400);
      assert.equal((await call("GET", url)).status, 405);
      assert.equal((await call("POST", `${server.baseUrl}/t/${tenant}/graph/notify/ffffffffffffffff`, { body: "{}" })).status, 404);
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual((await view()).status.fetches, before.fetches, "no fetch was made");
      assert.equal((await scimUser("AlexW@contoso.com")).active, true);
    });

    test("a lost notification is recovered by the delta catch-up", async () => {
      graph.dropNext(1000);
      graph.disableUser(ids.alex);
      await graph.flush();
      await new Promise((r) => setTimeout(r, 500));
      assert.equal((await scimUser("AlexW@contoso.com")).active, true, "the notification was dropped");
      graph.stopDropping();
      graph.sendLifecycle(liveSubscription("users").id, "missed");
      await waitFor("Alex suspended by the catch-up", async () => (await scimUser("AlexW@contoso.com"))?.active === false);
      const events = (await admin("GET", `/${tenant}/events?limit=1000`)).json.events;
      assert.ok(events.some((e) => e.type === "user.suspended" && e.source?.via === "reconcile"), "the repair is a reconcile event");
    });

    test("subscriptions are renewed before they lapse, and notifications keep coming", async () => {
      const first = { ...liveSubscription("users") };
      await waitFor("the users subscription renewed", async () => {
        const now = liveSubscription("users");
        return now && now.expiresAt > first.expiresAt + 1000;
      }, SUBSCRIPTION_SECONDS * 3000);
      await new Promise((r) => setTimeout(r, Math.max(0, first.expiresAt - Date.now() + 500)));
      assert.ok(liveSubscription("users"), "still live past the first expiry");
      graph.updateUser(ids.alex, { surname: "Wilber-Renewed" });
      await waitFor("a change after the renewal applied", async () => (await scimUser("AlexW@contoso.com"))?.name?.familyName === "Wilber-Renewed");
    });

    test("a certificate credential: the host signs the client assertion, Microsoft's endpoint accepts it", async () => {
      const path = `/${tenant}/connections/${conn}/graph`;
      const cert = { privateKeyPem: app.certificate.privateKeyPem, thumbprint: app.certificate.thumbprint };
      for (const [bad, pattern] of [[{ certificate: { ...cert, privateKeyPem: "not a key" } }, /privateKeyPem/],
        [{ certificate: { ...cert, thumbprint: "xyz" } }, /thumbprint/], [{ certificate: cert, clientSecret: app.clientSecret }, /not both/]]) {
        const r = await admin("PUT", path, bad);
        assert.equal(r.status, 400, r.text);
        assert.match(r.json.detail, pattern);
      }
      assert.equal((await view()).credential, "secret", "refused settings changed nothing");
      const before = new Set(graph.tokens().map((t) => t.token));
      graph.revokeTokens();
      const put = await admin("PUT", path, { certificate: cert });
      assert.equal(put.status, 200, put.text);
      assert.equal(put.json.graph.credential, "certificate");
      assert.ok(!put.text.includes("PRIVATE KEY"));
      await waitFor("a token bought with the certificate", async () =>
        graph.tokens().some((t) => t.credential === "certificate" && !before.has(t.token)));
      graph.updateUser(ids.adele, { surname: "Vance-Certified" });
      await waitFor("a change applied with the certificate's token", async () =>
        (await scimUser("AdeleV@contoso.com"))?.name?.familyName === "Vance-Certified");
    });

    test("the client secret and the access tokens are nowhere in clear", async () => {
      const tokens = graph.tokens().map((t) => t.token).filter(Boolean);
      assert.ok(tokens.length >= 1);
      const keyLine = app.certificate.privateKeyPem.split("\n")[1];
      const canaries = [app.clientSecret, keyLine, ...tokens];
      const haystacks = [server.output(), ...answers, ...filesUnder(server.dataDir).map((f) => fs.readFileSync(f, "latin1"))];
      for (const canary of canaries) {
        for (const h of haystacks) assert.ok(!h.includes(canary), "a secret appears in clear");
      }
    });
  });
}
