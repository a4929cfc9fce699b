// The hostile-cost rows of the Google push endpoint (/t/{tenant}/google/push/{c}): a
// Google Workspace connection set up in the bench's own modules against the local
// stand-in for Google (tests/google), its channels opened by draining the tenant's
// outbox as a host would, then notifications crafted with the channels' headers.
//
// googlePushSetup() starts the stand-in (its base is the modules' DIRBRIDGE_GOOGLE_API_BASE);
// googlePushRows() sets the connection up and returns rows for hostile_cost_bench.mjs:
// [defect, input, expected status, () => answer].

import { randomBytes } from "node:crypto";
import { startGoogleStandin } from "../tests/google/google_standin.mjs";
import { makeServiceAccount } from "../tests/google/service_account.mjs";
import { ADMIN_TOKEN, drainUntil, expect } from "./wasi_tenant.mjs";

const ADMIN_EMAIL = "admin@example.com";

export async function googlePushSetup() {
  const sa = makeServiceAccount({});
  const google = await startGoogleStandin({ serviceAccounts: [sa], admins: [ADMIN_EMAIL] });
  return {
    sa,
    google,
    config: { DIRBRIDGE_GOOGLE_API_BASE: google.base },
    secretKey: randomBytes(32).toString("base64"),
  };
}

// An admin activity (Reports API resource) with `events`.
function activity(n, events) {
  return {
    kind: "admin#reports#activity",
    id: { time: new Date().toISOString(), uniqueQualifier: String(n), applicationName: "admin", customerId: "C01abcde" },
    actor: { email: ADMIN_EMAIL },
    events,
  };
}
const memberAdded = (i) => ({
  type: "GROUP_SETTINGS",
  name: "ADD_GROUP_MEMBER",
  parameters: [{ name: "USER_EMAIL", value: `u${i}@example.com` }, { name: "GROUP_EMAIL", value: "g@example.com" }],
});

export async function googlePushRows({ request, modules, setup }) {
  const { google, sa } = setup;
  const tenant = expect("POST tenant", request("POST", "/admin/v1/tenants", { token: ADMIN_TOKEN, json: { id: "hostile-google" } }), [201]).id;
  const conn = expect("POST google connection",
    request("POST", `/admin/v1/tenants/${tenant}/connections`, { token: ADMIN_TOKEN, json: { kind: "google" } }), [201]).id;
  expect("PUT google settings", request("PUT", `/admin/v1/tenants/${tenant}/connections/${conn}/google`, {
    token: ADMIN_TOKEN, json: { adminEmail: ADMIN_EMAIL, serviceAccountKey: sa.keyJson },
  }), [200]);
  // Open the channels as a host would: drain the outbox until all six are live.
  const path = `/t/${tenant}/google/push/${conn}`;
  const live = () => google.channels().filter((ch) => ch.live && ch.address.endsWith(path));
  await drainUntil(modules, tenant, "opening the bench's six google channels", () => live().length === 6);
  const users = live().find((ch) => ch.api === "directory");
  const reports = live().find((ch) => ch.api === "reports");
  let number = 1000;
  const userBody = { kind: "admin#directory#user", id: "100000000000000000001", etag: '"e"', primaryEmail: "u@example.com" };
  const push = (ch, body, { token = ch.token, channel = ch.id, n = number++ } = {}) =>
    request("POST", path, {
      text: body === undefined ? "" : JSON.stringify(body),
      headers: {
        "content-type": "application/json; charset=UTF-8",
        "x-goog-channel-id": channel,
        "x-goog-channel-token": token,
        "x-goog-resource-id": ch.resourceId,
        "x-goog-resource-state": ch.api === "reports" ? "ADD_GROUP_MEMBER" : "update",
        "x-goog-message-number": String(n),
      },
    });
  // Fill the users channel's window of remembered message numbers (64).
  for (let i = 0; i < 64; i++) expect("a users notification", push(users, userBody), [200]);
  const forged = users.token.slice(0, -4) + (users.token.endsWith("AAAA") ? "BBBB" : "AAAA");
  const manyIgnored = Array.from({ length: 5000 }, () => ({ type: "USER_SETTINGS", name: "CHANGE_LAST_NAME" }));
  return [
    ["push", "Google push with a forged channel token (router)", 401, () => push(users, userBody, { token: forged })],
    ["push", "Google push naming an unknown channel", 404, () => push(users, userBody, { channel: "no-such-channel" })],
    ["push", "Google push, a users notification (one users.get emitted)", 200, () => push(users, userBody)],
    ["push", "Google push, a message number older than the 64 remembered (window full)", 200, () => push(users, userBody, { n: 1 })],
    ["push", "Google push, an activity of 16 membership events (the cap: 16 fetches)", 200,
      () => push(reports, activity(number, Array.from({ length: 16 }, (_, i) => memberAdded(i))))],
    ["push", "Google push, an activity of 17 membership events", 400,
      () => push(reports, activity(number, Array.from({ length: 17 }, (_, i) => memberAdded(i))))],
    ["push", "Google push, an activity of 5,000 events it ignores", 200, () => push(reports, activity(number, manyIgnored))],
  ];
}
