// Federated login's K2 service, end to end on both hosts (workerd and node:wasi)
// through the real local server, against a stand-in OpenID Connect provider
// (tests/support/oidc_provider.mjs: keys, JWKS, ID tokens):
//
//   the admin trusts the IdP of a connection; its JWKS is fetched as an effect
//   an active user's valid ID token (RS256, and ES256) gets K2 (enrolled at the first
//   login, the same K2 after), and the client derives the vault key from K1 and K2
//   with dist/client/vault_key.wasm exactly as node:crypto does
//   refused, each with its own error and changing nothing: expired, wrong audience,
//   wrong issuer, another tenant's IdP, bad signature, alg none, tampered payload,
//   a nonce that differs, a replayed jti, unknown, suspended and offboarded users,
//   a malformed body
//   a rotated IdP key: one 401 with Retry-After while the keys are fetched, then 200
//   the per-user rate limit (429 with Retry-After)
//   the admin sees enrollment (never K2), rotates and destroys a user's K2
//   a delete policy's purge destroys K2; offboarding ends federated access at once
//   zero knowledge: K2 and the canary secrets sent through SCIM, an Okta Event Hook
//   and the custom API are in no stored file, log line, event or other answer

import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";

import { loadVaultKey } from "../../wasm/client/vault_key.mjs";
import { startOidcProvider } from "../support/oidc_provider.mjs";
import { hookDelivery, logEvent, userTarget } from "./okta_payloads.mjs";
import { adminApi, filesUnder, recordingCall, until } from "./e2e_support.mjs";
import { startServer } from "./server_harness.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CLIENT_ID = "dirbridge-vault-extension";
const CANARY = `canary-${crypto.randomBytes(6).toString("hex")}`;

// The reference derivation (shared/federation/vault_key.h), in node:crypto.
function referenceVaultKey(k1, k2, userName) {
  const mixed = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) mixed[i] = k1[i] ^ k2[i];
  const password = crypto.createHash("sha256").update(mixed).digest("base64");
  const salt = userName.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return crypto.pbkdf2Sync(password, salt, 600000, 32, "sha256");
}

for (const host of (process.env.HOSTS || "workers,wasi").split(",")) {
  describe(`federated login (K2) on ${host}`, () => {
    let server;
    let idp;
    let otherIdp;
    const answers = []; // every answer but K2's own
    const k2Seen = new Set();
    const call = recordingCall(answers);
    const admin = adminApi(() => server, call);
    const tenant = "acme-fed";
    const otherTenant = "globex-fed";
    let conn;
    const users = {};
    const scim = (method, p, json, extraSchemas = []) =>
      call(method, `${conn.scimBaseUrl}${p}`, {
        headers: { authorization: `Bearer ${conn.token}`, "content-type": "application/scim+json" },
        body: json === undefined ? undefined : JSON.stringify(json.schemas ? { ...json, schemas: [...json.schemas, ...extraSchemas] } : json),
      });
    // K2 answers are kept out of `answers` (the sweep looks for K2 everywhere else).
    const askK2 = async (body, { t = tenant, headers = {} } = {}) => {
      const res = await fetch(`${server.baseUrl}/t/${t}/federation/k2`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let json = null;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON
      }
      if (res.status === 200 && json && json.k2) k2Seen.add(json.k2);
      else answers.push(text);
      return { status: res.status, headers: res.headers, json, text };
    };
    const tokenFor = (email, claims = {}, opts = {}) => idp.mintIdToken({ email, ...claims }, opts);
    const events = async (t = tenant) => (await admin("GET", `/${t}/events?limit=1000`)).json.events;
    // What a refusal must leave as it was: the event log, and each user's K2 status.
    const snapshot = async () => {
      const ev = await events();
      const status = {};
      for (const [name, u] of Object.entries(users)) {
        status[name] = (await admin("GET", `/${tenant}/federation/users/${u.id}`)).json;
      }
      return JSON.stringify({ events: ev.length, status });
    };
    const keysFetched = async (connection, t = tenant) => {
      const r = await admin("GET", `/${t}/federation/idps/${connection}`);
      return r.status === 200 && r.json.keys.fetchedAt >= r.json.keys.requestedAt && r.json.keys.fetchedAt > 0 && r.json;
    };

    before(async () => {
      idp = await startOidcProvider({ name: "acme", clientId: CLIENT_ID, algs: ["RS256", "ES256"] });
      otherIdp = await startOidcProvider({ name: "globex", clientId: CLIENT_ID });
      server = await startServer({ host, env: { DIRBRIDGE_TEST_EFFECTS: "1" } });
      for (const t of [tenant, otherTenant]) assert.equal((await admin("POST", "", { id: t })).status, 201);
      const c = await admin("POST", `/${tenant}/connections`, { kind: "okta" });
      assert.equal(c.status, 201, c.text);
      conn = c.json;
      for (const name of ["ada", "bob", "carol", "dave", "erin", "frank"]) {
        const r = await scim("POST", "/Users", {
          schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
          userName: `${name}@example.com`,
          externalId: `00u-${name}`,
          emails: [{ value: `${name}@example.com`, primary: true }],
          // An IdP may send a password, or a custom attribute named like a secret:
          // dirbridge must keep them nowhere.
          password: `${CANARY}-password-${name}`,
          "urn:example:params:scim:schemas:extension:secrets:2.0:User": { apiKey: `${CANARY}-apikey`, k1: `${CANARY}-k1` },
        }, ["urn:example:params:scim:schemas:extension:secrets:2.0:User"]);
        assert.equal(r.status, 201, r.text);
        users[name] = r.json;
      }
      // The Okta Event Hook path: a delivery whose target carries fields named like
      // secrets (Okta's detailEntry is free-form).
      const hook = conn.eventHook;
      const delivered = await call("POST", hook.url, {
        headers: { [hook.header]: hook.secret, "content-type": "application/json" },
        body: JSON.stringify(hookDelivery([logEvent("user.lifecycle.create", new Date().toISOString(), [
          { ...userTarget("00uhank", "hank@example.com", "Hank"), detailEntry: { password: `${CANARY}-hook`, apiToken: `${CANARY}-hook-token` } },
        ])])),
      });
      assert.equal(delivered.status, 204, delivered.text);
      const hank = await scim("GET", `/Users?filter=${encodeURIComponent('userName eq "hank@example.com"')}`);
      assert.equal(hank.json.totalResults, 1, "the hook's user was provisioned");
      // The custom API (LastPass-compatible) path, with a password canary too.
      const lp = await admin("POST", `/${tenant}/connections`, { kind: "custom" });
      assert.equal(lp.status, 201, lp.text);
      const { url, cid, provhash } = lp.json.customApi;
      const added = await call("POST", url, {
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ cid, provhash, cmd: "batchadd", data: [{ username: "gina@example.com", fullname: "Gina", password: `${CANARY}-lastpass` }] }),
      });
      assert.equal(added.status, 200, added.text);
      const o = await admin("POST", `/${otherTenant}/connections`, { kind: "entra" });
      assert.equal(o.status, 201, o.text);
      const trustOther = await admin("PUT", `/${otherTenant}/federation/idps/${o.json.id}`, {
        issuer: otherIdp.issuer, clientId: CLIENT_ID, jwksUri: otherIdp.jwksUri,
      });
      assert.equal(trustOther.status, 201, trustOther.text);
    });
    after(async () => {
      if (server) await server.stop();
      if (idp) await idp.close();
      if (otherIdp) await otherIdp.close();
    });

    test("the admin trusts the connection's IdP; its keys are fetched at once; bad settings change nothing", async () => {
      for (const [body, detail] of [
        [{ issuer: idp.issuer, clientId: CLIENT_ID }, /'jwksUri' is required/],
        [{ issuer: idp.issuer, clientId: CLIENT_ID, jwksUri: "ftp://x" }, /'jwksUri' must be an absolute https/],
        [{ issuer: idp.issuer, clientId: CLIENT_ID, jwksUri: idp.jwksUri, matchBy: "title" }, /'matchBy'/],
        [{ issuer: idp.issuer, clientId: CLIENT_ID, jwksUri: idp.jwksUri, k2: "x" }, /unknown key 'k2'/],
      ]) {
        const r = await admin("PUT", `/${tenant}/federation/idps/${conn.id}`, body);
        assert.equal(r.status, 400, r.text);
        assert.match(r.json.detail, detail);
      }
      assert.equal((await admin("PUT", `/${tenant}/federation/idps/no-such`, { issuer: idp.issuer, clientId: CLIENT_ID, jwksUri: idp.jwksUri })).status, 404);
      assert.equal((await admin("GET", `/${tenant}/federation/idps/${conn.id}`)).status, 404, "nothing was trusted");

      const put = await admin("PUT", `/${tenant}/federation/idps/${conn.id}`, {
        issuer: idp.issuer, clientId: CLIENT_ID, jwksUri: idp.jwksUri, by: "it-admin",
      });
      assert.equal(put.status, 201, put.text);
      assert.equal(put.json.userClaim, "email");
      assert.equal(put.json.matchBy, "userName");
      const fetched = await until("the IdP's keys", () => keysFetched(conn.id));
      assert.deepEqual(fetched.keys.keys.map((k) => k.kid).sort(), [idp.currentKid("RS256"), idp.currentKid("ES256")].sort());
      assert.equal(idp.jwksFetches, 1);
      const listed = await admin("GET", `/${tenant}/federation/idps`);
      assert.equal(listed.json.idps.length, 1);
    });

    test("an active user's valid ID token gets K2; the client derives the vault key as the reference does", async () => {
      const first = await askK2({ idToken: tokenFor("ada@example.com") });
      assert.equal(first.status, 200, first.text);
      assert.equal(first.headers.get("cache-control"), "no-store");
      assert.equal(first.json.enrolled, true);
      assert.equal(first.json.userId, users.ada.id);
      assert.equal(first.json.generation, 1);
      const k2 = Buffer.from(first.json.k2, "base64");
      assert.equal(k2.length, 32);
      const again = await askK2({ idToken: tokenFor("ada@example.com", { nonce: "n-42" }), nonce: "n-42" });
      assert.equal(again.status, 200, again.text);
      assert.equal(again.json.enrolled, false);
      assert.equal(again.json.k2, first.json.k2, "the same K2 at every login");
      const es = await askK2({ idToken: tokenFor("ada@example.com", {}, { alg: "ES256" }) });
      assert.equal(es.status, 200, es.text);
      assert.equal(es.json.k2, first.json.k2);

      const k1 = crypto.randomBytes(32); // the IdP's half: never sent to dirbridge
      const vk = await loadVaultKey(fs.readFileSync(path.join(repo, "dist/client/vault_key.wasm")));
      const derived = vk.deriveVaultKey(new Uint8Array(k1), new Uint8Array(k2), "Ada@Example.com");
      assert.deepEqual(Buffer.from(derived), referenceVaultKey(k1, k2, "Ada@Example.com"));

      const released = (await events()).filter((e) => e.type === "federation.k2_released");
      assert.equal(released.length, 3);
      assert.equal(released[0].user, users.ada.id);
      assert.equal(released[0].source.via, "federation");
      assert.equal(released[0].data.issuer, idp.issuer);
      assert.equal(typeof released[0].data.jti, "string");
      assert.equal((await events()).filter((e) => e.type === "federation.k2_enrolled").length, 1);
      const status = await admin("GET", `/${tenant}/federation/users/${users.ada.id}`);
      assert.deepEqual(Object.keys(status.json).sort(), ["created", "enrolled", "generation", "user"]);
    });

    test("every bad token or request is refused with its own error and changes nothing", async () => {
      const now = Math.floor(Date.now() / 1000);
      const stranger = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
      const replayed = tokenFor("ada@example.com");
      assert.equal((await askK2({ idToken: replayed })).status, 200);
      // Bob suspended, Carol offboarded.
      const suspend = await scim("PATCH", `/Users/${users.bob.id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", path: "active", value: false }],
      });
      assert.equal(suspend.status, 200, suspend.text);
      const off = await admin("POST", `/${tenant}/users/${users.carol.id}/offboard`, { by: "it-admin", reason: "left" });
      assert.equal(off.status, 200, off.text);

      const before = await snapshot();
      const cases = [
        ["expired", { idToken: tokenFor("ada@example.com", { iat: now - 7200, exp: now - 3600 }) }, 401, /expired/],
        ["wrong audience", { idToken: tokenFor("ada@example.com", { aud: "another-app" }) }, 401, /"aud" does not name/],
        ["wrong issuer", { idToken: tokenFor("ada@example.com", { iss: "https://evil.example/idp" }) }, 401, /not an identity provider this tenant trusts/],
        ["another tenant's IdP", { idToken: otherIdp.mintIdToken({ email: "ada@example.com" }) }, 401, /not an identity provider this tenant trusts/],
        ["bad signature", { idToken: tokenFor("ada@example.com", {}, { signWith: stranger }) }, 401, /signature does not verify/],
        ["tampered payload", { idToken: tokenFor("ada@example.com", {}, { tamperPayload: (c) => ({ ...c, email: "erin@example.com" }) }) }, 401, /signature does not verify/],
        ["alg none", { idToken: tokenFor("ada@example.com", {}, { alg: "none" }) }, 401, /"none"/],
        ["HS256", { idToken: tokenFor("ada@example.com", {}, { alg: "HS256", hmacKey: "k" }) }, 401, /shared-secret/],
        ["nonce differs", { idToken: tokenFor("ada@example.com", { nonce: "n-1" }), nonce: "n-2" }, 401, /"nonce"/],
        ["replayed jti", { idToken: replayed }, 401, /shown before/],
        ["unknown user", { idToken: tokenFor("mallory@example.com") }, 403, /no provisioned user/],
        ["suspended user", { idToken: tokenFor("bob@example.com") }, 403, /suspended/],
        ["offboarded user", { idToken: tokenFor("carol@example.com") }, 403, /offboarded/],
        ["no user claim", { idToken: idp.mintIdToken({}) }, 401, /no "email" claim/],
        ["not a JWS", { idToken: "not.a.jws.at-all" }, 401, /compact serialization/],
        ["no idToken", { nonce: "x" }, 400, /'idToken' is required/],
        ["unknown key", { idToken: "a", password: CANARY }, 400, /unknown key/],
        ["not JSON", "{idToken", 400, /./],
      ];
      for (const [name, body, status, detail] of cases) {
        const r = await askK2(body);
        assert.equal(r.status, status, `${name}: ${r.text}`);
        assert.match(r.json.detail, detail, name);
      }
      const wrongMethod = await call("GET", `${server.baseUrl}/t/${tenant}/federation/k2`);
      assert.equal(wrongMethod.status, 405);
      const unknownTenant = await askK2({ idToken: tokenFor("ada@example.com") }, { t: "no-such-tenant" });
      assert.equal(unknownTenant.status, 404, unknownTenant.text);
      assert.equal(await snapshot(), before, "no refusal changed anything");
    });

    test("a rotated IdP key: 401 with Retry-After while the keys are fetched, then the release", async () => {
      const fetchesBefore = idp.jwksFetches;
      idp.rotate("RS256");
      const first = await askK2({ idToken: tokenFor("dave@example.com") });
      assert.equal(first.status, 401, first.text);
      assert.ok(Number(first.headers.get("retry-after")) >= 1, "the client is told when to retry");
      assert.match(first.json.detail, /fetching the IdP's keys|keys are fetched again/);
      // The client retries as told; the key is fetched at most once per 10 s.
      let second;
      await until("the rotated key accepted", async () => {
        second = await askK2({ idToken: tokenFor("dave@example.com") });
        return second.status === 200 || second.status !== 401;
      }, 30_000, 1000);
      assert.equal(second.status, 200, second.text);
      assert.equal(idp.jwksFetches, fetchesBefore + 1, "one fetch for the rotation");
      // A made-up kid right after the fetch is refused without another fetch.
      const bogus = await askK2({ idToken: tokenFor("dave@example.com", {}, { header: { kid: "made-up-kid" } }) });
      assert.equal(bogus.status, 401);
      assert.match(bogus.json.detail, /none of the \d+ keys/);
      assert.equal(idp.jwksFetches, fetchesBefore + 1);
    });

    test("the per-user rate limit answers 429 with Retry-After", async () => {
      let last;
      for (let i = 0; i < 11; i++) last = await askK2({ idToken: tokenFor("erin@example.com") });
      assert.equal(last.status, 429, last.text);
      assert.ok(Number(last.headers.get("retry-after")) >= 1);
      assert.match(last.json.detail, /this user's K2 was released 10 times/);
    });

    test("the admin rotates and destroys a user's K2; never sees it", async () => {
      const before = await askK2({ idToken: tokenFor("frank@example.com") });
      assert.equal(before.status, 200);
      const rotated = await admin("POST", `/${tenant}/federation/users/${users.frank.id}/rotate`, { by: "it-admin" });
      assert.equal(rotated.status, 200, rotated.text);
      assert.equal(rotated.json.generation, 2);
      assert.equal(rotated.json.k2, undefined);
      const after1 = await askK2({ idToken: tokenFor("frank@example.com") });
      assert.equal(after1.json.generation, 2);
      assert.notEqual(after1.json.k2, before.json.k2);
      assert.equal((await admin("DELETE", `/${tenant}/federation/users/${users.frank.id}/k2`, { by: "it-admin" })).status, 204);
      assert.equal((await admin("DELETE", `/${tenant}/federation/users/${users.frank.id}/k2`)).status, 404);
      assert.equal((await admin("POST", `/${tenant}/federation/users/${users.frank.id}/rotate`)).status, 409);
      const fresh = await askK2({ idToken: tokenFor("frank@example.com") });
      assert.equal(fresh.json.enrolled, true);
      const types = (await events()).map((e) => e.type);
      assert.ok(types.includes("federation.k2_rotated") && types.includes("federation.k2_destroyed"));
    });

    test("a delete policy's purge destroys K2; offboarding ends federated access at once", async () => {
      assert.equal((await askK2({ idToken: tokenFor("dave@example.com") })).status, 200);
      const policy = await admin("PUT", `/${tenant}/connections/${conn.id}/deprovisioning`, { onDelete: "delete", graceSeconds: 1 });
      assert.equal(policy.status, 200, policy.text);
      assert.equal((await scim("DELETE", `/Users/${users.dave.id}`)).status, 204);
      const purged = await until("dave's purge", async () =>
        (await events()).find((e) => e.type === "user.deprovisioned" && e.user === users.dave.id));
      assert.equal(purged.data.keyFragmentDestroyed, true);
      assert.deepEqual((await admin("GET", `/${tenant}/federation/users/${users.dave.id}`)).json, { user: users.dave.id, enrolled: false });
      assert.equal((await askK2({ idToken: tokenFor("dave@example.com") })).status, 403);

      assert.equal((await askK2({ idToken: tokenFor("ada@example.com") })).status, 200);
      assert.equal((await admin("POST", `/${tenant}/users/${users.ada.id}/offboard`, { by: "it-admin", reason: "left" })).status, 200);
      const refused = await askK2({ idToken: tokenFor("ada@example.com") });
      assert.equal(refused.status, 403);
      assert.match(refused.json.detail, /offboarded/);
    });

    test("zero knowledge: K2 and the canaries are in no stored file, log line, event or other answer", async () => {
      assert.ok(k2Seen.size >= 3);
      const needles = [CANARY];
      for (const k2 of k2Seen) {
        const raw = Buffer.from(k2, "base64");
        needles.push(k2, raw.toString("hex"), raw.toString("base64url"));
      }
      const haystacks = [
        ["the log", server.output()],
        ["the events", JSON.stringify(await events())],
        ["the other answers", answers.join("\n")],
      ];
      for (const file of filesUnder(server.dataDir)) haystacks.push([file, fs.readFileSync(file).toString("latin1")]);
      for (const file of filesUnder(server.dataDir)) {
        // K2's raw bytes too, in any stored file.
        const bytes = fs.readFileSync(file);
        for (const k2 of k2Seen) assert.equal(bytes.indexOf(Buffer.from(k2, "base64")), -1, `K2's bytes in ${file}`);
      }
      for (const [where, text] of haystacks) {
        for (const needle of needles) assert.ok(!text.includes(needle), `${needle.slice(0, 12)}… found in ${where}`);
      }
    });
  });
}
