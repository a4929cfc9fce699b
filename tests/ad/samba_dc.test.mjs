// The Samba DC fixture itself (tests/ad/samba_dc.mjs): a real AD domain controller on
// loopback, written to and read back over LDAPS with ldap-utils. Needs root and the
// samba packages (bash deploy/local/setup.sh). Ports 389/636 are fixed: run this file
// with no other DC test at the same time (--test-concurrency=1).

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import { escapeDnValue, objectGuidToString, parseLdif, startSambaDc } from "./samba_dc.mjs";

// Runs a command (no shell); resolves {code, stdout, stderr} whatever its exit status.
function runTool(cmd, args, env) {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

function connects(port, host) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

const UAC_ACCOUNTDISABLE = 2;

describe("Samba AD DC fixture", { timeout: 300_000 }, () => {
  let dc;
  let ou;
  let userDns;
  let groupDn;

  before(async () => {
    dc = await startSambaDc();
  });

  after(async () => {
    await dc?.stop();
  });

  it("starts on loopback with its own CA and a 0600 password file", async () => {
    assert.equal(dc.url, "ldaps://127.0.0.1:636");
    assert.equal(dc.baseDn, "DC=dirbridge,DC=test");
    assert.equal(dc.bindDn, "Administrator@dirbridge.test");
    assert.equal(await readFile(dc.passwordFile, "utf8"), dc.password);
    assert.equal(statSync(dc.passwordFile).mode & 0o777, 0o600);
    assert.ok(existsSync(dc.caFile) && existsSync(dc.otherCaFile));
    assert.notEqual(await readFile(dc.caFile, "utf8"), await readFile(dc.otherCaFile, "utf8"));
    const [root] = await dc.search("", "(objectClass=*)", ["defaultNamingContext"], { scope: "base" });
    assert.deepEqual(root.attrs.defaultNamingContext, [dc.baseDn]);
    assert.ok(await connects(636, "::1"), "LDAPS on ::1 too");
  });

  it("refuses a second DC while this one holds the ports", async () => {
    await assert.rejects(startSambaDc(), /already running/);
    // Another process: refused on the port check, before provisioning anything.
    const fixture = new URL("./samba_dc.mjs", import.meta.url).href;
    const other = await runTool(process.execPath, [
      "--input-type=module",
      "-e",
      `import(${JSON.stringify(fixture)}).then((m) => m.startSambaDc()).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(3); });`,
    ]);
    assert.equal(other.code, 3, other.stderr);
    assert.match(other.stderr, /127\.0\.0\.1:636 is already in use; only one Samba DC can run at a time/);
  });

  it("adds an OU, users (one disabled) and a group, and reads them back", async () => {
    ou = await dc.addOu("People");
    assert.equal(ou, "OU=People,DC=dirbridge,DC=test");
    userDns = await dc.addUsers(
      [
        { sam: "alice", givenName: "Alice", sn: "Liddell", mail: "alice@dirbridge.test", title: "Engineer", department: "R&D", employeeID: "1001" },
        { sam: "bob", givenName: "Bob", sn: "Builder", title: "Builder", employeeID: "1002" },
        { sam: "carol", givenName: "Carol", sn: "Çelik", disabled: true },
      ],
      ou,
    );
    assert.deepEqual(userDns, ["alice", "bob", "carol"].map((s) => `CN=${s},${ou}`));
    groupDn = await dc.addGroup("Engineers", ou, userDns.slice(0, 2));

    const users = await dc.search(ou, "(objectCategory=person)", [
      "sAMAccountName", "userPrincipalName", "givenName", "sn", "displayName", "mail", "title",
      "department", "employeeID", "userAccountControl", "objectGUID", "memberOf",
    ]);
    const bySam = Object.fromEntries(users.map((u) => [u.attrs.sAMAccountName[0], u]));
    assert.deepEqual(Object.keys(bySam).sort(), ["alice", "bob", "carol"]);
    const alice = bySam.alice.attrs;
    assert.deepEqual(alice.userPrincipalName, ["alice@dirbridge.test"]);
    assert.deepEqual(alice.displayName, ["Alice Liddell"]);
    assert.deepEqual(alice.department, ["R&D"]);
    assert.deepEqual(alice.employeeID, ["1001"]);
    assert.deepEqual(alice.memberOf, [groupDn]);
    assert.deepEqual(bySam.carol.attrs.sn, ["Çelik"]); // base64 in LDIF, decoded
    for (const u of users) {
      assert.equal(Buffer.from(u.attrs.objectGUID[0], "base64").length, 16);
      assert.match(objectGuidToString(u.attrs.objectGUID[0]), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      const uac = Number(u.attrs.userAccountControl[0]);
      assert.equal((uac & UAC_ACCOUNTDISABLE) !== 0, u.attrs.sAMAccountName[0] === "carol");
    }

    const [group] = await dc.search(groupDn, "(objectClass=group)", ["member", "groupType", "sAMAccountName", "objectGUID"], { scope: "base" });
    assert.deepEqual(group.attrs.member.sort(), userDns.slice(0, 2).sort());
    assert.deepEqual(group.attrs.groupType, ["-2147483646"]);
    assert.deepEqual(group.attrs.sAMAccountName, ["Engineers"]);
    assert.ok(group.attrs.objectGUID);
  });

  it("applies modify, modrdn and delete; the deleted user is found with Show Deleted", async () => {
    const [before] = await dc.search(userDns[2], "(objectClass=user)", ["objectGUID"], { scope: "base" });
    const carolGuid = before.attrs.objectGUID[0];
    await dc.ldif(
      [
        `dn: ${userDns[0]}`,
        "changetype: modify",
        "replace: title",
        "title: Principal Engineer",
        "-",
        "",
        `dn: ${userDns[1]}`,
        "changetype: modrdn",
        "newrdn: CN=robert",
        "deleteoldrdn: 1",
        "",
        `dn: ${userDns[2]}`,
        "changetype: delete",
        "",
      ].join("\n"),
    );

    const [alice] = await dc.search(dc.baseDn, "(sAMAccountName=alice)", ["title"]);
    assert.deepEqual(alice.attrs.title, ["Principal Engineer"]);

    const [bob] = await dc.search(dc.baseDn, "(sAMAccountName=bob)", ["cn"]);
    assert.equal(bob.dn, `CN=robert,${ou}`);
    const [group] = await dc.search(groupDn, "(objectClass=*)", ["member"], { scope: "base" });
    assert.ok(group.attrs.member.includes(`CN=robert,${ou}`), "AD follows the rename in member");

    assert.deepEqual(await dc.search(dc.baseDn, "(sAMAccountName=carol)", ["dn"]), []);
    const deleted = await dc.search(dc.baseDn, "(&(objectClass=user)(sAMAccountName=carol))", ["isDeleted", "objectGUID", "lastKnownParent"], {
      showDeleted: true,
    });
    assert.equal(deleted.length, 1);
    assert.deepEqual(deleted[0].attrs.isDeleted, ["TRUE"]);
    assert.equal(deleted[0].attrs.objectGUID[0], carolGuid);
    assert.deepEqual(deleted[0].attrs.lastKnownParent, [ou]);
    assert.match(deleted[0].dn, /^CN=carol\\0ADEL:[0-9a-f-]{36},CN=Deleted Objects,DC=dirbridge,DC=test$/);
  });

  it("throws with ldap-utils' message when an LDIF change fails", async () => {
    await assert.rejects(dc.ldif(`dn: CN=x,OU=Nowhere,${dc.baseDn}\nobjectClass: user\nsAMAccountName: x\n`), /No such object \(32\)/);
  });

  it("rejects a wrong password (49, data 52e) and a server checked against the other CA", async () => {
    const env = { ...dc.env, LDAPTLS_CACERT: dc.caFile };
    const wrong = await runTool("ldapwhoami", ["-H", dc.url, "-x", "-D", dc.bindDn, "-w", "Wrong-Passw0rd"], env);
    assert.equal(wrong.code, 49, wrong.stderr);
    assert.match(wrong.stderr, /Invalid credentials \(49\)[\s\S]*data 52e/);

    const otherCa = await runTool("ldapwhoami", ["-H", dc.url, "-x", "-D", dc.bindDn, "-y", dc.passwordFile], { ...env, LDAPTLS_CACERT: dc.otherCaFile });
    assert.notEqual(otherCa.code, 0);
    assert.match(otherCa.stderr, /Can't contact LDAP server/);

    // The right password and CA bind; (ldapwhoami itself then fails: Samba has no
    // "Who am I?" extended operation.)
    const right = await runTool("ldapwhoami", ["-H", dc.url, "-x", "-D", dc.bindDn, "-y", dc.passwordFile], env);
    assert.doesNotMatch(right.stderr, /Invalid credentials|Can't contact/);
    assert.equal((await dc.bind()).ok, true);
    assert.equal((await dc.bind({ password: "Wrong-Passw0rd" })).code, 49);
    assert.equal((await dc.bind({ caFile: dc.otherCaFile })).code, 255);
  });

  it("bulk-adds 500 users in one LDIF", async (t) => {
    const bulkOu = await dc.addOu("Bulk");
    const users = Array.from({ length: 500 }, (_, i) => ({
      sam: `bulk${String(i).padStart(4, "0")}`,
      givenName: "Bulk",
      sn: `User ${i}`,
      mail: `bulk${i}@dirbridge.test`,
      title: "Tester",
      department: "QA",
      employeeID: String(100000 + i),
      disabled: i % 10 === 0,
    }));
    const t0 = performance.now();
    const dns = await dc.addUsers(users, bulkOu);
    const ms = Math.round(performance.now() - t0);
    t.diagnostic(`addUsers(500): ${ms} ms; provision ${dc.timings.provisionMs} ms, start ${dc.timings.startMs} ms`);
    assert.equal(dns.length, 500);
    const found = await dc.search(bulkOu, "(objectClass=user)", ["sAMAccountName"], { scope: "one" });
    assert.equal(found.length, 500);
    const group = await dc.addGroup("Everyone Bulk", bulkOu, dns);
    const [g] = await dc.search(group, "(objectClass=group)", ["member"], { scope: "base" });
    assert.equal(g.attrs.member.length, 500);
  });

  it("stops: the process group is gone, the ports are free, the temp dir removed", async () => {
    const { pid, dir } = dc;
    await dc.stop();
    assert.throws(() => process.kill(-pid, 0), { code: "ESRCH" });
    assert.equal(await connects(636, "127.0.0.1"), false);
    assert.equal(await connects(389, "127.0.0.1"), false);
    assert.equal(existsSync(dir), false);
    await dc.stop(); // again: a no-op
  });
});

describe("LDIF helpers", () => {
  it("parses folded lines, base64 values, comments and binary attributes", () => {
    const text = [
      "# refldaps://dirbridge.test/CN=Configuration,DC=dirbridge,DC=test",
      "dn: CN=carol\\0ADEL:c83eb853-5df9-4b94-8903-4321d7561e79,CN=Deleted Objects,DC=",
      " dirbridge,DC=test",
      `sn:: ${Buffer.from("Çelik").toString("base64")}`,
      "objectGUID:: U7g+yPldlEuJA0Mh11YeeQ==",
      "member: a",
      "member: b",
      "",
      "# pagedresults: cookie=",
      "",
    ].join("\n");
    const [e, ...rest] = parseLdif(text);
    assert.equal(rest.length, 0);
    assert.equal(e.dn, "CN=carol\\0ADEL:c83eb853-5df9-4b94-8903-4321d7561e79,CN=Deleted Objects,DC=dirbridge,DC=test");
    assert.deepEqual(e.attrs, { sn: ["Çelik"], objectGUID: ["U7g+yPldlEuJA0Mh11YeeQ=="], member: ["a", "b"] });
    assert.equal(objectGuidToString("U7g+yPldlEuJA0Mh11YeeQ=="), "c83eb853-5df9-4b94-8903-4321d7561e79");
  });

  it("escapes DN values", () => {
    assert.equal(escapeDnValue("Smith, J"), "Smith\\, J");
    assert.equal(escapeDnValue("#a+b=c "), "\\#a\\+b\\=c\\ ");
  });
});
