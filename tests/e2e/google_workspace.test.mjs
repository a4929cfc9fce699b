// Google Workspace end to end, on both hosts (workerd and node:wasi), against the local
// stand-in for Google's token endpoint, Directory and Reports APIs and their push
// notifications (tests/google: it follows Google's documented shapes and checks the
// JWT bearer assertion's RS256 signature, claims and expiry).
//
//   setup: the key sealed, the settings stored, six channels opened, a first full sync
//   a user added, updated, made admin, suspended, deleted and undeleted: each applied
//   a group membership added and removed (Reports activities)
//   a channel renewed across its expiry (short channels here), with no notification lost
//   a forged, a misdirected and an unknown-channel notification refused
//   a notification dropped on purpose repaired by an on-demand reconcile
//   the token endpoint down for a while: the changes are applied afterwards
//   a scope group: only its members (direct or nested) active, on sync and on push
//   the private key and every access token appear in no output, answer or stored file

import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";
import { startGoogleStandin } from "../google/google_standin.mjs";
import { makeServiceAccount } from "../google/service_account.mjs";
import { adminApi, filesUnder, recordingCall, until } from "./e2e_support.mjs";
import { startServer } from "./server_harness.mjs";

const ADMIN_EMAIL = "admin@example.com";
const CHANNEL_TTL_SECONDS = 12; // renewed a quarter of its life before expiry: at ~9 s

for (const host of (process.env.HOSTS || "workers,wasi").split(",")) {
  describe(`Google Workspace on ${host}`, () => {
    let server;
    let google;
    let sa;
    const answers = [];
    const issuedTokens = []; // access tokens issued before revokeTokens() forgot them
    const tenant = "acme-google";
    let conn;
    let scimToken;

    const call = recordingCall(answers);
    const admin = adminApi(() => server, call);
    const scimUser = async (userName) => {
      const filter = encodeURIComponent(`userName eq "${userName}"`);
      const r = await call("GET", `${server.baseUrl}/t/${tenant}/scim/v2/Users?filter=${filter}`, {
        headers: { authorization: `Bearer ${scimToken}` },
      });
      assert.equal(r.status, 200, r.text);
      return r.json.Resources[0] ?? null;
    };
    const scimGroup = async (displayName) => {
      const filter = encodeURIComponent(`displayName eq "${displayName}"`);
      const r = await call("GET", `${server.baseUrl}/t/${tenant}/scim/v2/Groups?filter=${filter}`, {
        headers: { authorization: `Bearer ${scimToken}` },
      });
      assert.equal(r.status, 200, r.text);
      return r.json.Resources[0] ?? null;
    };
    const view = async () => (await admin("GET", `/${tenant}/connections/${conn}`)).json.google;
    const diagnose = async (e) => {
      const fx = await admin("GET", `/${tenant}/effects`);
      return new Error(`${e.message}\ngoogle ${JSON.stringify(await view())}\neffects ${fx.text.slice(0, 3000)}\n` +
        `notifications ${JSON.stringify(google.notifications().filter((n) => n.state !== "sync").slice(-8).map((n) => [n.address, n.state, n.body?.primaryEmail ?? n.body?.events?.[0]?.name, n.status, n.dropped, n.delivered]))}\n` +
        `requests ${JSON.stringify(google.requests().slice(-15).map((r) => [r.method, r.path, r.status]))}\n${server.output().slice(-3000)}`);
    };
    const waitFor = async (what, fn, ms = 30_000) => {
      try { return await until(what, fn, ms); } catch (e) { throw await diagnose(e); }
    };

    before(async () => {
      sa = makeServiceAccount({});
      google = await startGoogleStandin({ serviceAccounts: [sa], admins: [ADMIN_EMAIL], maxChannelTtlSeconds: CHANNEL_TTL_SECONDS });
      sa.keyJson.token_uri = google.tokenUrl;
      google.addUser({ primaryEmail: "ada@example.com", givenName: "Ada", familyName: "Lovelace" }, { silent: true });
      google.addUser({ primaryEmail: "alan@example.com", givenName: "Alan", familyName: "Turing" }, { silent: true });
      google.createGroup({ email: "eng@example.com", name: "Engineering" }, { silent: true });
      google.addMember("eng@example.com", "ada@example.com", { silent: true });
      server = await startServer({ host, env: { DIRBRIDGE_GOOGLE_API_BASE: google.base } });
    });
    after(async () => {
      if (server) await server.stop();
      if (google) await google.close();
    });

    test("setup: key sealed, six channels open, the first full sync creates users, groups and members", async () => {
      assert.equal((await admin("POST", "", { id: tenant })).status, 201);
      const reader = await admin("POST", `/${tenant}/connections`, { kind: "entra" });
      scimToken = reader.json.token;
      const c = await admin("POST", `/${tenant}/connections`, { kind: "google" });
      assert.equal(c.status, 201, c.text);
      conn = c.json.id;

      // Bad settings change nothing and say why.
      const bad = await admin("PUT", `/${tenant}/connections/${conn}/google`, { adminEmail: ADMIN_EMAIL, serviceAccountKey: { type: "user" } });
      assert.equal(bad.status, 400, bad.text);
      assert.match(bad.json.detail, /service_account/);
      const noKey = await admin("PUT", `/${tenant}/connections/${conn}/google`, { adminEmail: ADMIN_EMAIL });
      assert.equal(noKey.status, 400);
      assert.match(noKey.json.detail, /serviceAccountKey/);
      assert.equal((await view()).configured, false);

      const put = await admin("PUT", `/${tenant}/connections/${conn}/google`, { adminEmail: ADMIN_EMAIL, serviceAccountKey: sa.keyJson });
      assert.equal(put.status, 200, put.text);
      assert.equal(put.json.google.clientEmail, sa.keyJson.client_email);
      assert.equal(put.json.google.keyId, sa.keyJson.private_key_id);
      assert.ok(!put.text.includes("PRIVATE KEY"));

      const v = await waitFor("six active channels and a finished reconcile", async () => {
        const g = await view();
        const active = (g.channels || []).filter((ch) => ch.state === "active");
        return active.length === 6 && g.status?.lastReconcile?.result === "done" ? g : null;
      });
      assert.deepEqual(v.channels.map((ch) => ch.stream).sort(), ["activities", "add", "delete", "makeAdmin", "undelete", "update"]);
      assert.equal(v.status.lastReconcile.counts.users, 2);
      assert.equal(v.status.lastReconcile.counts.memberships, 1);
      const ada = await scimUser("ada@example.com");
      assert.ok(ada && ada.active === true, JSON.stringify(ada));
      assert.equal(ada.name.givenName, "Ada");
      const eng = await scimGroup("Engineering");
      assert.ok(eng, "the group was created");
      assert.deepEqual(eng.members.map((m) => m.value), [ada.id]);
      // The token request carried a JWT the stand-in verified (RS256, claims, expiry).
      assert.ok(google.tokens().length >= 1);
      assert.equal(google.tokens()[0].sub, ADMIN_EMAIL);
    });

    test("a user added, updated, made admin, suspended, deleted and undeleted", async () => {
      const grace = google.addUser({ primaryEmail: "grace@example.com", givenName: "Grace", familyName: "Hopper" });
      await waitFor("grace provisioned", async () => (await scimUser("grace@example.com"))?.active === true);

      google.updateUser("grace@example.com", { name: { givenName: "Grace", familyName: "Brewster Hopper" } });
      await waitFor("grace's family name", async () => (await scimUser("grace@example.com"))?.name?.familyName === "Brewster Hopper");

      const fetchesBefore = google.requests().filter((r) => r.path.includes(`/users/${grace.id}`)).length;
      google.makeAdmin("grace@example.com");
      await waitFor("the makeAdmin fetch", async () =>
        google.requests().filter((r) => r.path.includes(`/users/${grace.id}`)).length > fetchesBefore);
      assert.equal((await scimUser("grace@example.com")).active, true);

      google.suspendUser("grace@example.com");
      await waitFor("grace suspended", async () => (await scimUser("grace@example.com"))?.active === false);
      google.unsuspendUser("grace@example.com");
      await waitFor("grace active again", async () => (await scimUser("grace@example.com"))?.active === true);

      google.deleteUser("grace@example.com");
      await waitFor("grace suspended after her deletion", async () => (await scimUser("grace@example.com"))?.active === false);
      assert.ok(await scimUser("grace@example.com"), "a user deleted in Google is suspended here, not deleted");
      google.undeleteUser(grace.id);
      await waitFor("grace back after the undelete", async () => (await scimUser("grace@example.com"))?.active === true);

      const events = (await admin("GET", `/${tenant}/events?limit=1000`)).json.events;
      const graceId = (await scimUser("grace@example.com")).id;
      const hers = events.filter((e) => e.user === graceId || e.userId === graceId || e.data?.userName === "grace@example.com");
      assert.ok(hers.some((e) => e.type === "user.suspended" && e.source?.kind === "google" && e.source?.via === "push"),
        JSON.stringify(hers));
      assert.ok(hers.some((e) => e.type === "user.reactivated"), JSON.stringify(hers));
    });

    test("a group membership added and removed, a group renamed, through the Reports activities channel", async () => {
      google.addMember("eng@example.com", "alan@example.com");
      const alan = await scimUser("alan@example.com");
      await waitFor("alan in Engineering", async () =>
        (await scimGroup("Engineering"))?.members?.some((m) => m.value === alan.id));
      google.removeMember("eng@example.com", "alan@example.com");
      await waitFor("alan out of Engineering", async () =>
        !(await scimGroup("Engineering"))?.members?.some((m) => m.value === alan.id));
      const eng = await scimGroup("Engineering");
      google.renameGroup("eng@example.com", "Engineering Team");
      const renamed = await waitFor("the group renamed", async () => await scimGroup("Engineering Team"));
      assert.equal(renamed.id, eng.id, "the same group, renamed");
    });

    test("forged, misdirected and unknown-channel notifications are refused", async () => {
      const live = google.channels().find((ch) => ch.live && ch.api === "directory");
      const url = `${server.baseUrl}/t/${tenant}/google/push/${conn}`;
      const headers = (over) => ({
        "x-goog-channel-id": live.id, "x-goog-channel-token": live.token, "x-goog-resource-id": live.resourceId,
        "x-goog-resource-state": "add", "x-goog-message-number": "999999", "content-type": "application/json", ...over,
      });
      const body = JSON.stringify({ kind: "admin#directory#user", id: "1", primaryEmail: "mallory@example.com" });
      const forged = await call("POST", url, { headers: headers({ "x-goog-channel-token": "dbc1." + "x".repeat(40) }), body });
      assert.equal(forged.status, 401, forged.text);
      const missing = await call("POST", url, { headers: headers({ "x-goog-channel-token": "" }), body });
      assert.equal(missing.status, 401, missing.text);
      const unknown = await call("POST", url, { headers: headers({ "x-goog-channel-id": "dbc-unknown" }), body });
      assert.equal(unknown.status, 404, unknown.text);
      const wrongResource = await call("POST", url, { headers: headers({ "x-goog-resource-id": "not-it" }), body });
      assert.equal(wrongResource.status, 401, wrongResource.text);
      const otherTenant = await call("POST", `${server.baseUrl}/t/other/google/push/${conn}`, { headers: headers({}), body });
      assert.equal(otherTenant.status, 401, otherTenant.text);
      assert.equal(await scimUser("mallory@example.com"), null);
    });

    test("channels are renewed across their expiry and no notification is lost", async () => {
      const first = (await view()).channels.map((ch) => ch.id).sort();
      await waitFor("every channel replaced", async () => {
        const ids = (await view()).channels.filter((ch) => ch.state === "active").map((ch) => ch.id);
        return ids.length === 6 && ids.every((id) => !first.includes(id));
      }, CHANNEL_TTL_SECONDS * 1000 + 15_000);
      // The old ones were stopped with channels/stop (or expired); the new ones deliver.
      // The old ones are stopped once their successors are open (the last stop may still
      // be on its way when the successors are seen), or expire.
      await waitFor("every old channel stopped or expired", async () =>
        google.channels().filter((ch) => first.includes(ch.id)).every((ch) => !ch.live), CHANNEL_TTL_SECONDS * 1000);
      assert.ok(google.requests().some((r) => r.path === "/admin/directory_v1/channels/stop" && r.status === 204));
      google.addUser({ primaryEmail: "katherine@example.com", givenName: "Katherine", familyName: "Johnson" });
      await waitFor("katherine provisioned through a renewed channel", async () => (await scimUser("katherine@example.com"))?.active === true);
      await google.flush();
      const failed = google.notifications().filter((n) => !n.dropped && !(n.status >= 200 && n.status < 300));
      assert.deepEqual(failed.map((n) => [n.headers?.["X-Goog-Channel-ID"], n.status]), []);
    });

    test("a renewal Google refuses is in the status and retried", async () => {
      google.failNext({ method: "POST", pathPrefix: "/admin/directory/v1/users/watch", status: 403, count: 1 });
      const failed = await waitFor("a failed renewal in the status", async () => {
        const channels = (await view()).status?.channels || {};
        return Object.entries(channels).find(([, c]) => c.failures >= 1 && /answered 403/.test(c.lastError || ""));
      }, CHANNEL_TTL_SECONDS * 1000 + 15_000);
      assert.ok(failed[1].lastErrorAt);
      const pending = (await admin("GET", `/${tenant}/effects?phase=pending`)).json.effects;
      assert.ok(pending.some((e) => e.continuation === "google.channel.reopen"), JSON.stringify(pending));
    });

    test("a dropped notification is repaired by the reconcile", async () => {
      // Every notification of these two changes is dropped (users "add" and CREATE_USER,
      // users "update" and SUSPEND_USER, on each channel that is live: during a renewal's
      // overlap that is two per stream). A group pushed before is deleted unseen.
      google.createGroup({ email: "ops@example.com", name: "Operations" });
      await waitFor("the Operations group pushed", () => scimGroup("Operations"));
      google.dropNext(1000);
      google.addUser({ primaryEmail: "dorothy@example.com", givenName: "Dorothy", familyName: "Vaughan" });
      google.suspendUser("alan@example.com");
      google.deleteGroup("ops@example.com");
      await google.flush();
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(await scimUser("dorothy@example.com"), null, "the notification was dropped");
      assert.equal((await scimUser("alan@example.com")).active, true);
      google.stopDropping();
      assert.ok(google.notifications().filter((n) => n.dropped).length >= 4);
      const before = (await view()).status.lastReconcile.run;
      const r = await admin("POST", `/${tenant}/connections/${conn}/google/reconcile`);
      assert.equal(r.status, 202, r.text);
      const report = await waitFor("a new reconcile report", async () => {
        const last = (await view()).status?.lastReconcile;
        return last && last.run !== before && last.result === "done" ? last : null;
      });
      assert.ok(report.counts.repaired >= 2, JSON.stringify(report));
      assert.equal((await scimUser("dorothy@example.com")).active, true);
      assert.equal((await scimUser("alan@example.com")).active, false);
      assert.equal(report.counts.groupsGone, 1, JSON.stringify(report));
      assert.equal(await scimGroup("Operations"), null, "the group deleted in Google is deleted here");
      assert.ok(await scimGroup("Engineering Team"), "the groups Google still lists stay");
      const events = (await admin("GET", `/${tenant}/events?limit=1000`)).json.events;
      assert.ok(events.some((e) => e.source?.via === "reconcile" && e.type === "user.provisioned"));
      assert.ok(events.some((e) => e.source?.via === "reconcile" && e.type === "group.deleted"), "the deletion is an event");
    });

    test("the token endpoint down for a while: the changes are applied afterwards", async () => {
      google.setTokenEndpointDown(true);
      issuedTokens.push(...google.tokens().map((t) => t.token));
      google.revokeTokens();
      google.addUser({ primaryEmail: "mary@example.com", givenName: "Mary", familyName: "Jackson" });
      await waitFor("a refused token request", async () =>
        google.requests().filter((r) => r.path === "/token" && r.status === 503).length >= 2, 20_000);
      assert.equal(await scimUser("mary@example.com"), null);
      google.setTokenEndpointDown(false);
      await waitFor("mary provisioned once a token was issued", async () => (await scimUser("mary@example.com"))?.active === true, 45_000);
    });

    test("a scope group: only its members (direct or through a nested group) are active, on sync and on push", async () => {
      const scoped = "acme-scoped";
      google.createGroup({ email: "staff@example.com", name: "Staff" }, { silent: true });
      google.addUser({ primaryEmail: "sam@example.com", givenName: "Sam", familyName: "Direct" }, { silent: true });
      google.addMember("staff@example.com", "sam@example.com", { silent: true });
      google.addGroupMember("staff@example.com", "eng@example.com", { silent: true }); // ada, through eng
      assert.equal((await admin("POST", "", { id: scoped })).status, 201);
      const reader = (await admin("POST", `/${scoped}/connections`, { kind: "entra" })).json.token;
      const c = (await admin("POST", `/${scoped}/connections`, { kind: "google" })).json.id;
      const user = async (userName) => {
        const filter = encodeURIComponent(`userName eq "${userName}"`);
        const r = await call("GET", `${server.baseUrl}/t/${scoped}/scim/v2/Users?filter=${filter}`, {
          headers: { authorization: `Bearer ${reader}` },
        });
        assert.equal(r.status, 200, r.text);
        return r.json.Resources[0] ?? null;
      };
      const active = async (userName) => (await user(userName))?.active === true;
      const scopedView = async () => (await admin("GET", `/${scoped}/connections/${c}`)).json.google;

      for (const bad of ["a/b", 7, "x".repeat(257), "tab\there"]) {
        const r = await admin("PUT", `/${scoped}/connections/${c}/google`, { adminEmail: ADMIN_EMAIL, serviceAccountKey: sa.keyJson, scopeGroup: bad });
        assert.equal(r.status, 400, r.text);
        assert.match(r.json.detail, /'scopeGroup'/);
      }
      assert.equal((await scopedView()).configured, false, "a refused setting stored nothing");
      const put = await admin("PUT", `/${scoped}/connections/${c}/google`, { adminEmail: ADMIN_EMAIL, serviceAccountKey: sa.keyJson, scopeGroup: "staff@example.com" });
      assert.equal(put.status, 200, put.text);
      assert.equal(put.json.google.scopeGroup, "staff@example.com");

      const report = await waitFor("the scoped connection's first reconcile", async () => {
        const last = (await scopedView()).status?.lastReconcile;
        return last?.result === "done" ? last : null;
      });
      assert.equal(report.counts.inScopeGroup, 2, JSON.stringify(report)); // sam, and ada through eng
      assert.ok(await active("sam@example.com"), "a direct member is in scope");
      assert.ok(await active("ada@example.com"), "a nested group's member is in scope");
      for (const outside of ["grace@example.com", "dorothy@example.com", "mary@example.com"]) {
        assert.equal(await active(outside), false, `${outside} is outside the scope group`);
      }

      // Push: a user joins the scope group, then leaves it.
      const fetched = async () => (await scopedView()).status?.fetches?.done ?? 0;
      const fetchedBefore = await fetched();
      const olive = google.addUser({ primaryEmail: "olive@example.com", givenName: "Olive", familyName: "Scope" });
      await waitFor("olive checked against the scope group and fetched", async () =>
        google.requests().some((r) => r.path.endsWith(`/hasMember/${olive.id}`) && r.status === 200) &&
        (await fetched()) > fetchedBefore);
      assert.equal(await active("olive@example.com"), false, "not in the scope group: not active");
      google.addMember("staff@example.com", "olive@example.com");
      await waitFor("olive active once she joins the scope group", () => active("olive@example.com"));
      google.removeMember("staff@example.com", "olive@example.com");
      await waitFor("olive suspended once she leaves it", async () => (await user("olive@example.com"))?.active === false);

      // A nested group taken out of the scope group: its members leave the scope at the
      // next reconcile.
      google.removeGroupMember("staff@example.com", "eng@example.com");
      const before = report.run;
      assert.equal((await admin("POST", `/${scoped}/connections/${c}/google/reconcile`)).status, 202);
      const next = await waitFor("the next reconcile", async () => {
        const last = (await scopedView()).status?.lastReconcile;
        return last && last.run !== before && last.result === "done" ? last : null;
      });
      assert.equal(next.counts.inScopeGroup, 1, JSON.stringify(next));
      assert.equal(await active("ada@example.com"), false, "ada left the scope with eng");
      assert.ok(await active("sam@example.com"));

      // A scope group Google does not know ends the run failed and suspends nobody.
      const gone = await admin("PUT", `/${scoped}/connections/${c}/google`, { scopeGroup: "nobody-group@example.com" });
      assert.equal(gone.status, 200, gone.text);
      const failed = await waitFor("a failed reconcile", async () => {
        const last = (await scopedView()).status?.lastReconcile;
        return last && last.run !== next.run && last.result === "failed" ? last : null;
      });
      assert.match(failed.error, /scope page answered 404/);
      assert.ok(await active("sam@example.com"), "nobody was suspended for a missing scope group");
    });

    test("the private key and the access tokens are nowhere in clear", async () => {
      const key = sa.keyJson.private_key.split("\n")[1];
      const tokens = [...issuedTokens, ...google.tokens().map((t) => t.token)];
      assert.ok(tokens.length >= 2);
      const haystacks = [server.output(), ...answers];
      for (const file of filesUnder(server.dataDir)) haystacks.push(fs.readFileSync(file).toString("latin1"));
      for (const needle of [key, ...tokens]) {
        assert.ok(!haystacks.some((h) => h.includes(needle)), "a secret leaked");
      }
    });
  });
}
