// The hostile-cost rows of the Graph notification endpoint
// (/t/{tenant}/graph/notify/{c}): an entra connection with Graph settings set up in the
// bench's own modules against the local Graph stand-in (tests/graph). The stand-in's
// validation handshake reaches the modules through a small loopback server that hands
// each request to them as a host would; the outbox is drained as a host does until both
// subscriptions are made. Then notifications are crafted with the subscriptions' ids.
//
// graphNotifySetup() starts the stand-in (its base is the modules' DIRBRIDGE_GRAPH_API_BASE);
// graphNotifyRows() sets the connection up and returns rows for hostile_cost_bench.mjs:
// [defect, input, expected status, () => answer]; close() stops what it started.

import http from "node:http";
import { makeApp, startGraphStandin } from "../tests/graph/graph_standin.mjs";
import { ADMIN_TOKEN, drainUntil, expect } from "./wasi_tenant.mjs";

export async function graphNotifySetup() {
  const app = makeApp();
  const graph = await startGraphStandin({ apps: [app] });
  return { app, graph, config: { DIRBRIDGE_GRAPH_API_BASE: graph.base } };
}

// A loopback server handing each request to the modules (`request` of wasi_tenant.mjs).
async function forwardingServer(request) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const a = request(req.method, req.url, { text: Buffer.concat(chunks).toString("utf8"), headers: { "content-type": req.headers["content-type"] || "" } });
      res.writeHead(a.status, a.headers || {});
      res.end(a.body || "");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

export async function graphNotifyRows({ request, modules, setup }) {
  const { graph, app } = setup;
  const forwarder = await forwardingServer(request);
  setup.close = async () => {
    await new Promise((r) => forwarder.close(r));
    await graph.close();
  };
  const origin = `http://127.0.0.1:${forwarder.address().port}`;
  const tenant = expect("POST tenant", request("POST", "/admin/v1/tenants", { token: ADMIN_TOKEN, json: { id: "hostile-graph" } }), [201]).id;
  const conn = expect("POST entra connection",
    request("POST", `/admin/v1/tenants/${tenant}/connections`, { token: ADMIN_TOKEN, json: { kind: "entra" } }), [201]).id;
  expect("PUT graph settings", request("PUT", `/admin/v1/tenants/${tenant}/connections/${conn}/graph`, {
    token: ADMIN_TOKEN, origin, json: { tenantId: graph.tenantId, clientId: app.clientId, clientSecret: app.clientSecret },
  }), [200]);
  const path = `/t/${tenant}/graph/notify/${conn}`;
  const live = () => graph.subscriptions().filter((s) => s.live && s.notificationUrl.endsWith(path));
  await drainUntil(modules, tenant, "making the bench's two Graph subscriptions", () => live().length === 2);
  const users = live().find((s) => s.resource.replace(/^\//, "") === "users");
  const post = (items) => request("POST", path, { text: JSON.stringify({ value: items }), headers: { "content-type": "application/json" } });
  const item = (i, { subscriptionId = users.id, clientState = users.clientState } = {}) => ({
    subscriptionId, clientState, changeType: "updated", resource: `Users/u-${i}`,
    resourceData: { "@odata.type": "#Microsoft.Graph.User", "@odata.id": `Users/u-${i}`, id: `u-${i}` }, tenantId: graph.tenantId,
  });
  const many = (n, opts) => Array.from({ length: n }, (_, i) => item(i, opts));
  // As small as Graph's items get (no resourceData): 1,000 of them fit the body limit.
  const lean = (i, { subscriptionId = users.id, clientState = users.clientState } = {}) =>
    ({ subscriptionId, clientState, changeType: "updated", resource: `Users/u-${i}` });
  const leanMany = (n, opts) => Array.from({ length: n }, (_, i) => lean(i, opts));
  const unknown = { subscriptionId: "00000000-0000-0000-0000-000000000000", clientState: "x" };
  const validate = (n) => request("POST", `${path}?validationToken=${"v".repeat(n)}`);
  return [
    ["graph", "Graph notification with a forged clientState", 401, () => post([item(1, { clientState: "forged" })])],
    ["graph", "Graph notification of 1,000 items of unknown subscriptions (the cap)", 202, () => post(leanMany(1000, unknown))],
    ["graph", "Graph notification of 1,001 items", 400, () => post(leanMany(1001, unknown))],
    ["graph", "Graph notification naming 50 distinct users (the cap: 50 fetches)", 202, () => post(many(50))],
    ["graph", "Graph notification naming 51 distinct users (one users delta round instead)", 202, () => post(many(51))],
    ["graph", "Graph notification of 1,000 items about one user (one fetch)", 202, () => post(Array.from({ length: 1000 }, () => lean(7)))],
    ["graph", "Graph validation with a 4,096-byte token (the cap)", 200, () => validate(4096)],
    ["graph", "Graph validation with a 4,097-byte token", 400, () => validate(4097)],
  ];
}
