// The local development server (deploy/local/serve.mjs) keeps its secrets and data
// readable by its owner only: the data folder 0700; admin-token, token-key, secret-key and
// dev-tenant.json 0600 (also when an older version left them wider); under node:wasi
// the store's directory 0700 and its log 0600. It still prints the secrets (a dev
// server) and says where they are kept.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { freshDataDir, startServer } from "./server_harness.mjs";

const mode = (p) => fs.statSync(p).mode & 0o777;

for (const host of ["workers", "wasi"]) {
  describe(`the local server's files on ${host}`, () => {
    test("secrets are 0600 in a 0700 folder, and the server says where they are", async () => {
      const dataDir = freshDataDir();
      fs.chmodSync(dataDir, 0o755);
      // A secret left world-readable by an older version.
      fs.writeFileSync(path.join(dataDir, "admin-token"), "dev-admin-left-over-token\n", { mode: 0o644 });
      fs.chmodSync(path.join(dataDir, "admin-token"), 0o644);
      const server = await startServer({ host, dataDir });
      try {
        assert.equal(server.adminToken, "dev-admin-left-over-token");
        assert.equal(mode(dataDir), 0o700);
        for (const f of ["admin-token", "token-key", "secret-key", "dev-tenant.json"]) {
          assert.equal(mode(path.join(dataDir, f)), 0o600, f);
        }
        if (host === "wasi") {
          assert.equal(mode(path.join(dataDir, "wasi")), 0o700);
          assert.equal(mode(path.join(dataDir, "wasi", "kv.log")), 0o600);
        }
        assert.ok(server.tokenKey.length >= 32, "a token key of at least 32 characters");
        const out = server.output();
        assert.match(out, /development server/);
        assert.ok(out.includes(`secrets:       kept in ${dataDir}`), out);
        const dev = JSON.parse(fs.readFileSync(path.join(dataDir, "dev-tenant.json"), "utf8"))[host];
        assert.ok(out.includes(dev.connection.token), "the dev bearer token is printed");
        assert.ok(dev.connection.token.startsWith(`dbt1.${dev.tenant.id}.`));
      } finally {
        await server.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
