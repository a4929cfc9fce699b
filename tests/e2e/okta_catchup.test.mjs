// The Okta System Log catch-up, end to end on both hosts, against a local stand-in
// for Okta's System Log API on 127.0.0.1 that follows its documented shapes: GET
// /api/v1/logs?since&filter&limit&sortOrder=ASCENDING answering a JSON array of
// LogEvent objects, paged with `Link: <...>; rel="next"` (always present, as for a
// polling query), 401 without the right `Authorization: SSWS <token>`, and a 429
// with X-Rate-Limit-Reset (epoch seconds) on the first request.
//
//   an event never delivered by hook is applied by the catch-up
//   an event both hooked and polled is applied once (a duplicate by uuid)
//   the 429 is honoured (the retry waits for the reset) and the poll then succeeds
//   the API token canary appears in no server output, admin answer, event or file
//   of the data folder

import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { logEvent, userTarget } from "./okta_payloads.mjs";
import { startServer } from "./server_harness.mjs";
import { adminApi, filesUnder, recordingCall, until } from "./e2e_support.mjs";

const CANARY = "00CANARY-okta-api-token-b41d7e";
const T = (s) => new Date(Date.UTC(2026, 10, 26, 0, 0, s)).toISOString();

const oktaEvent = (eventType, second, targets) => logEvent(eventType, T(second), targets);

// The stand-in. Page size 2 (whatever `limit` says) so paging is exercised.
async function startOkta(events) {
  const requests = [];
  let limited = false;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    requests.push({ path: req.url, authorization: req.headers.authorization, at: Date.now() });
    if (url.pathname !== "/api/v1/logs" || req.method !== "GET") {
      res.writeHead(404, { "content-type": "application/json" });
      return res.end('{"errorCode":"E0000007"}');
    }
    if (req.headers.authorization !== `SSWS ${CANARY}`) {
      res.writeHead(401, { "content-type": "application/json" });
      return res.end('{"errorCode":"E0000011","errorSummary":"Invalid token provided"}');
    }
    const reset = Math.ceil(Date.now() / 1000) + 1;
    if (!limited) {
      limited = true;
      res.writeHead(429, { "content-type": "application/json", "x-rate-limit-limit": "60", "x-rate-limit-remaining": "0", "x-rate-limit-reset": String(reset) });
      return res.end('{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests."}');
    }
    assert.equal(url.searchParams.get("sortOrder"), "ASCENDING");
    assert.match(url.searchParams.get("filter"), /^eventType eq "[a-z._]+"( or eventType eq "[a-z._]+")*$/);
    const since = url.searchParams.get("since");
    const after = Number(url.searchParams.get("after") ?? 0);
    const matching = events.filter((e) => !since || e.published >= since);
    const page = matching.slice(after, after + 2);
    const next = new URL(url);
    next.searchParams.set("after", String(after + page.length));
    res.writeHead(200, {
      "content-type": "application/json",
      link: `<${okta.url}${req.url}>; rel="self", <${okta.url}${next.pathname}${next.search}>; rel="next"`,
      "x-rate-limit-reset": String(reset),
    });
    res.end(JSON.stringify(page));
  });
  const okta = { requests, server };
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  okta.url = `http://127.0.0.1:${server.address().port}`;
  okta.close = () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); });
  return okta;
}

for (const host of ["workers", "wasi"]) {
  describe(`Okta System Log catch-up on ${host}`, () => {
    let server;
    let okta;
    const answers = [];
    const tenant = "acme-catchup";

    const call = recordingCall(answers);
    const admin = adminApi(() => server, call);

    const ada = userTarget("00uada", "ada@example.com", "Ada Lovelace");
    const grace = userTarget("00ugrace", "grace@example.com", "Grace Hopper");
    const hooked = oktaEvent("user.lifecycle.create", 1, [ada]);
    const dropped = oktaEvent("user.lifecycle.create", 2, [grace]);
    const alsoDropped = oktaEvent("user.lifecycle.activate", 3, [grace]);

    before(async () => {
      okta = await startOkta([hooked, dropped, alsoDropped]);
      server = await startServer({ host, env: { DIRBRIDGE_OKTA_POLL_MS: "500" } });
    });
    after(async () => {
      if (server) await server.stop();
      if (okta) await okta.close();
    });

    test("a dropped event is caught up, a hooked one applied once, a 429 honoured, the token never shown", async () => {
      assert.equal((await admin("POST", "", { id: tenant })).status, 201);
      const o = await admin("POST", `/${tenant}/connections`, { kind: "okta" });
      assert.equal(o.status, 201, o.text);
      const conn = o.json.id;
      const hook = o.json.eventHook;
      const h = await call("POST", hook.url, {
        headers: { authorization: hook.secret, "content-type": "application/json" },
        body: JSON.stringify({ eventType: "com.okta.event_hook", data: { events: [hooked] } }),
      });
      assert.equal(h.status, 204, h.text);

      const secrets = `/${tenant}/connections/${conn}/secrets`;
      const u = await admin("PUT", `${secrets}/okta-org-url`, { value: okta.url });
      assert.equal(u.status, 201, u.text);
      const t = await admin("PUT", `${secrets}/okta-api-token`, { value: CANARY });
      assert.equal(t.status, 201, t.text);
      assert.equal(t.json.catchup, "armed");

      const stats = async () => (await admin("GET", `/${tenant}/connections/${conn}/hook`)).json;
      let s;
      try {
        s = await until("the dropped events applied", async () => {
          const v = await stats();
          return v?.outcomes?.applied >= 3 && v?.outcomes?.duplicate >= 1 ? v : null;
        });
      } catch (e) {
        const fx = await admin("GET", `/${tenant}/effects`);
        throw new Error(`${e.message}\nstats ${JSON.stringify(await stats())}\nrequests ${okta.requests.length}\neffects ${fx.text}\n${server.output().slice(-3000)}`);
      }
      assert.equal(s.outcomes.applied, 3); // ada by hook; grace created and activated by the catch-up
      assert.equal(s.lastPublished, T(3));

      // The 429 came first; the next request waited for its reset (a whole second).
      const polls = okta.requests.filter((r) => r.path.startsWith("/api/v1/logs"));
      assert.ok(polls.length >= 3, JSON.stringify(polls));
      assert.ok(polls[1].at - polls[0].at >= 900 - 50, `retried after ${polls[1].at - polls[0].at} ms`);
      assert.ok(polls.every((r) => r.authorization === `SSWS ${CANARY}`));
      assert.ok(polls.some((r) => r.path.includes("after=2")), "the Link rel=next page was followed");

      // Another interval: polled again from lastPublished, nothing applied twice.
      const before = okta.requests.length;
      await until("another poll", async () => okta.requests.length > before + 1);
      assert.equal((await stats()).outcomes.applied, 3);

      // The user the hook never delivered is in the directory.
      const events = await admin("GET", `/${tenant}/events?limit=1000`);
      assert.equal(events.status, 200);
      assert.ok(events.text.includes("grace@example.com") || events.text.includes("00ugrace"), events.text.slice(0, 500));

      // The canary: nowhere but at the stand-in.
      const listed = await admin("GET", `/${tenant}/effects`);
      assert.equal(listed.status, 200, listed.text);
      for (const text of answers) assert.ok(!text.includes(CANARY), "an answer shows the API token");
      assert.ok(!server.output().includes(CANARY), "the server output shows the API token");
      for (const f of filesUnder(server.dataDir)) {
        assert.ok(!fs.readFileSync(f).includes(CANARY), `${f} holds the API token in clear`);
      }
    });
  });
}
