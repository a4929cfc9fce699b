// The Active Directory connector end to end: the built binary
// (build/native/ad_connector/dirbridge-ad) reading a real Samba AD DC over LDAPS
// (tests/ad/samba_dc.mjs) and pushing into the real local workerd server through the
// SCIM endpoint of a connection of kind `ad`.
//
// After every run the test compares dirbridge with AD itself (read with ldapsearch, not
// through the connector): every account in scope is there, under its objectGUID as
// externalId, with AD's userName, title and enabled state; every account AD deleted,
// disabled or moved out of scope is inactive; groups hold their members, nested
// groups flattened.
//
// Scenarios: bad password, a certificate the CA does not sign, a dry run that changes
// nothing, the initial sync, a user added / renamed / moved out of scope / disabled /
// re-enabled / deleted, a nested group change, an edge that cannot be reached, a run
// that dies half way and is resumed, the mass-change guardrail, and 2,500 more users
// (past the 1,000-entry page) with a 3,000-member group (past the 1,500-value range).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { adminApi, recordingCall, until } from "../e2e/e2e_support.mjs";
import { freePort, startServer } from "../e2e/server_harness.mjs";
import { objectGuidToString, startSambaDc } from "./samba_dc.mjs";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// DIRBRIDGE_AD_BIN runs another build (build/native-sanitize/... under ASan and UBSan).
const BIN = process.env.DIRBRIDGE_AD_BIN || path.join(REPO_ROOT, "build/native/ad_connector/dirbridge-ad");
const USER_FILTER = "(&(objectCategory=person)(objectClass=user))";

describe("the AD connector: Samba AD DC -> dirbridge-ad -> workerd", () => {
  let dc;
  let server;
  let conn;
  let scratch;
  let staff, contractors, bulk, groupsOu;
  const tenant = "acme-ad";
  const call = recordingCall([]);
  const admin = adminApi(() => server, call);
  const scim = (method, p, json) =>
    call(method, `${conn.scimBaseUrl}${p}`, {
      headers: { authorization: `Bearer ${conn.token}`, "content-type": "application/scim+json" },
      body: json === undefined ? undefined : JSON.stringify(json),
    });

  // A configuration file; `change` edits the parsed default.
  const config = (change = () => {}) => {
    const c = {
      ldap: {
        url: dc.url,
        caFile: dc.caFile,
        bindDn: dc.bindDn,
        passwordFile: dc.passwordFile,
        baseDn: dc.baseDn,
        includeOus: [staff, bulk, groupsOu],
        excludeOus: [contractors],
      },
      target: { scimUrl: conn.scimBaseUrl, tokenFile: path.join(scratch, "scim-token") },
      sync: { stateFile: path.join(scratch, "state.json"), massChangeMaxShare: 0.1, massChangeMinCount: 5 },
    };
    change(c);
    const file = path.join(scratch, `config-${Math.random().toString(16).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify(c, null, 2));
    return file;
  };
  const outputs = []; // every stdout and stderr, searched for secrets at the end
  const connector = (args = ["--once"], { configFile = config(), env = {} } = {}) => {
    const r = spawnSync(BIN, ["--config", configFile, ...args], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, ...env },
      timeout: 600_000,
      maxBuffer: 64 << 20,
    });
    outputs.push(r.stdout, r.stderr);
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const ok = (args, opts) => {
    const r = connector(args, opts);
    assert.equal(r.code, 0, `dirbridge-ad ${args.join(" ")}: exit ${r.code}\n${r.err}\n${r.out}`);
    return r;
  };
  const state = () => JSON.parse(fs.readFileSync(path.join(scratch, "state.json"), "utf8"));

  // Every user dirbridge has, by externalId.
  const edgeUsers = async (scimOf = scim) => {
    const byGuid = new Map();
    for (let start = 1; ; start += 1000) {
      const r = await scimOf("GET", `/Users?startIndex=${start}&count=1000`);
      assert.equal(r.status, 200, r.text);
      for (const u of r.json.Resources) byGuid.set(u.externalId, u);
      if (start + r.json.itemsPerPage > r.json.totalResults || r.json.Resources.length === 0) break;
    }
    return byGuid;
  };
  // A group's members (user names), through the admin API.
  const edgeGroupMembers = async (name) => {
    const g = await admin("GET", `/${tenant}/groups?displayName=${encodeURIComponent(name)}`);
    assert.equal(g.status, 200, g.text);
    assert.equal(g.json.groups.length, 1, `one group named ${name}: ${g.text}`);
    const ids = [];
    let after = "";
    for (;;) {
      const r = await admin("GET", `/${tenant}/groups/${g.json.groups[0].id}/members?limit=1000${after}`);
      assert.equal(r.status, 200, r.text);
      ids.push(...r.json.members.map((m) => m.id));
      if (!r.json.next) break;
      after = `&after=${encodeURIComponent(r.json.next)}`;
    }
    return ids;
  };
  // AD's own view: users under the base DN, in scope or not.
  const adUsers = async () =>
    (await dc.search(dc.baseDn, USER_FILTER, ["objectGUID", "userPrincipalName", "userAccountControl", "title"])).map(
      (e) => ({
        dn: e.dn,
        guid: objectGuidToString(e.attrs.objectGUID[0]),
        userName: e.attrs.userPrincipalName?.[0],
        active: (Number(e.attrs.userAccountControl[0]) & 2) === 0,
        title: e.attrs.title?.[0],
      }),
    );
  const inScope = (dn, ous) =>
    ous.some((ou) => dn.toLowerCase().endsWith(ou.toLowerCase())) &&
    !dn.toLowerCase().endsWith(contractors.toLowerCase());

  // dirbridge holds what AD describes (users in `ous` but Contractors are in scope).
  const assertEdgeMatchesAd = async ({ scimOf = scim, ous = [staff, bulk] } = {}) => {
    const ad = await adUsers();
    const edge = await edgeUsers(scimOf);
    const adGuids = new Set(ad.map((u) => u.guid));
    for (const u of ad) {
      const e = edge.get(u.guid);
      if (!inScope(u.dn, ous)) {
        assert.ok(!e || e.active === false, `${u.userName} is out of scope but active in dirbridge`);
        continue;
      }
      assert.ok(e, `${u.userName} (${u.dn}) is not in dirbridge`);
      assert.equal(e.userName, u.userName);
      assert.equal(e.active, u.active, `${u.userName}: active`);
      assert.equal(e.title, u.title, `${u.userName}: title`);
    }
    for (const [guid, e] of edge) {
      if (!adGuids.has(guid)) assert.equal(e.active, false, `${e.userName} is gone from AD but active in dirbridge`);
    }
    return { ad, edge };
  };
  const dnOf = (sam, ou = staff) => `CN=${sam},${ou}`;

  before(async () => {
    assert.ok(fs.existsSync(BIN), `${BIN} is not built (cmake --build --preset native)`);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "dirbridge-ad-"));
    [dc, server] = await Promise.all([startSambaDc(), startServer({ host: "workers" })]);
    assert.equal((await admin("POST", "", { id: tenant })).status, 201);
    const c = await admin("POST", `/${tenant}/connections`, { kind: "ad" });
    assert.equal(c.status, 201, c.text);
    conn = c.json;
    fs.writeFileSync(path.join(scratch, "scim-token"), conn.token + "\n", { mode: 0o600 });

    staff = await dc.addOu("Staff");
    contractors = await dc.addOu("Contractors", staff);
    bulk = await dc.addOu("Bulk");
    groupsOu = await dc.addOu("Groups");
    await dc.addUsers(
      [
        { sam: "ada", givenName: "Ada", sn: "Lovelace", mail: "ada@dirbridge.test", title: "Analyst", department: "Engines", employeeID: "E1" },
        { sam: "bob", givenName: "Bob", sn: "Babbage", title: "Engineer", attributes: { manager: `CN=ada,${staff}` } },
        { sam: "cyd", givenName: "Cyd", sn: "Charisse", title: "Dancer" },
        { sam: "dee", givenName: "Dee", sn: "Dee", title: "Off", disabled: true },
        { sam: "eve", givenName: "Eve", sn: "Evans", title: "Auditor" },
        { sam: "fay", givenName: "Fay", sn: "Wray", title: "Actor" },
      ],
      staff,
    );
    await dc.addUsers([{ sam: "gus", givenName: "Gus", sn: "Out", title: "Contractor" }], contractors);
    const core = await dc.addGroup("Core", groupsOu, [dnOf("bob")]);
    await dc.addGroup("Engineering", groupsOu, [dnOf("ada"), core]);
    // A cycle: Core contains Engineering, which contains Core.
    await dc.ldif(`dn: ${core}\nchangetype: modify\nadd: member\nmember: CN=Engineering,${groupsOu}\n-\n`);
  });

  after(async () => {
    await Promise.allSettled([server?.stop(), dc?.stop()]);
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  test("a wrong password is refused with exit 4 and a clear message; nothing is written", async () => {
    const wrong = path.join(scratch, "wrong-password");
    fs.writeFileSync(wrong, "not-the-password", { mode: 0o600 });
    const r = connector(["--once"], { configFile: config((c) => (c.ldap.passwordFile = wrong)) });
    assert.equal(r.code, 4, r.err);
    assert.match(r.err, /bind to ldaps:\/\/127\.0\.0\.1.* as 'Administrator@dirbridge\.test' failed: Invalid credentials/);
    assert.match(r.err, /check ldap\.bindDn and the password/);
    assert.ok(!r.err.includes("not-the-password"), "the password is never logged");
    assert.ok(!fs.existsSync(path.join(scratch, "state.json")));
  });

  test("a certificate the configured CA does not sign is refused with exit 3", async () => {
    const r = connector(["--once"], { configFile: config((c) => (c.ldap.caFile = dc.otherCaFile)) });
    assert.equal(r.code, 3, r.err);
    assert.match(r.err, /Can't contact LDAP server/);
    assert.match(r.err, /ldap\.caFile is the CA that signed its certificate/);
    assert.ok(!fs.existsSync(path.join(scratch, "state.json")));
  });

  test("bad configuration: exit 2, the key named", async () => {
    const r = connector(["--once"], { configFile: config((c) => (c.sync.onDeleted = "erase")) });
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /'sync\.onDeleted' must be "disable" or "delete"/);
    const u = connector(["--twice"]);
    assert.equal(u.code, 2);
    assert.match(u.err, /unknown argument '--twice'/);
    const bare = spawnSync(BIN, ["--config"], { encoding: "utf8" });
    assert.equal(bare.status, 2);
    assert.match(bare.stderr, /--config needs a FILE/);
    const missing = spawnSync(BIN, ["--config", path.join(scratch, "no-such.json"), "--once"], { encoding: "utf8" });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /configuration: cannot read .*no-such\.json/);
  });

  test("a dry run prints the plan and changes nothing", async () => {
    const r = ok(["--dry-run"]);
    assert.match(r.out, /^create user 'ada@dirbridge\.test' \(.*title="Analyst"/m);
    assert.match(r.out, /^create group 'Engineering' with 2 members$/m);
    assert.match(r.out, /^create group 'Core' with 2 members$/m);
    assert.ok(!r.out.includes("gus@"), "an excluded OU is not planned");
    assert.match(r.out, /dry run: 8 changes .*nothing was sent/);
    assert.equal((await edgeUsers()).size, 0);
    assert.ok(!fs.existsSync(path.join(scratch, "state.json")));
  });

  test("the initial sync: users, attributes, managers, disabled accounts, nested groups", async () => {
    const r = ok(["--once"]);
    assert.match(r.err, /full read \(first run\)/);
    assert.match(r.err, /6 created/);
    const { edge, ad } = await assertEdgeMatchesAd();
    const byName = new Map([...edge.values()].map((u) => [u.userName, u]));
    const ada = byName.get("ada@dirbridge.test");
    assert.equal(ada.name.givenName, "Ada");
    assert.equal(ada.name.familyName, "Lovelace");
    assert.equal(ada.emails[0].value, "ada@dirbridge.test");
    const ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    assert.equal(ada[ent].department, "Engines");
    assert.equal(ada[ent].employeeNumber, "E1");
    assert.equal(byName.get("bob@dirbridge.test")[ent].manager.value, ada.id, "the manager is ada's dirbridge id");
    assert.equal(byName.get("dee@dirbridge.test").active, false);
    assert.ok(!byName.has("gus@dirbridge.test"));
    const ids = (names) => names.map((n) => byName.get(n).id).sort();
    assert.deepEqual((await edgeGroupMembers("Engineering")).sort(), ids(["ada@dirbridge.test", "bob@dirbridge.test"]));
    assert.deepEqual((await edgeGroupMembers("Core")).sort(), ids(["ada@dirbridge.test", "bob@dirbridge.test"]));
    // Ours (the rest, Administrator, Guest, krbtgt, ..., are under CN=Users: out of scope).
    assert.equal(ad.filter((u) => u.dn.toLowerCase().endsWith(staff.toLowerCase())).length, 7);
    assert.ok(ad.some((u) => /^CN=Administrator,CN=Users,/i.test(u.dn)) && !byName.has("Administrator@dirbridge.test"));
    const s = state();
    assert.ok(s.watermark.usn > 0);
    assert.match(s.watermark.invocationId, /^[0-9a-f-]{36}$/);

    // A second run finds nothing to do and reads only what changed.
    const again = ok(["--once"]);
    assert.match(again.err, /incremental read/);
    assert.match(again.err, /sent 0 changes/);
  });

  test("incremental: added, changed, renamed, moved out of scope, disabled, deleted, nested group change", async () => {
    await dc.addUsers([{ sam: "hal", givenName: "Hal", sn: "Nine", title: "Computer" }], staff);
    await dc.ldif(
      [
        `dn: ${dnOf("ada")}\nchangetype: modify\nreplace: title\ntitle: Countess\n-\n`,
        // a rename: new CN and a new userPrincipalName
        `dn: ${dnOf("cyd")}\nchangetype: modify\nreplace: userPrincipalName\nuserPrincipalName: cyd.charisse@dirbridge.test\n-\n`,
        `dn: ${dnOf("cyd")}\nchangetype: modrdn\nnewrdn: CN=cyd.charisse\ndeleteoldrdn: 1\n`,
        // moved to the excluded OU
        `dn: ${dnOf("fay")}\nchangetype: modrdn\nnewrdn: CN=fay\ndeleteoldrdn: 1\nnewsuperior: ${contractors}\n`,
        // disabled; dee re-enabled
        `dn: ${dnOf("eve")}\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: 514\n-\n`,
        `dn: ${dnOf("dee")}\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: 512\n-\n`,
        // hal joins Core: Engineering (nested) gets hal too
        `dn: CN=Core,${groupsOu}\nchangetype: modify\nadd: member\nmember: ${dnOf("hal")}\n-\n`,
      ].join("\n"),
    );
    const before = await edgeUsers();
    const r = ok(["--once", "--verbose"]);
    assert.match(r.err, /incremental read/);
    assert.match(r.err, /disable user 'eve@dirbridge\.test' \(disabled in AD\)/);
    assert.match(r.err, /disable user 'fay@dirbridge\.test' \(out of scope\)/);
    const { edge } = await assertEdgeMatchesAd();
    const byName = new Map([...edge.values()].map((u) => [u.userName, u]));
    const cyd = byName.get("cyd.charisse@dirbridge.test");
    assert.equal(cyd.id, [...before.values()].find((u) => u.userName === "cyd@dirbridge.test").id, "renamed, same id");
    assert.equal(byName.get("ada@dirbridge.test").title, "Countess");
    assert.equal(byName.get("dee@dirbridge.test").active, true);
    assert.equal(byName.get("eve@dirbridge.test").active, false);
    assert.equal(byName.get("fay@dirbridge.test").active, false);
    const hal = byName.get("hal@dirbridge.test").id;
    assert.ok((await edgeGroupMembers("Engineering")).includes(hal), "nested: hal is in Engineering through Core");
    assert.ok((await edgeGroupMembers("Core")).includes(hal));

    // Deleted in AD (a tombstone, found with the Show Deleted control): disabled.
    await dc.ldif(`dn: ${dnOf("hal")}\nchangetype: delete\n`);
    const deleted = ok(["--once"]);
    assert.match(deleted.err, /1 deleted/);
    await assertEdgeMatchesAd();
    assert.equal((await edgeUsers()).get(byName.get("hal@dirbridge.test").externalId).active, false);
    assert.ok(!(await edgeGroupMembers("Core")).includes(hal), "a deleted user leaves its groups");

    // Re-enabled: eve is active again.
    await dc.ldif(`dn: ${dnOf("eve")}\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: 512\n-\n`);
    ok(["--once"]);
    await assertEdgeMatchesAd();
  });

  test("DirSync: changes found by the DirSync control's cookie instead of uSNChanged", async () => {
    const dirsyncTenant = "acme-ad-dirsync";
    assert.equal((await admin("POST", "", { id: dirsyncTenant })).status, 201);
    const c = await admin("POST", `/${dirsyncTenant}/connections`, { kind: "ad" });
    assert.equal(c.status, 201, c.text);
    const tokenFile = path.join(scratch, "scim-token-dirsync");
    fs.writeFileSync(tokenFile, c.json.token, { mode: 0o600 });
    const scim2 = (method, p) =>
      call(method, `${c.json.scimBaseUrl}${p}`, { headers: { authorization: `Bearer ${c.json.token}` } });
    const stateFile = path.join(scratch, "state-dirsync.json");
    const configFile = config((cfg) => {
      cfg.ldap.changeTracking = "dirsync";
      cfg.ldap.includeOus = [staff, groupsOu];
      cfg.target = { scimUrl: c.json.scimBaseUrl, tokenFile };
      cfg.sync.stateFile = stateFile;
    });
    const first = ok(["--once"], { configFile });
    assert.match(first.err, /full read \(first run\)/);
    assert.ok(JSON.parse(fs.readFileSync(stateFile, "utf8")).watermark.dirsyncCookie, "the DirSync cookie is kept");
    await assertEdgeMatchesAd({ scimOf: scim2, ous: [staff] });

    await dc.addUsers([{ sam: "ivy", givenName: "Ivy", sn: "League", title: "New" }], staff);
    await dc.ldif(`dn: ${dnOf("eve")}\nchangetype: modify\nreplace: title\ntitle: Chief Auditor\n-\n`);
    const second = ok(["--once"], { configFile });
    assert.match(second.err, /incremental read \(DirSync\)/);
    assert.match(second.err, /1 created, 1 updated/);
    await assertEdgeMatchesAd({ scimOf: scim2, ous: [staff] });

    await dc.ldif(
      [
        `dn: ${dnOf("ivy")}\nchangetype: delete\n`,
        `dn: ${dnOf("dee")}\nchangetype: modrdn\nnewrdn: CN=dee\ndeleteoldrdn: 1\nnewsuperior: ${contractors}\n`,
      ].join("\n"),
    );
    const third = ok(["--once"], { configFile });
    assert.match(third.err, /incremental read \(DirSync\).* 1 deleted/);
    assert.match(third.err, /2 disabled/);
    await assertEdgeMatchesAd({ scimOf: scim2, ous: [staff] });
    const idle = ok(["--once"], { configFile });
    assert.match(idle.err, /sent 0 changes/);
    // dee goes back where she was, for the tests that follow.
    await dc.ldif(`dn: CN=dee,${contractors}\nchangetype: modrdn\nnewrdn: CN=dee\ndeleteoldrdn: 1\nnewsuperior: ${staff}\n`);
  });

  test("an edge that cannot be reached: exit 6, the watermark stays, the next run sends the change", async () => {
    const usn = state().watermark.usn;
    await dc.ldif(`dn: ${dnOf("bob")}\nchangetype: modify\nreplace: title\ntitle: Chief Engineer\n-\n`);
    const closed = `http://127.0.0.1:${await freePort()}/t/${tenant}/scim/v2`;
    const r = connector(["--once"], {
      configFile: config((c) => {
        c.target.scimUrl = closed;
        c.target.maxAttempts = 2;
      }),
    });
    assert.equal(r.code, 6, r.err);
    assert.match(r.err, /cannot reach the edge: .*Couldn't connect to server/);
    assert.match(r.err, /the watermark stays at USN/);
    assert.equal(state().watermark.usn, usn);
    ok(["--once"]);
    const { edge } = await assertEdgeMatchesAd();
    assert.equal([...edge.values()].find((u) => u.userName === "bob@dirbridge.test").title, "Chief Engineer");
  });

  test("a run that dies half way loses nothing: the next run finishes, nobody twice", async () => {
    const usn = state().watermark.usn;
    const users = Array.from({ length: 30 }, (_, i) => ({ sam: `crash${i}`, givenName: "C", sn: `${i}`, title: "T" }));
    await dc.addUsers(users, staff);
    const dead = connector(["--once"], { env: { DIRBRIDGE_AD_TEST_CRASH_AFTER: "10" } });
    assert.equal(dead.code, 70, dead.err);
    assert.equal(state().watermark.usn, usn, "the watermark did not move");
    const made = [...(await edgeUsers()).values()].filter((u) => u.userName.startsWith("crash"));
    assert.equal(made.length, 10);
    const r = ok(["--once"]);
    assert.match(r.err, /adopted user/, "what the dead run created but did not record is adopted, not duplicated");
    const { edge } = await assertEdgeMatchesAd();
    const crashed = [...edge.values()].filter((u) => u.userName.startsWith("crash"));
    assert.equal(crashed.length, 30);
    assert.ok(state().watermark.usn > usn);
  });

  test("the mass-change guardrail refuses a run that disables too many; --allow-mass-change lets it", async () => {
    // 12 of ~40 active users disabled: over max(5, 10%).
    const lines = Array.from(
      { length: 12 },
      (_, i) => `dn: ${dnOf(`crash${i}`)}\nchangetype: modify\nreplace: userAccountControl\nuserAccountControl: 514\n-\n`,
    );
    await dc.ldif(lines.join("\n"));
    const usn = state().watermark.usn;
    const r = connector(["--once"]);
    assert.equal(r.code, 5, r.err);
    assert.match(r.err, /refusing to disable or delete 12 of the \d+ active users/);
    assert.match(r.err, /Nothing was sent/);
    assert.equal(state().watermark.usn, usn);
    const active = [...(await edgeUsers()).values()].filter((u) => /^crash\d+@/.test(u.userName) && u.active);
    assert.equal(active.length, 30, "nobody was disabled");
    const dry = ok(["--dry-run"]);
    assert.match(dry.out, /a real run would refuse this without --allow-mass-change/);
    ok(["--once", "--allow-mass-change"]);
    await assertEdgeMatchesAd();
  });

  test("service mode: a run every interval until SIGTERM, which ends it cleanly", async () => {
    const child = spawn(BIN, ["--config", config((c) => (c.sync.intervalSeconds = 10))], {
      env: { PATH: process.env.PATH },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let log = "";
    child.stderr.on("data", (d) => (log += d));
    const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    try {
      const runs = () => (log.match(/ sent \d+ changes/g) || []).length;
      await until("the first run", () => runs() >= 1, 30_000);
      assert.match(log, /service mode: a run every 10 s/);
      await dc.ldif(`dn: ${dnOf("ada")}\nchangetype: modify\nreplace: title\ntitle: Service Mode\n-\n`);
      await until("the next run", () => runs() >= 2, 30_000);
      assert.match(log, /sent 1 changes: 0 created, 1 updated/);
      const { edge } = await assertEdgeMatchesAd();
      assert.equal([...edge.values()].find((u) => u.userName === "ada@dirbridge.test").title, "Service Mode");
    } finally {
      child.kill("SIGTERM");
    }
    assert.deepEqual(await exited, { code: 0, signal: null });
    assert.match(log, /info  stopped/);
  });

  test("2,500 more users (past the 1,000-entry page) and a 3,000-member group (past the 1,500-value range)", async () => {
    const users = Array.from({ length: 2500 }, (_, i) => ({ sam: `bulk${i}`, givenName: "B", sn: `${i}`, title: "Bulk" }));
    const dns = await dc.addUsers(users, bulk);
    const crashDns = Array.from({ length: 30 }, (_, i) => dnOf(`crash${i}`));
    const more = await dc.addUsers(
      Array.from({ length: 470 }, (_, i) => ({ sam: `more${i}`, givenName: "M", sn: `${i}`, title: "More" })),
      bulk,
    );
    // 3,000 members: the 2,500, the 30 crash users and 470 more.
    await dc.addGroup("Everyone", groupsOu, [...dns, ...crashDns, ...more]);
    const r = ok(["--once", "--full"]);
    const counts = /ldap: (\d+) searches, (\d+) pages, (\d+) range reads/.exec(r.err);
    assert.ok(counts, r.err);
    assert.ok(Number(counts[2]) >= 4, `users came in pages of at most 1,000: ${counts[0]}`);
    assert.ok(Number(counts[3]) >= 1, `the group's members came in ranges: ${counts[0]}`);
    const { edge } = await assertEdgeMatchesAd();
    assert.ok(edge.size >= 3000);
    const members = await edgeGroupMembers("Everyone");
    assert.equal(members.length, 3000);
  });

  test("one connector per state file: a second run while one holds the lock is refused", async () => {
    const lockFile = path.join(scratch, "state.json.lock");
    const holder = spawn("flock", ["--exclusive", lockFile, "sleep", "30"], { stdio: "ignore" });
    try {
      await until("the lock is held", () => spawnSync("flock", ["--nonblock", lockFile, "true"]).status !== 0, 10_000);
      const r = connector(["--once"]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, /another dirbridge-ad is running with the state file/);
    } finally {
      holder.kill("SIGKILL");
    }
  });

  test("no secret in any output or in the state file", async () => {
    const stateText = fs.readFileSync(path.join(scratch, "state.json"), "utf8");
    for (const secret of [conn.token, dc.password]) {
      assert.ok(outputs.length > 20);
      for (const text of outputs) assert.ok(!text.includes(secret), "a secret in the connector's output");
      assert.ok(!stateText.includes(secret), "a secret in the state file");
    }
  });
});
