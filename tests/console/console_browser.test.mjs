// The admin console in a real browser: Debian's Chromium (/usr/bin/chromium) driven by
// playwright-core (which downloads nothing), against the local workerd server.
//
//   sign in with the keyboard; the session cookie is HttpOnly (the page cannot read it)
//   connect an Entra connection: the SCIM URL and the token are shown once, and gone
//   after leaving the page
//   users provisioned through SCIM with that token appear; search finds them
//   a user named <img src=x onerror=alert(1)> shows as that text (no element, no alert)
//   offboard one, with a confirmation that names them
//   approve a mass suspension the guardrail held
//   see a failed effect on the health page and retry it: it lands
//   discard a held change; rotate a connection's token (shown once), then revoke it
//   sign out: the cookie is gone and the admin API answers 401
//   every page: labelled controls, named buttons and links, text contrast of at least
//   4.5:1, the sections reachable by Tab and Enter with a visible focus ring
// No page may trip the Content-Security-Policy or raise a dialog of its own.
// CONSOLE_SCREENSHOT_DIR=docs/console saves the README's screenshots.

import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import { until } from "../e2e/e2e_support.mjs";
import { startServer } from "../e2e/server_harness.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const XSS_NAME = "<img src=x onerror=alert(1)>";

describe("the admin console in Chromium on workerd", () => {
  let server, browser, context, page, target;
  const tenant = "console-browser";
  const problems = []; // CSP violations, page errors, dialogs
  let targetStatus = 500;
  let scim = null; // {scimBaseUrl, token} of the connection made in the console

  const admin = async (method, p, body) => {
    const res = await fetch(`${server.baseUrl}/admin/v1/tenants/${tenant}${p}`, {
      method,
      headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null, text };
  };
  const scimCall = async (method, p, body) => {
    const res = await fetch(`${scim.scimBaseUrl}${p}`, {
      method,
      headers: { authorization: `Bearer ${scim.token}`, "content-type": "application/scim+json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null, text };
  };
  const shot = async (name) => {
    const dir = process.env.CONSOLE_SCREENSHOT_DIR;
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  };
  const section = async (name, heading) => {
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name, exact: true }).click();
    await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
  };

  before(async () => {
    target = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(targetStatus).end(targetStatus === 200 ? "ok" : "down"));
    });
    await new Promise((r) => target.listen(0, "127.0.0.1", r));
    server = await startServer({ host: "workers", env: { DIRBRIDGE_TEST_EFFECTS: "1" } });
    const t = await fetch(`${server.baseUrl}/admin/v1/tenants`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ id: tenant }),
    });
    assert.equal(t.status, 201, await t.text());
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // Chromium's sandbox refuses to run as root (CI runs as root).
      args: process.getuid && process.getuid() === 0 ? ["--no-sandbox"] : [],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on("console", (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("dialog", async (d) => {
      problems.push(`dialog: ${d.message()}`);
      await d.dismiss();
    });
  });
  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
    if (target) await new Promise((r) => target.close(r));
    assert.deepEqual(problems, [], "no CSP violation, page error or dialog");
  });

  test("sign in with the keyboard; the session cookie is HttpOnly", async () => {
    await page.goto(`${server.baseUrl}/console/`);
    await page.getByRole("heading", { name: "Sign in to dirbridge" }).waitFor();
    await shot("signin");
    // A wrong token: a precise message, and still signed out.
    await page.getByLabel("Tenant").fill(tenant);
    await page.getByLabel("Admin token").fill("not-the-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await assert.doesNotReject(page.getByRole("alert").filter({ hasText: /admin token is not valid/ }).waitFor());
    // The keyboard alone: focus the first field, type, Tab, type, Enter.
    await page.getByLabel("Tenant").fill("");
    await page.getByLabel("Tenant").focus();
    await page.keyboard.type(tenant);
    await page.keyboard.press("Tab");
    await page.keyboard.type(server.adminToken);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Connections", level: 1 }).waitFor();
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "dbcs");
    assert.ok(session, "the session cookie is set");
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, "Strict");
    assert.equal(await page.evaluate(() => document.cookie.includes("dbcs")), false, "the page cannot read it");
    assert.equal(await page.evaluate(() => JSON.stringify({ ...sessionStorage, ...localStorage }).includes("dbt1")), false);
    assert.ok(!(await page.content()).includes(server.adminToken), "the admin token is not left in the page");
  });

  test("connect an Entra connection: the SCIM URL and token are shown once", async () => {
    await page.getByRole("link", { name: "Connect an IdP" }).click();
    await page.getByRole("heading", { name: "Connect an IdP", level: 1 }).waitFor();
    await page.getByLabel("Identity provider").selectOption({ label: "Microsoft Entra ID" });
    await page.getByRole("button", { name: "Create connection" }).click();
    const panel = page.getByRole("region", { name: "New connection" });
    await panel.waitFor();
    await assert.doesNotReject(panel.getByText(/shown only once/).first().waitFor());
    scim = {
      scimBaseUrl: await panel.getByLabel("SCIM base URL").inputValue(),
      token: await panel.getByLabel("Bearer token").inputValue(),
    };
    assert.equal(scim.scimBaseUrl, `${server.baseUrl}/t/${tenant}/scim/v2`);
    assert.ok(scim.token.length > 40, scim.token);
    await panel.getByRole("button", { name: "Copy Bearer token" }).waitFor();
    await shot("connect-entra");
    // Listed, and the token is nowhere once the page is left.
    await section("Connections", "Connections");
    await assert.doesNotReject(page.getByRole("cell", { name: "entra" }).first().waitFor());
    assert.ok(!(await page.content()).includes(scim.token), "the token is not shown again");
    const listed = await admin("GET", "/connections");
    assert.equal(listed.json.connections.length, 1);
    assert.equal(listed.json.connections[0].kind, "entra");
  });

  test("users provisioned through SCIM appear; a hostile name is only text", async () => {
    const names = ["alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com", "erin@example.com"];
    for (const userName of names) {
      const r = await scimCall("POST", "/Users", { userName, displayName: userName.split("@")[0] });
      assert.equal(r.status, 201, r.text);
    }
    const xss = await scimCall("POST", "/Users", { userName: "mallory@example.com", displayName: XSS_NAME });
    assert.equal(xss.status, 201, xss.text);
    await section("Users", "Users");
    for (const userName of names) {
      await assert.doesNotReject(page.getByRole("link", { name: userName, exact: true }).waitFor());
    }
    await assert.doesNotReject(page.getByRole("cell", { name: XSS_NAME, exact: true }).waitFor());
    assert.equal(await page.locator('img[src="x"]').count(), 0, "the name made no element");
    await shot("users");
    await page.getByLabel("Search users").fill("CAROL");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.getByRole("link", { name: "alice@example.com" }).waitFor({ state: "detached" });
    await page.getByRole("link", { name: "carol@example.com" }).waitFor();
    assert.equal(await page.getByRole("link", { name: /@example\.com$/ }).count(), 1, "only carol matches");
    // The hostile user's own page: the heading and every value are text.
    await page.getByLabel("Search users").fill("mallory");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.getByRole("link", { name: "mallory@example.com" }).click();
    await page.getByRole("heading", { name: "mallory@example.com", level: 1 }).waitFor();
    await assert.doesNotReject(page.getByText(XSS_NAME, { exact: true }).first().waitFor());
    assert.equal(await page.locator('img[src="x"]').count(), 0);
  });

  test("offboard a user, with a confirmation that names them", async () => {
    await section("Users", "Users");
    await page.getByLabel("Search users").fill("bob@");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.getByRole("link", { name: "bob@example.com", exact: true }).click();
    await page.getByRole("heading", { name: "bob@example.com", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Offboard", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await assert.doesNotReject(dialog.getByText(/Offboard bob@example\.com\?/).waitFor());
    await shot("offboard-confirm");
    await dialog.getByRole("button", { name: "Offboard bob@example.com" }).click();
    await assert.doesNotReject(page.getByRole("status").filter({ hasText: "Offboarded bob@example.com" }).waitFor());
    const found = await admin("GET", `/users?userName=${encodeURIComponent("bob@example.com")}`);
    const bob = found.json.users[0];
    assert.equal(bob.active, false);
    assert.equal(bob.offboarded.by, "console");
    // The IdP cannot bring bob back.
    const back = await scimCall("PATCH", `/Users/${bob.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "active", value: true }],
    });
    assert.ok(back.status < 300, back.text);
    assert.equal((await admin("GET", `/users/${bob.id}`)).json.active, false);
  });

  test("approve a mass suspension the guardrail held", async () => {
    assert.equal((await admin("PUT", "/guardrail", { users: 1 })).status, 200);
    const users = (await admin("GET", "/users?limit=200")).json.users.filter((u) => /^(carol|dave|erin)@/.test(u.userName));
    assert.equal(users.length, 3);
    for (const u of users) {
      const r = await scimCall("PATCH", `/Users/${u.id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", path: "active", value: false }],
      });
      assert.ok(r.status < 300, r.text);
    }
    const pending = (await admin("GET", "/pending")).json.pending;
    assert.ok(pending.length >= 2, JSON.stringify(pending));
    const held = pending[0];
    await section("Held changes", "Held changes");
    const row = page.getByRole("row").filter({ hasText: held.userName });
    await row.waitFor();
    await shot("held-changes");
    await row.getByRole("button", { name: "Approve" }).click();
    await assert.doesNotReject(page.getByRole("status").filter({ hasText: `Approved ${held.userName}` }).waitFor());
    const after = (await admin("GET", "/pending")).json.pending;
    assert.equal(after.length, pending.length - 1);
    assert.equal((await admin("GET", `/users/${held.user}`)).json.active, false, "the approved suspension applied");
  });

  test("a failed effect is on the health page; Retry lands it", async () => {
    const staged = await admin("POST", "/effects/test", {
      note: "console",
      url: `http://127.0.0.1:${target.address().port}/hook`,
      maxAttempts: 1,
    });
    assert.equal(staged.status, 202, staged.text);
    const id = staged.json.id;
    await until("the effect parked", async () => {
      const list = (await admin("GET", "/effects?phase=parked")).json.effects;
      return list.some((e) => e.id === id) ? list : null;
    });
    await section("Health", "Health");
    const failed = page.getByRole("region", { name: "Failed effects" });
    const row = failed.getByRole("row").filter({ hasText: id });
    await row.waitFor();
    await shot("health");
    targetStatus = 200;
    await row.getByRole("button", { name: "Retry" }).click();
    await assert.doesNotReject(page.getByRole("status").filter({ hasText: `Retried ${id}` }).waitFor());
    await until("the retried effect landed", async () => {
      const r = await admin("GET", "/effects/test/console");
      return r.status === 200 && r.json.status === 200 ? r.json : null;
    });
  });

  test("events and the audit log are browsable", async () => {
    await section("Events", "Events");
    await assert.doesNotReject(page.getByText("user.offboarded").first().waitFor());
    await section("Audit", "Audit log");
    await page.getByLabel("Event type").fill("user.offboarded");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await assert.doesNotReject(page.getByRole("cell", { name: "user.offboarded" }).first().waitFor());
    assert.equal(await page.getByRole("cell", { name: "user.created", exact: true }).count(), 0);
    await shot("audit");
  });

  test("every page: labelled controls, named buttons, readable contrast, reachable by keyboard", async () => {
    // What a screen reader and a keyboard user need, checked in the page: each form
    // control has a label, each button and link a name, each text its contrast.
    const audit = () =>
      page.evaluate(() => {
        const problems = [];
        const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
        const name = (el) => (el.getAttribute("aria-label") || el.textContent || "").trim();
        for (const el of document.querySelectorAll("input, select, textarea")) {
          if (el.type === "hidden" || !visible(el)) continue;
          if (!(el.labels && el.labels.length) && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby")) {
            problems.push(`unlabelled ${el.tagName.toLowerCase()} ${el.outerHTML.slice(0, 80)}`);
          }
        }
        for (const el of document.querySelectorAll("button, a[href]")) {
          if (visible(el) && !name(el)) problems.push(`nameless ${el.tagName.toLowerCase()}`);
        }
        const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
        const lum = ([r, g, b]) => {
          const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        const background = (el) => {
          for (let e = el; e; e = e.parentElement) {
            const c = rgb(getComputedStyle(e).backgroundColor);
            if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
          }
          return [255, 255, 255];
        };
        for (const el of document.querySelectorAll("body *")) {
          const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
          if (!text || !visible(el) || el.closest("svg") || el.disabled) continue;
          const fg = rgb(getComputedStyle(el).color).slice(0, 3);
          const [a, b] = [lum(fg), lum(background(el))].sort((x, y) => y - x);
          const ratio = (a + 0.05) / (b + 0.05);
          if (ratio < 4.5) problems.push(`contrast ${ratio.toFixed(2)} for "${el.textContent.trim().slice(0, 40)}"`);
        }
        return problems;
      });
    for (const [name, heading] of [["Connections", "Connections"], ["Health", "Health"], ["Users", "Users"],
      ["Groups", "Groups"], ["Events", "Events"], ["Audit", "Audit log"], ["Held changes", "Held changes"]]) {
      await section(name, heading);
      await page.waitForLoadState("networkidle");
      assert.deepEqual(await audit(), [], `${name}: accessibility`);
    }
    await page.goto(`${server.baseUrl}/console/#/connections/new`);
    await page.getByRole("heading", { name: "Connect an IdP", level: 1 }).waitFor();
    assert.deepEqual(await audit(), [], "Connect an IdP: accessibility");
    // The keyboard alone reaches the sections: Tab to the Users link, Enter opens it.
    await page.goto(`${server.baseUrl}/console/#/connections`);
    await page.getByRole("heading", { name: "Connections", level: 1 }).waitFor();
    let reached = false;
    for (let i = 0; i < 20 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement && document.activeElement.textContent.trim() === "Users");
    }
    assert.ok(reached, "Tab reaches the Users link");
    const focusRing = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(focusRing, "none", "the focused link shows a focus ring");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
  });

  test("discard a held change, then rotate the connection's token and revoke the connection", async () => {
    const pending = (await admin("GET", "/pending")).json.pending;
    assert.ok(pending.length >= 1);
    await section("Held changes", "Held changes");
    const heldRow = page.getByRole("row").filter({ hasText: pending[0].userName });
    await heldRow.getByRole("button", { name: "Discard" }).click();
    await assert.doesNotReject(page.getByRole("status").filter({ hasText: `Discarded ${pending[0].userName}` }).waitFor());
    assert.equal((await admin("GET", "/pending")).json.pending.length, pending.length - 1);
    assert.equal((await admin("GET", `/users/${pending[0].user}`)).json.active, true, "the discarded suspension did not apply");

    const id = (await admin("GET", "/connections")).json.connections[0].id;
    await section("Connections", "Connections");
    const row = page.getByRole("row").filter({ hasText: id });
    await row.getByRole("button", { name: "Rotate token" }).click();
    const panel = page.getByRole("region", { name: "New token" });
    await panel.waitFor();
    const rotated = await panel.getByLabel("Bearer token").inputValue();
    assert.notEqual(rotated, scim.token);
    const old = scim.token;
    scim.token = rotated;
    assert.equal((await scimCall("GET", "/Users?count=1")).status, 200, "the new token works");
    await row.getByRole("button", { name: "Revoke" }).click();
    const dialog = page.getByRole("dialog");
    await assert.doesNotReject(dialog.getByText(new RegExp(`Revoke connection ${id}`)).waitFor());
    await dialog.getByRole("button", { name: `Revoke ${id}` }).click();
    await assert.doesNotReject(page.getByRole("status").filter({ hasText: `Revoked ${id}` }).waitFor());
    assert.equal((await scimCall("GET", "/Users?count=1")).status, 401, "a revoked connection's token stops");
    scim.token = old;
    assert.equal((await scimCall("GET", "/Users?count=1")).status, 401, "its grace token too");
    assert.ok(!(await page.content()).includes(rotated), "the token is dropped after revoking");
  });

  test("sign out: the cookie is gone and the admin API is closed to the page", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in to dirbridge" }).waitFor();
    assert.equal((await context.cookies()).some((c) => c.name === "dbcs"), false);
    const status = await page.evaluate(async (t) => (await fetch(`/admin/v1/tenants/${t}/users`)).status, tenant);
    assert.equal(status, 401);
  });
});
