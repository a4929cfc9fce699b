// The comparison peer for bench/http_replay_bench.mjs: a SCIM 2.0 service provider
// built the way SCIMMY (npm `scimmy`) and its Express routers (npm `scimmy-routers`)
// are meant to be used, with in-memory storage.
//
// Storage is what an in-memory SCIMMY service naturally holds: one array per resource
// type, scanned by SCIMMY's own Filter.match for every filtered GET, plus a Map by id
// so that GET/PATCH/PUT/DELETE of one resource is O(1) (we do not handicap the peer
// where a one-line index is obvious). A userName uniqueness check on create scans the
// array, as there is no index on userName. PATCH goes through SCIMMY's PatchOp: read
// the resource (egress), apply, write the whole resource back (ingress).
//
// Run as a child process (so its CPU is its own, like the workerd server's):
//   SCIMMY_TOKEN=secret node bench/scimmy_peer.mjs
// It listens on 127.0.0.1 (PORT, default: a free port) under /scim/v2 and prints
// "scimmy peer ready at http://127.0.0.1:<port>/scim/v2" once serving. SIGTERM stops it.

import crypto from "node:crypto";
import express from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";

const token = process.env.SCIMMY_TOKEN;
if (!token) {
  console.error("scimmy_peer: set SCIMMY_TOKEN");
  process.exit(2);
}

// Plain JSON copy of a SCIMMY schema instance (drops its class and getters).
const plain = (instance) => JSON.parse(JSON.stringify(instance));
const notFound = (id) => new SCIMMY.Types.Error(404, null, `Resource ${id} not found`);

function makeCollection(uniqueAttr) {
  const items = [];
  const byId = new Map();
  return {
    items,
    byId,
    egress(resource) {
      if (resource.id) {
        const found = byId.get(resource.id);
        if (!found) throw notFound(resource.id);
        return found;
      }
      // The filter is scanned over the whole collection: no index.
      return resource.filter ? resource.filter.match(items) : items;
    },
    ingress(resource, instance) {
      const data = plain(instance);
      const now = new Date().toISOString();
      const clash = (candidate, selfId) => {
        if (!uniqueAttr || candidate[uniqueAttr] === undefined) return false;
        const want = String(candidate[uniqueAttr]).toLowerCase();
        return items.some((x) => x.id !== selfId && String(x[uniqueAttr]).toLowerCase() === want);
      };
      if (resource.id) {
        const existing = byId.get(resource.id);
        if (!existing) throw notFound(resource.id);
        if (clash(data, existing.id)) throw new SCIMMY.Types.Error(409, "uniqueness", `${uniqueAttr} already in use`);
        // A write replaces the resource (PUT, and the write-back after a PATCH).
        for (const k of Object.keys(existing)) if (k !== "id" && k !== "meta") delete existing[k];
        Object.assign(existing, data, { id: existing.id, meta: { ...existing.meta, lastModified: now } });
        return existing;
      }
      if (clash(data)) throw new SCIMMY.Types.Error(409, "uniqueness", `${uniqueAttr} already in use`);
      const created = { ...data, id: crypto.randomUUID(), meta: { created: now, lastModified: now } };
      items.push(created);
      byId.set(created.id, created);
      return created;
    },
    degress(resource) {
      const existing = byId.get(resource.id);
      if (!existing) throw notFound(resource.id);
      byId.delete(resource.id);
      items.splice(items.indexOf(existing), 1);
    },
  };
}

const users = makeCollection("userName");
const groups = makeCollection(null);

SCIMMY.Resources.declare(SCIMMY.Resources.User)
  .ingress((resource, instance) => users.ingress(resource, instance))
  .egress((resource) => users.egress(resource))
  .degress((resource) => users.degress(resource));
SCIMMY.Resources.declare(SCIMMY.Resources.Group)
  .ingress((resource, instance) => groups.ingress(resource, instance))
  .egress((resource) => groups.egress(resource))
  .degress((resource) => groups.degress(resource));

const expected = `Bearer ${token}`;
const app = express();
app.disable("x-powered-by");
app.use(
  "/scim/v2",
  new SCIMMYRouters({
    type: "bearer",
    handler: (req) => {
      const got = Buffer.from(req.header("authorization") || "");
      const want = Buffer.from(expected);
      if (got.length !== want.length || !crypto.timingSafeEqual(got, want)) throw new Error("Unauthorized");
      return undefined;
    },
  }),
);

const server = app.listen(Number(process.env.PORT || 0), "127.0.0.1", () => {
  console.log(`scimmy peer ready at http://127.0.0.1:${server.address().port}/scim/v2`);
});
server.keepAliveTimeout = 60_000;
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
