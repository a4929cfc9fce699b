// What Entra ID really does at scale: many one-member PATCHes to the same group at
// the same time, from many connections. None may be lost, and a later `replace` of
// members with a partial list must leave exactly that list (RFC 7644 §3.5.2.3).
// Runs on both hosts; on Workers each tenant is one Durable Object, whose input
// gate and synchronous storage transaction serialize the read-modify-writes.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startServer } from "./server_harness.mjs";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const USERS = 120;
const CONCURRENCY = 40;

async function call(method, url, token, json) {
  const init = { method, headers: { authorization: `Bearer ${token}` } };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers["content-type"] = "application/scim+json";
  }
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, text };
}

// Runs fn over items with at most `limit` requests in flight.
async function inParallel(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

for (const host of ["workers", "wasi"]) {
  describe(`concurrent group membership on ${host}`, () => {
    let server, base, token, groupId, userIds;

    before(async () => {
      server = await startServer({ host });
      const admin = server.adminToken;
      const tenant = await call("POST", `${server.baseUrl}/admin/v1/tenants`, admin, { name: "Concurrency" });
      assert.equal(tenant.status, 201, tenant.text);
      const conn = await call("POST", `${server.baseUrl}/admin/v1/tenants/${tenant.body.id}/connections`, admin, {
        kind: "entra",
      });
      assert.equal(conn.status, 201, conn.text);
      base = conn.body.scimBaseUrl;
      token = conn.body.token;
      userIds = await inParallel([...Array(USERS).keys()], 8, async (i) => {
        const r = await call("POST", `${base}/Users`, token, { userName: `member${i}@example.com` });
        assert.equal(r.status, 201, r.text);
        return r.body.id;
      });
      const g = await call("POST", `${base}/Groups`, token, { displayName: "Everyone", members: [] });
      assert.equal(g.status, 201, g.text);
      groupId = g.body.id;
    });

    after(async () => server && (await server.stop()));

    test(`${USERS} one-member PATCHes, ${CONCURRENCY} at a time, lose no member`, async () => {
      const statuses = await inParallel(userIds, CONCURRENCY, async (uid) => {
        const r = await call("PATCH", `${base}/Groups/${groupId}`, token, {
          schemas: [PATCH_OP],
          Operations: [{ op: "Add", path: "members", value: [{ value: uid }] }],
        });
        return r.status;
      });
      assert.deepEqual(new Set(statuses), new Set([204]));
      const g = await call("GET", `${base}/Groups/${groupId}`, token);
      assert.equal(g.status, 200);
      assert.deepEqual(new Set(g.body.members.map((m) => m.value)), new Set(userIds));
      assert.equal(g.body.meta.version, `W/"${USERS + 1}"`, "one version per membership change");
    });

    test("concurrent removals and additions of different members all apply", async () => {
      const removed = userIds.slice(0, 30);
      const readded = userIds.slice(0, 10);
      await inParallel([...removed, ...readded.map((u) => `+${u}`)], CONCURRENCY, async (item) => {
        const add = item.startsWith("+");
        const uid = add ? item.slice(1) : item;
        const op = add
          ? { op: "add", path: "members", value: [{ value: uid }] }
          : { op: "remove", path: `members[value eq "${uid}"]` };
        return call("PATCH", `${base}/Groups/${groupId}`, token, { schemas: [PATCH_OP], Operations: [op] });
      });
      // Removals of 0..29 and re-adds of 0..9 race; only 10..29 are certainly gone.
      const g = await call("GET", `${base}/Groups/${groupId}`, token);
      const members = new Set(g.body.members.map((m) => m.value));
      for (const uid of userIds.slice(30)) assert.ok(members.has(uid), `member ${uid} was lost`);
      for (const uid of userIds.slice(10, 30)) assert.ok(!members.has(uid), `member ${uid} was not removed`);
    });

    test("replace of members with a partial list leaves exactly that list", async () => {
      const keep = userIds.slice(50, 55);
      const r = await call("PATCH", `${base}/Groups/${groupId}`, token, {
        schemas: [PATCH_OP],
        Operations: [{ op: "replace", path: "members", value: keep.map((value) => ({ value })) }],
      });
      assert.equal(r.status, 204, r.text);
      const g = await call("GET", `${base}/Groups/${groupId}`, token);
      assert.deepEqual(new Set(g.body.members.map((m) => m.value)), new Set(keep));
    });
  });
}
