// Seed inputs for the fuzz harnesses (tests/fuzz/README.md).
//
//   node tests/fuzz/seeds.mjs project
//       (re)writes tests/fuzz/corpus/<harness>/: the project's own seeds, the inputs
//       of the unit tests (tests/unit/*), defined below. Their output is committed.
//   node tests/fuzz/seeds.mjs conformance <conformance dir> <out dir>
//       writes seeds derived from the outside suites (SCIMMY's filter and PatchOp
//       fixtures, the request bodies of Microsoft's Entra ID Postman collection) into
//       <out dir>/<harness>/. run.sh does this into its scratch corpus on every run:
//       outside data is read from ../shared/conformance, never copied into the repo.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const body = (operations) => JSON.stringify({ schemas: [PATCH_OP], Operations: operations });

// A request of fuzz_request: "METHOD /target", headers, an empty line, the body.
const request = (method, target, bodyText = "", headers = []) =>
  [`${method} ${target}`, ...headers, "", bodyText].join("\n");
const scim = "/t/acme/scim/v2";
const json = (v) => JSON.stringify(v);

const project = {
  fuzz_filter: {
    "eq-username": 'userName eq "ada@example.com"',
    "eq-upper-case": 'USERNAME EQ "ADA@EXAMPLE.COM"',
    "co-sw-ew": 'displayName co "love" and displayName sw "ada " or displayName ew "LACE"',
    "pr-null": "title pr and nickName eq null or title ne null",
    "bool-string": 'active eq "True" and active ne false',
    "numbers": "count gt 4.5 or ratio lt 2e0 or count eq -1",
    "datetime": 'meta.created gt "2015-10-10T21:38:21Z" and meta.lastModified ge "2020-12-31T23:59:59.999-00:00"',
    "value-path-trailing": 'emails[type eq "work" and primary eq true].value eq "ada@work.example"',
    "value-path-not": 'emails[not (type eq "work")] pr',
    "enterprise-urn": `${ENTERPRISE}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`,
    "extension-short": 'department eq "analytics"',
    "precedence": 'title pr AND NOT (nickName pr) Or id eq "nope"',
    "not-unparenthesised": "not a pr and b pr",
    "complex-no-sub": 'emails co "home.example"',
    "indexed-and": 'externalId eq "AdaExt" and emails.value eq "ada@work.example"',
    "indexed-value-path": 'emails[value eq "ada@work.example"]',
    "unicode-escape": 'userName eq "\\u00e9l\\u00e8ve+\\ud83d\\ude00@example.com"',
    "group-or": 'id eq "2819c223-7f76-453a-919d-413861904646" or displayName eq "Tour Guides"',
    "members": 'members[value eq "b0b"] or members.display co "ada"',
    "core-urn": "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"ada\"",
    "bad-escape": 'userName eq "bad \\q escape"',
    "nested": '((userName pr) and (not (emails[type eq "home"])))',
  },
  fuzz_patch: {
    "op-case": body([
      { op: "Replace", path: "displayName", value: "Babs" },
      { op: "ADD", path: "title", value: "Tour Guide" },
      { op: "Remove", path: "active" },
    ]),
    "sub-attributes": body([
      { op: "replace", path: "name.givenName", value: "Babs" },
      { op: "replace", path: "name", value: { formatted: "Ms Babs Jensen" } },
      { op: "remove", path: "name.familyName" },
    ]),
    "no-path-dotted-urn": body([
      {
        op: "replace",
        value: {
          "name.givenName": "Babs",
          displayName: "Babs J",
          [`${ENTERPRISE}:department`]: "Tours",
          [`${ENTERPRISE}:manager.value`]: "boss-1",
          "urn:ietf:params:scim:schemas:core:2.0:User:nickName": "B",
        },
      },
    ]),
    "okta-deactivate": body([{ op: "replace", value: { active: false } }]),
    "entra-active-string": body([{ op: "Replace", path: "active", value: "False" }]),
    "entra-email-filter": body([{ op: "replace", path: 'emails[type eq "work"].value', value: "new@work.example" }]),
    "entra-manager-string": body([{ op: "add", path: `${ENTERPRISE}:manager`, value: "boss-2" }]),
    "members-add": body([{ op: "add", path: "members", value: [{ value: "u1", display: "One" }, { value: "u2" }] }]),
    "members-remove-values": body([{ op: "Remove", path: "members", value: [{ value: "b0b" }] }]),
    "members-remove-filter": body([{ op: "remove", path: 'members[value eq "a" or value eq "b0b"]' }]),
    "members-replace": body([{ op: "replace", path: "members", value: [{ value: "m" }] }, { op: "add", value: { members: [{ value: "n" }] } }]),
    "group-rename": body([{ op: "replace", value: { id: "e9e30dba-f08f-4109-8486-d5c6a331660a", displayName: "Renamed" } }]),
    "password-dropped": body([{ op: "add", path: "password", value: "hunter2" }, { op: "add", value: { PASSWORD: "x" } }]),
    "primary-clears": body([{ op: "add", path: "emails", value: [{ value: "x@example.com", primary: true }] }]),
    "lowercase-keys": json({ operations: [{ OP: "add", PATH: "title", VALUE: "x" }] }),
    "readonly-id": body([{ op: "replace", path: "id", value: "other" }, { op: "remove", path: "meta" }]),
    "bad-op": body([{ op: "move", path: "title", value: "x" }]),
    "resource-and-body":
      json({ userName: "bjensen", name: { givenName: "Barbara" }, emails: [{ value: "b@x.example", type: "work" }] }) +
      "\0" +
      body([{ op: "remove", path: 'emails[type eq "work"]' }, { op: "add", path: "nickName", value: "Babs" }]),
  },
  fuzz_json_model: {
    "user-full": json({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
      userName: "ada@example.com",
      externalId: "ada-ext",
      name: { givenName: "Ada", familyName: "Lovelace", formatted: "Ada Lovelace", honorificPrefix: "Lady" },
      displayName: "Ada Lovelace",
      nickName: "ada",
      title: "Countess",
      userType: "Employee",
      preferredLanguage: "en-GB",
      locale: "en-GB",
      timezone: "Europe/London",
      active: true,
      emails: [{ value: "ada@work.example", type: "work", primary: true }, { value: "ada@home.example", type: "home", primary: false }],
      phoneNumbers: [{ value: "+44 20 7946 0000", type: "work" }],
      [ENTERPRISE]: { employeeNumber: "701984", costCenter: "4130", department: "Analytics", manager: { value: "boss-1", displayName: "Babbage" } },
    }),
    "user-minimal": json({ userName: "bjensen" }),
    "user-stored": json({
      meta: { created: "2025-11-24T16:00:00Z", lastModified: "2025-11-24T16:00:00Z", version: 4 },
      id: "2819c223-7f76-453a-919d-413861904646",
      userName: "stored",
      active: false,
    }),
    "user-other-attributes": json({
      userName: "x",
      roles: [{ value: "admin", primary: true }, { value: 7 }],
      addresses: [{ type: "work", streetAddress: "100 Universal City Plaza", country: "US" }],
      x509Certificates: [{ value: "MIIDQzCCAqygAwIBAgICEAAw" }],
      ims: [{ value: "ada", type: "xmpp" }],
    }),
    "user-password": json({ userName: "p", password: "hunter2", Password: "x" }),
    "user-client-meta": json({ userName: "m", meta: { resourceType: "User", version: 'W/"3"', location: "https://x/Users/1" } }),
    "user-wrong-types": json({ userName: "t", active: "False", emails: { value: "not-a-list" }, name: "Ada" }),
    "user-unicode": json({ userName: "\u00e9l\u00e8ve+\ud83d\ude00@example.com", displayName: "\u0000nul" }),
    "group": json({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Tour Guides", externalId: "tg", members: [{ value: "u1" }] }),
    "group-stored": json({ meta: { created: "2025-11-24T16:00:00Z", lastModified: "2025-11-25T16:00:00Z", version: 2 }, id: "g1", displayName: "G" }),
  },
  fuzz_request: {
    "filter-username": request("GET", `${scim}/Users?filter=userName%20eq%20%22ada@example.com%22`),
    "filter-unindexed": request("GET", `${scim}/Users?filter=title+sw+%22count%22+or+emails[type+eq+"home"]&attributes=userName,emails`),
    "create-user": request("POST", `${scim}/Users`, json({ userName: "new@example.com", emails: [{ value: "new@example.com", primary: true }] }), ["content-type: application/scim+json"]),
    "create-duplicate": request("POST", `${scim}/Users`, json({ userName: "ADA@example.com" })),
    "patch-user-entra": request("PATCH", `${scim}/Users/{user}`, body([{ op: "Replace", path: "active", value: "False" }, { op: "Add", path: 'emails[type eq "other"].value', value: "o@example.com" }])),
    "patch-user-okta": request("PATCH", `${scim}/Users/{user}`, body([{ op: "replace", value: { active: false } }]), ["authorization: Bearer {token2}"]),
    "put-user": request("PUT", `${scim}/Users/{user2}`, json({ userName: "bjensen", name: { givenName: "B" }, active: true }), ['if-match: W/"1"']),
    "delete-user": request("DELETE", `${scim}/Users/{user2}`),
    "patch-group-members": request("PATCH", `${scim}/Groups/{group}?attributes=members`, body([{ op: "add", path: "members", value: [{ value: "{user}" }] }, { op: "remove", path: 'members[value eq "{user2}"]' }])),
    "get-group": request("GET", `${scim}/Groups/{group}?excludedAttributes=members`, "", ['if-none-match: W/"1"']),
    "page-sorted": request("GET", `${scim}/Users?startIndex=2&count=1&sortBy=userName&sortOrder=descending`),
    "page-cursor": request("GET", `${scim}/Users?count=1&cursor=`),
    "search": request("POST", `${scim}/Users/.search`, json({ schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: 'emails.value co "example"', count: 5 })),
    "discovery": request("GET", `${scim}/ServiceProviderConfig`) + "\n~~\n" + request("GET", `${scim}/Schemas/urn:ietf:params:scim:schemas:core:2.0:User`) + "\n~~\n" + request("GET", `${scim}/ResourceTypes/User`),
    "bulk": request("POST", `${scim}/Bulk`, json({ schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], Operations: [] })),
    "if-match-stale": request("PATCH", `${scim}/Users/{user}`, body([{ op: "replace", path: "title", value: "x" }]), ['if-match: W/"9"']),
    "admin-events": request("GET", "/admin/v1/tenants/acme/events?after=0&limit=5"),
    "console-signin": request("POST", "/console/session", json({ token: "{admin}" }), ["authorization:"]) + "\n~~\n" + request("GET", "/console/session", "", ["authorization:", "cookie: dbcs={session}"]) + "\n~~\n" + request("DELETE", "/console/session", "", ["authorization:", "cookie: dbcs={session}", "x-csrf-token: {csrf}"]),
    "console-cookie-read": request("GET", "/admin/v1/tenants/acme/users?q=ADA&limit=5", "", ["authorization:", "cookie: theme=dark; dbcs={session}"]) + "\n~~\n" + request("GET", "/admin/v1/tenants/acme/users/{user}", "", ["authorization:", "cookie: dbcs={session}"]),
    "console-cookie-write": request("POST", "/admin/v1/tenants/acme/users/{user}/offboard", json({ by: "console" }), ["authorization:", "cookie: dbcs={session}", "x-csrf-token: {csrf}"]) + "\n~~\n" + request("POST", "/admin/v1/tenants/acme/users/{user2}/offboard", "{}", ["authorization:", "cookie: dbcs={session}"]),
    "admin-new-tenant": request("POST", "/admin/v1/tenants", json({ id: "gamma", name: "Gamma" })) + "\n~~\n" + request("POST", "/admin/v1/tenants/gamma/connections", json({ kind: "onelogin" })) + "\n~~\n" + request("GET", "/admin/v1/tenants/gamma"),
    "cross-tenant": request("GET", `${scim}/Users/{beta-user}`, "", ["authorization: Bearer {beta}"]) + "\n~~\n" + request("GET", "/t/beta/scim/v2/Users", "", ["authorization: Bearer {token}"]),
    "no-credentials": request("GET", `${scim}/Users`, "", ["authorization:"]) + "\n~~\n" + request("GET", "/admin/v1/tenants/acme", "", ["authorization: Bearer wrong"]),
    "health-and-unknown": request("GET", "/health") + "\n~~\n" + request("GET", "/nowhere/%zz") + "\n~~\n" + request("HEAD", "/"),
    "index-after-patch": request("PATCH", `${scim}/Users/{user}`, body([{ op: "replace", path: 'emails[type eq "work"].value', value: "Ada.New@Work.Example" }, { op: "replace", path: "externalId", value: "ext-2" }])) + "\n~~\n" + request("GET", `${scim}/Users?filter=emails.value%20eq%20%22ada.new@work.example%22`) + "\n~~\n" + request("GET", `${scim}/Users?filter=emails%5Bvalue%20eq%20%22ada@work.example%22%5D`) + "\n~~\n" + request("GET", `${scim}/Users?filter=externalId%20eq%20%22ada-ext%22`),
    "index-after-put": request("PUT", `${scim}/Users/{user2}`, json({ userName: "Renamed", externalId: "B2", emails: [{ value: "r@example.com" }] })) + "\n~~\n" + request("GET", `${scim}/Users?filter=userName%20eq%20%22bjensen%22`) + "\n~~\n" + request("GET", `${scim}/Users?filter=userName%20eq%20%22RENAMED%22%20and%20active%20eq%20true`),
    "index-group-rename": request("PATCH", `${scim}/Groups/{group}`, body([{ op: "replace", value: { displayName: "Guides", externalId: "g2" } }])) + "\n~~\n" + request("GET", `${scim}/Groups?filter=displayName%20eq%20%22tour%20guides%22`) + "\n~~\n" + request("GET", `${scim}/Groups?filter=externalId%20eq%20%22g2%22&excludedAttributes=members`),
    "sequence": request("POST", `${scim}/Groups`, json({ displayName: "Second", members: [{ value: "{user2}" }] })) + "\n~~\n" + request("GET", `${scim}/Groups?filter=displayName%20eq%20%22second%22`) + "\n~~\n" + request("DELETE", `${scim}/Users/{user}`) + "\n~~\n" + request("GET", `${scim}/Groups/{group}`),
  },
};

function writeSeeds(root, seeds, { clean }) {
  for (const [harness, files] of Object.entries(seeds)) {
    const dir = join(root, harness);
    if (clean) rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  }
}

// ---- Seeds from the outside suites (never committed).

function conformanceSeeds(dir) {
  const out = { fuzz_filter: {}, fuzz_patch: {}, fuzz_json_model: {}, fuzz_request: {} };
  const name = (prefix, text) => `${prefix}-${createHash("sha1").update(text).digest("hex").slice(0, 12)}`;
  const add = (harness, prefix, text) => {
    out[harness][name(prefix, text)] = text;
  };

  const filter = JSON.parse(readFileSync(join(dir, "scimmy/filter.json"), "utf8"));
  for (const cases of Object.values(filter.parse ?? {})) {
    for (const c of cases) if (typeof c.source === "string") add("fuzz_filter", "scimmy", c.source);
  }
  for (const cases of Object.values(filter.expression ?? {})) {
    for (const c of cases) if (typeof c.target === "string") add("fuzz_filter", "scimmy", c.target);
  }
  for (const user of filter.match?.source ?? []) add("fuzz_json_model", "scimmy", JSON.stringify(user));

  const patch = JSON.parse(readFileSync(join(dir, "scimmy/patchop.json"), "utf8"));
  for (const cases of Object.values(patch.inbound ?? {})) {
    for (const c of cases) add("fuzz_patch", "scimmy", JSON.stringify(c.source) + "\0" + body(c.ops));
  }

  // Entra's Postman collection: every request with a body or a query, its Postman
  // variables replaced by the harness's placeholders or fixed values.
  const collection = JSON.parse(readFileSync(join(dir, "entra/PostmanCollection.json"), "utf8"));
  const vars = (text) =>
    text
      .replace(/\{\{(id\d|\d\w*userid|enteruserid)\}\}/g, "{user}")
      .replace(/\{\{(\d?\w*groupid\d?)\}\}/g, "{group}")
      .replace(/\{\{\$random(\w+)\}\}/g, (_, what) => `fuzz${what}`)
      .replace(/\{\{\$guid\}\}/g, "00000000-0000-4000-8000-000000000000")
      .replace(/\{\{[^}]*\}\}/g, "x");
  const walk = (items) => {
    for (const item of items) {
      if (item.item) {
        if (item.name !== "Get Token") walk(item.item);
        continue;
      }
      const r = item.request;
      const url = typeof r.url === "string" ? r.url : r.url?.raw ?? "";
      const target = vars(url.replace(/^\{\{Protocol\}\}:\/\/\{\{Server\}\}\{\{Port\}\}\/\{\{Api\}\}/, scim));
      const raw = r.body?.raw ?? "";
      if (!raw && !target.includes("?")) continue;
      const text = request(r.method, target, vars(raw), raw ? ["content-type: application/scim+json"] : []);
      add("fuzz_request", "entra", text);
      if (raw && r.method !== "PATCH") add("fuzz_json_model", "entra", vars(raw));
      if (raw && r.method === "PATCH") add("fuzz_patch", "entra", vars(raw));
    }
  };
  walk(collection.item ?? []);
  return out;
}

const [mode, ...args] = process.argv.slice(2);
if (mode === "project") {
  writeSeeds(join(here, "corpus"), project, { clean: true });
  for (const harness of Object.keys(project)) {
    console.log(`${harness}: ${readdirSync(join(here, "corpus", harness)).length} seeds`);
  }
} else if (mode === "conformance" && args.length === 2) {
  const seeds = conformanceSeeds(args[0]);
  writeSeeds(args[1], seeds, { clean: false });
  console.log(
    "conformance seeds: " + Object.entries(seeds).map(([h, f]) => `${h} ${Object.keys(f).length}`).join(", "),
  );
} else {
  console.error("usage: node tests/fuzz/seeds.mjs project | conformance <conformance dir> <out dir>");
  process.exit(2);
}
