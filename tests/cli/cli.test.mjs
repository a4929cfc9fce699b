// The admin CLI end to end: the built binary (build/native/cli/dirbridge) against the
// real local server (tests/e2e/server_harness.mjs; workerd unless HOSTS says
// otherwise). It drives tenant, connection, secret, events and effects commands in
// table and --json form, checks every exit code scripts rely on (2 usage, 3
// unreachable, 4 wrong admin token, 5 unknown, 6 refused), and that no secret is
// printed twice: the one-time secrets once, a value set from a file never, the admin
// token never.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { freePort, startServer } from "../e2e/server_harness.mjs";
import { until } from "../e2e/e2e_support.mjs";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = path.join(REPO_ROOT, "build/native/cli/dirbridge");

// Occurrences of `needle` in `text`.
const count = (text, needle) => text.split(needle).length - 1;

for (const host of (process.env.HOSTS || "workers").split(",")) {
  describe(`dirbridge CLI against the ${host} server`, () => {
    let server;
    let scratch;
    let tokenFile;
    const tenant = "acme-cli";
    const outputs = []; // every stdout and stderr, searched for the admin token

    // Runs the CLI with a clean environment: only what the test gives it.
    const cli = (args, { env = {}, token = "file" } = {}) => {
      const auth = token === "file" ? ["--admin-token-file", tokenFile] : [];
      const r = spawnSync(BIN, [...args, ...auth], {
        encoding: "utf8",
        env: { PATH: process.env.PATH, DIRBRIDGE_URL: server.baseUrl, DIRBRIDGE_TENANT: tenant, ...env },
        timeout: 60_000,
      });
      outputs.push(r.stdout, r.stderr);
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const ok = (args, opts) => {
      const r = cli(args, opts);
      assert.equal(r.code, 0, `dirbridge ${args.join(" ")}: exit ${r.code}\n${r.err}`);
      return r;
    };
    const jsonLines = (text) => text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
    // The value printed under a one-time secret's label.
    const secretAfter = (out, label) => {
      const m = new RegExp(`${label}[^\\n]*\\(shown only this once; store it now\\):\\n  (\\S+)`).exec(out);
      assert.ok(m, `no '${label}' in:\n${out}`);
      return m[1];
    };

    before(async () => {
      assert.ok(fs.existsSync(BIN), `${BIN} is not built (cmake --build --preset native)`);
      server = await startServer({ host, env: { DIRBRIDGE_TEST_EFFECTS: "1" } });
      scratch = fs.mkdtempSync(path.join(os.tmpdir(), "dirbridge-cli-"));
      tokenFile = path.join(scratch, "admin-token");
      fs.writeFileSync(tokenFile, server.adminToken + "\n", { mode: 0o600 });
    });

    after(async () => {
      if (server) await server.stop();
      if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    });

    test("tenant create and show, as a table and as JSON", () => {
      const created = ok(["tenant", "create", "--id", tenant, "--name", "Acme CLI"]);
      assert.match(created.out, /^id: +acme-cli$/m);
      assert.match(created.out, /^name: +Acme CLI$/m);
      assert.match(created.out, /export DIRBRIDGE_TENANT=acme-cli/);
      const shown = JSON.parse(ok(["tenant", "show", "--json"]).out);
      assert.equal(shown.id, tenant);
      assert.equal(shown.name, "Acme CLI");
      // The tenant from --tenant wins over DIRBRIDGE_TENANT.
      const other = cli(["tenant", "show", "--tenant", "nobody-here"]);
      assert.equal(other.code, 5, other.err);
    });

    test("connection create prints its token once, and the token works for SCIM", async () => {
      const r = ok(["connection", "create", "--kind", "okta"]);
      const id = /^id: +(\S+)$/m.exec(r.out)[1];
      assert.match(r.out, /^kind: +okta$/m);
      const token = secretAfter(r.out, "bearer token for the IdP's SCIM client");
      const hookSecret = secretAfter(r.out, "event hook secret");
      assert.equal(count(r.out, token), 1);
      assert.equal(count(r.out, hookSecret), 1);
      const scim = await fetch(`${server.baseUrl}/t/${tenant}/scim/v2/Users`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(scim.status, 200);
      // Shown once means once: not by show, in either form.
      for (const args of [["connection", "show", id], ["connection", "show", id, "--json"]]) {
        const shown = ok(args);
        assert.equal(count(shown.out, token), 0);
        assert.equal(count(shown.out, hookSecret), 0);
      }
      const shown = JSON.parse(ok(["connection", "show", id, "--json"]).out);
      assert.equal(shown.id, id);
      assert.equal(shown.kind, "okta");
    });

    test("--json prints the server's answer, one-time secrets included once", () => {
      const r = ok(["connection", "create", "--kind", "signed_webhook", "--json"]);
      const lines = jsonLines(r.out);
      assert.equal(lines.length, 1);
      const c = lines[0];
      assert.equal(c.kind, "signed_webhook");
      assert.match(c.webhookSecret, /^whsec_/);
      assert.equal(count(r.out, c.webhookSecret), 1);
      assert.equal(count(r.out, c.token), 1);
      const shown = ok(["connection", "show", c.id]);
      assert.match(shown.out, /webhook-signing/);
      assert.equal(count(shown.out, c.webhookSecret), 0);
    });

    test("secret set from a file, list, generate, delete; a value set is never printed", () => {
      const c = JSON.parse(ok(["connection", "create", "--kind", "custom", "--json"]).out).id;
      const canary = `canary-${Date.now()}-value`;
      const valueFile = path.join(scratch, "value");
      fs.writeFileSync(valueFile, canary + "\n", { mode: 0o600 });
      const set = ok(["secret", "set", c, "api-key", "--value-file", valueFile]);
      assert.match(set.out, /secret api-key set on connection/);
      assert.match(set.out, /^fingerprint: +fp1:[0-9a-f]{16}$/m);
      const listed = ok(["secret", "list", c]);
      assert.match(listed.out, /^NAME +FINGERPRINT +UPDATED$/m);
      assert.match(listed.out, /^api-key +fp1:[0-9a-f]{16} /m);
      const again = ok(["secret", "set", c, "api-key", "--value-file", valueFile]);
      assert.match(again.out, /secret api-key replaced/);

      const generated = ok(["secret", "set", c, "signing", "--generate"]);
      const value = secretAfter(generated.out, "generated secret signing");
      assert.match(value, /^whsec_/);
      assert.equal(count(generated.out, value), 1);
      const json = jsonLines(ok(["secret", "list", c, "--json"]).out);
      assert.deepEqual(json.map((s) => s.name).sort(), ["api-key", "signing"]);

      ok(["secret", "delete", c, "api-key"]);
      assert.doesNotMatch(ok(["secret", "list", c]).out, /api-key/);
      const gone = cli(["secret", "delete", c, "api-key"]);
      assert.equal(gone.code, 5);
      assert.match(gone.err, /not found: .*has no secret 'api-key' \(HTTP 404 notFound\)/);
      // Neither form of either command, nor the server's log, shows the value set.
      for (const text of outputs) assert.equal(count(text, canary), 0);
      assert.equal(count(server.output(), canary), 0);
      // The usage rules of secret set.
      assert.equal(cli(["secret", "set", c, "x"]).code, 2);
      assert.equal(cli(["secret", "set", c, "x", "--generate", "--value-file", valueFile]).code, 2);
      assert.equal(cli(["secret", "set", c, "x", "--value-file", path.join(scratch, "missing")]).code, 2);
    });

    test("events list: a table, JSON lines, --limit and --after", async () => {
      const issued = JSON.parse(ok(["connection", "create", "--kind", "entra", "--json"]).out);
      for (const name of ["ada", "grace", "alan"]) {
        const res = await fetch(`${issued.scimBaseUrl}/Users`, {
          method: "POST",
          headers: { authorization: `Bearer ${issued.token}`, "content-type": "application/scim+json" },
          body: JSON.stringify({
            schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
            userName: `${name}@example.com`,
            emails: [{ value: `${name}@example.com`, primary: true }],
          }),
        });
        assert.equal(res.status, 201, await res.text());
      }
      const table = ok(["events", "list"]);
      assert.match(table.out, /^SEQ +AT +TYPE +USER +GROUP +SOURCE$/m);
      assert.equal(count(table.out, "user.provisioned"), 3);
      assert.equal(table.err, ""); // no progress line: stderr is not a terminal

      const events = jsonLines(ok(["events", "list", "--json"]).out);
      assert.equal(events.filter((e) => e.type === "user.provisioned").length, 3);
      const seqs = events.map((e) => e.sequence);
      assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));

      const two = jsonLines(ok(["events", "list", "--json", "--limit", "2"]).out);
      assert.deepEqual(two.map((e) => e.sequence), seqs.slice(0, 2));
      const rest = jsonLines(ok(["events", "list", "--json", "--after", String(seqs[1])]).out);
      assert.deepEqual(rest.map((e) => e.sequence), seqs.slice(2));
      const all = jsonLines(ok(["events", "list", "--json", "--all"]).out);
      assert.deepEqual(all.map((e) => e.sequence), seqs);
      assert.equal(cli(["events", "list", "--limit", "0"]).code, 2);
      assert.equal(cli(["events", "list", "--limit", "1", "--all"]).code, 2);
    });

    test("effects list, retry and delete of a parked effect", async () => {
      const empty = ok(["effects", "list", "--parked"]);
      assert.match(empty.out, /no parked effects/);
      const port = await freePort(); // nothing listens there: the one attempt fails
      const staged = await fetch(`${server.baseUrl}/admin/v1/tenants/${tenant}/effects/test`, {
        method: "POST",
        headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
        body: JSON.stringify({ note: "cli", url: `http://127.0.0.1:${port}/x`, maxAttempts: 1 }),
      });
      assert.equal(staged.status, 202);
      const { id } = await staged.json();
      const parked = () => jsonLines(ok(["effects", "list", "--parked", "--json"]).out);
      await until("the effect parked", () => parked().some((e) => e.id === id));
      const table = ok(["effects", "list"]);
      assert.match(table.out, /^ID +MODULE +PHASE +ATTEMPTS +DUE +TARGET +LAST ERROR$/m);
      assert.ok(table.out.split("\n").some((l) => l.startsWith(id) && l.includes("parked") && l.includes(`:${port}/x`)));

      assert.match(ok(["effects", "retry", id]).out, new RegExp(`effect ${id} is pending again`));
      await until("the effect parked again", () => parked().some((e) => e.id === id));
      assert.match(ok(["effects", "delete", id]).out, new RegExp(`effect ${id} deleted`));
      assert.equal(parked().length, 0);
      assert.equal(cli(["effects", "delete", id]).code, 5);
      assert.equal(cli(["effects", "retry", "no-such-effect"]).code, 5);
    });

    test("exit codes: 4 wrong admin token, 3 unreachable, 5 unknown, 6 refused, 2 usage", async () => {
      const wrong = cli(["tenant", "show"], { token: "env", env: { DIRBRIDGE_ADMIN_TOKEN: "not-the-token" } });
      assert.equal(wrong.code, 4, wrong.err);
      assert.match(wrong.err, /authentication refused: .*\(HTTP 401/);
      assert.equal(wrong.out, "");

      const port = await freePort();
      const down = cli(["tenant", "show", "--server", `http://127.0.0.1:${port}`]);
      assert.equal(down.code, 3);
      assert.match(down.err, /cannot reach http:\/\/127\.0\.0\.1:\d+/);

      const unknown = cli(["connection", "show", "no-such-connection"]);
      assert.equal(unknown.code, 5);
      assert.match(unknown.err, /^dirbridge: not found: /);

      const taken = cli(["tenant", "create", "--id", tenant]);
      assert.equal(taken.code, 6);
      assert.match(taken.err, /refused: tenant 'acme-cli' already exists \(HTTP 409 conflict\)/);
      const badKind = cli(["connection", "create", "--kind", "bogus"]);
      assert.equal(badKind.code, 6);
      assert.match(badKind.err, /HTTP 400/);

      for (const args of [
        ["connection", "show"], // missing C
        ["connection", "show", "a", "b"],
        ["tenant", "show", "--frobnicate"],
        ["connection", "create"], // no --kind
        ["nonsense"],
        ["tenant", "show", "--admin-token", server.adminToken],
        ["tenant", "show", "--server", "http://example.com"], // the token in clear over a network
      ]) {
        const r = cli(args);
        assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
        assert.match(r.err, /^dirbridge: /);
      }
      const noTenant = cli(["tenant", "show"], { env: { DIRBRIDGE_TENANT: "" } });
      assert.equal(noTenant.code, 2);
      assert.match(noTenant.err, /needs a tenant/);
      const noToken = cli(["tenant", "show"], { token: "none" });
      assert.equal(noToken.code, 2);
      assert.match(noToken.err, /no admin token/);
      assert.equal(ok(["--help"], { token: "none" }).code, 0);
    });

    test("onboarding and offboarding a user: users list, user offboard by userName, audit, restore", async () => {
      const c = ok(["connection", "create", "--kind", "entra"]);
      const token = secretAfter(c.out, "bearer token for the IdP's SCIM client");
      const created = await fetch(`${server.baseUrl}/t/${tenant}/scim/v2/Users`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
        body: JSON.stringify({ userName: "margaret@example.com", emails: [{ value: "margaret@example.com", primary: true }] }),
      });
      assert.equal(created.status, 201);
      const id = (await created.json()).id;
      const listed = jsonLines(ok(["users", "list", "--json"]).out);
      assert.ok(listed.some((u) => u.id === id && u.active === true), JSON.stringify(listed));

      const off = ok(["user", "offboard", "margaret@example.com", "--by", "it-admin", "--reason", "left", "--json"]);
      const answer = JSON.parse(off.out);
      assert.equal(answer.user.id, id);
      assert.equal(answer.user.active, false);
      assert.equal(answer.offboarded.by, "it-admin");
      const shown = JSON.parse(ok(["user", "show", id, "--json"]).out);
      assert.equal(shown.offboarded.reason, "left");

      const audit = jsonLines(ok(["audit", "--actor", "it-admin", "--json"]).out);
      assert.deepEqual(audit.map((e) => [e.type, e.user]), [["user.offboarded", id]]);
      const table = ok(["audit", "--actor", "it-admin"]).out;
      assert.match(table, /it-admin +user\.offboarded/);
      assert.equal(cli(["user", "offboard", "nobody@example.com", "--by", "it-admin"]).code, 5, "unknown user");
      assert.equal(cli(["user", "restore", "margaret@example.com", "--by", "it-admin"]).code, 0);
      assert.equal(cli(["user", "restore", "margaret@example.com", "--by", "it-admin"]).code, 6, "not offboarded: 409");
      const exported = ok(["audit", "export"]).out;
      assert.ok(jsonLines(exported).some((e) => e.type === "user.reactivated" && e.data.restoredBy === "it-admin"));
    });

    test("the guardrail: set it, a mass suspension is held, pending list, approve and discard", async () => {
      assert.equal(cli(["guardrail", "set"]).code, 2, "nothing to set is a usage error");
      assert.equal(cli(["guardrail", "set", "--enabled", "maybe"]).code, 2);
      assert.equal(cli(["guardrail", "set", "--percent", "0"]).code, 6, "refused by the server: 400");
      const set = JSON.parse(ok(["guardrail", "set", "--users", "1", "--percent", "1", "--json"]).out);
      assert.equal(set.users, 1);
      assert.match(ok(["guardrail", "show"]).out, /^users: +1$/m);

      const c = ok(["connection", "create", "--kind", "entra"]);
      const token = secretAfter(c.out, "bearer token for the IdP's SCIM client");
      const scim = (method, p, body) => fetch(`${server.baseUrl}/t/${tenant}/scim/v2${p}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
        body: body && JSON.stringify(body),
      });
      const ids = {};
      for (const name of ["gr1@example.com", "gr2@example.com", "gr3@example.com"]) {
        const r = await scim("POST", "/Users", { userName: name });
        assert.equal(r.status, 201);
        ids[name] = (await r.json()).id;
      }
      const suspend = { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] };
      for (const name of Object.keys(ids)) assert.ok([200, 204].includes((await scim("PATCH", `/Users/${ids[name]}`, suspend)).status));

      const held = jsonLines(ok(["pending", "list", "--json"]).out);
      assert.deepEqual(held.map((p) => p.userName).sort(), ["gr2@example.com", "gr3@example.com"]);
      assert.match(ok(["pending", "list"]).out, /gr2@example\.com +suspend +entra/);
      assert.match(ok(["pending", "approve", "gr2@example.com", "--by", "it-admin"]).out, /approved the held suspend of gr2@example\.com/);
      assert.equal(ok(["pending", "discard", "gr3@example.com", "--by", "it-admin"]).code, 0);
      assert.equal(cli(["pending", "approve", "gr3@example.com"]).code, 5, "nothing held any more: 404");
      assert.deepEqual(jsonLines(ok(["pending", "list", "--json"]).out), []);
      const active = async (name) => (await (await scim("GET", `/Users/${ids[name]}`)).json()).active;
      assert.equal(await active("gr2@example.com"), false, "approved: suspended");
      assert.equal(await active("gr3@example.com"), true, "discarded: still active");
      ok(["guardrail", "set", "--enabled", "no"]);
    });

    test("connection policy: shown, set, bad values refused and nothing changed", () => {
      const id = JSON.parse(ok(["connection", "create", "--kind", "entra", "--json"]).out).id;
      assert.match(ok(["connection", "policy", id]).out, /^on delete: +suspend$/m, "the default");
      assert.equal(cli(["connection", "policy", id, "--on-delete", "erase"]).code, 2, "a usage error");
      assert.equal(cli(["connection", "policy", id, "--grace", "-5"]).code, 2);
      assert.equal(cli(["connection", "policy", id, "--grace", "99999999999"]).code, 6, "refused by the server: 400");
      assert.equal(cli(["connection", "policy", "no-such", "--on-delete", "delete"]).code, 5, "404");
      const set = JSON.parse(ok(["connection", "policy", id, "--on-delete", "delete", "--grace", "604800", "--json"]).out);
      assert.deepEqual(set.deprovisioning, { onDeactivate: "suspend", onDelete: "delete", graceSeconds: 604800 });
      const shown = ok(["connection", "policy", id]).out;
      assert.match(shown, /^on delete: +delete$/m);
      assert.match(shown, /^grace seconds: +604800$/m);
      assert.match(shown, /^on deactivate: +suspend$/m);
    });

    test("groups: list (by name too), show and members by id or name; unknown and ambiguous names refused", async () => {
      const c = ok(["connection", "create", "--kind", "entra"]);
      const token = secretAfter(c.out, "bearer token for the IdP's SCIM client");
      const scim = async (method, p, body) => {
        const r = await fetch(`${server.baseUrl}/t/${tenant}/scim/v2${p}`, {
          method, headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" }, body: JSON.stringify(body),
        });
        return { status: r.status, json: await r.json() };
      };
      const members = [];
      for (const name of ["gm1@example.com", "gm2@example.com"]) members.push((await scim("POST", "/Users", { userName: name })).json.id);
      const staff = await scim("POST", "/Groups", { displayName: "Staff Crew", externalId: "ext-staff", members: members.map((value) => ({ value })) });
      assert.equal(staff.status, 201);
      for (let i = 0; i < 2; i++) assert.equal((await scim("POST", "/Groups", { displayName: "Twins" })).status, 201);

      const listed = jsonLines(ok(["groups", "list", "--json"]).out);
      assert.ok(listed.some((g) => g.id === staff.json.id && g.externalId === "ext-staff"));
      assert.deepEqual(jsonLines(ok(["groups", "list", "--name", "staff crew", "--json"]).out).map((g) => g.id), [staff.json.id]);
      assert.match(ok(["groups", "list"]).out, /Staff Crew +ext-staff/);
      assert.match(ok(["group", "show", "staff crew"]).out, new RegExp(`^id: +${staff.json.id}$`, "m"));
      const shown = jsonLines(ok(["group", "members", "Staff Crew", "--json"]).out);
      assert.deepEqual(shown.map((m) => m.id).sort(), [...members].sort());
      assert.deepEqual(jsonLines(ok(["group", "members", staff.json.id, "--json"]).out).length, 2);
      assert.equal(cli(["group", "show", "Nobody"]).code, 5, "no such group");
      assert.equal(cli(["group", "show", "Twins"]).code, 2, "two groups share the name: give the id");
      assert.equal(cli(["group", "members", "00000000-0000-4000-8000-000000000000"]).code, 5, "unknown id: 404");
      const admin = (p) => fetch(`${server.baseUrl}/admin/v1/tenants/${tenant}${p}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
      assert.equal((await admin("/groups?limit=0")).status, 400);
      assert.equal((await admin(`/groups/${staff.json.id}/members?limit=1001`)).status, 400);
      const page = await (await admin(`/groups/${staff.json.id}/members?limit=1`)).json();
      assert.equal(page.members.length, 1);
      assert.ok(page.next, "a cursor to the second member");
    });

    test("precedence: set with repeated --rule, show, clear; bad ones refused", () => {
      assert.match(ok(["precedence", "show"]).out, /no precedence rules: the last writer wins/);
      assert.equal(cli(["precedence", "set"]).code, 2, "no --rule is a usage error");
      assert.equal(cli(["precedence", "set", "--rule", "title"]).code, 2);
      assert.equal(cli(["precedence", "set", "--rule", "title=entra,,okta"]).code, 2);
      assert.equal(cli(["precedence", "set", "--rule", "active=entra"]).code, 6, "refused by the server: 400");
      const set = JSON.parse(ok(["precedence", "set", "--rule", "title=entra,google", "--rule", "*=okta", "--by", "it-admin", "--json"]).out);
      assert.deepEqual(set.attributes, { title: ["entra", "google"], "*": ["okta"] });
      assert.match(ok(["precedence", "show"]).out, /^title +entra, google$/m);
      assert.equal(ok(["precedence", "clear", "--by", "it-admin"]).code, 0);
      assert.equal(cli(["precedence", "clear"]).code, 5, "none left: 404");
    });

    test("group automation rules: set with repeated --entitlement, list, show, delete; bad ones refused", () => {
      assert.equal(cli(["rules", "set", "Engineering"]).code, 2, "no --entitlement is a usage error");
      assert.equal(cli(["rules", "set", "Engineering", "--entitlement", "nocolon"]).code, 2);
      assert.equal(cli(["rules", "set", "Engineering", "--entitlement", "admin:x"]).code !== 0, true);
      const set = ok(["rules", "set", "Engineering", "--entitlement", "role:Developers", "--entitlement", "sharedFolder:Eng: Keys", "--by", "it-admin"]);
      assert.match(set.out, /rule for group Engineering set/);
      const shown = JSON.parse(ok(["rules", "show", "engineering", "--json"]).out);
      assert.deepEqual(shown.entitlements, [{ type: "role", name: "Developers" }, { type: "sharedFolder", name: "Eng: Keys" }]);
      const listed = jsonLines(ok(["rules", "list", "--json"]).out);
      assert.ok(listed.some((r) => r.entitlements?.length === 2), JSON.stringify(listed));
      assert.match(ok(["rules", "delete", "Engineering", "--by", "it-admin"]).out, /deleted/);
      assert.equal(cli(["rules", "show", "Engineering"]).code, 5, "gone: 404");
      const audit = jsonLines(ok(["audit", "--actor", "it-admin", "--json"]).out).map((e) => e.type);
      assert.ok(audit.includes("rule.set") && audit.includes("rule.deleted"), audit.join(","));
    });

    test("the admin token is never printed", () => {
      assert.ok(outputs.length > 20);
      for (const text of outputs) assert.equal(count(text, server.adminToken), 0);
    });
  });
}
