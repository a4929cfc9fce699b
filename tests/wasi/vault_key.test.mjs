// The client's vault-key derivation as a browser extension runs it: the WASM build
// (dist/client/vault_key.wasm) through its ES module (wasm/client/vault_key.mjs),
// checked against the published vectors (tests/federation/vault_key_vectors.json) and
// against node:crypto (an independent PBKDF2 and SHA-256) on random fragments.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { loadVaultKey } from "../../wasm/client/vault_key.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const wasm = fs.readFileSync(path.join(repo, "dist/client/vault_key.wasm"));
const vectors = JSON.parse(fs.readFileSync(path.join(repo, "tests/federation/vault_key_vectors.json"), "utf8"));
const hex = (bytes) => Buffer.from(bytes).toString("hex");
const fromHex = (text) => new Uint8Array(Buffer.from(text, "hex"));

// What shared/federation/vault_key.h says, written with node:crypto.
function reference(k1, k2, userName) {
  const mixed = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) mixed[i] = k1[i] ^ k2[i];
  const password = crypto.createHash("sha256").update(mixed).digest("base64");
  const salt = userName.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return crypto.pbkdf2Sync(Buffer.from(password), Buffer.from(salt, "utf8"), 600000, 32, "sha256");
}

test("the WASM build derives the published vectors", async () => {
  const vk = await loadVaultKey(wasm);
  assert.equal(vectors.vectors.length, 3);
  for (const v of vectors.vectors) {
    assert.equal(hex(vk.deriveVaultKey(fromHex(v.k1), fromHex(v.k2), v.userName)), v.vaultKey, v.name);
    assert.equal(hex(reference(fromHex(v.k1), fromHex(v.k2), v.userName)), v.vaultKey, `the vector file: ${v.name}`);
  }
});

test("the WASM build agrees with node:crypto on random fragments, and makes no host call", async () => {
  const vk = await loadVaultKey(wasm);
  assert.deepEqual(vk.imports.filter((i) => i.module !== "wasi_snapshot_preview1"), []);
  for (const userName of ["Grace.Hopper@Navy.MIL", "x"]) {
    const k1 = new Uint8Array(crypto.randomBytes(32));
    const k2 = new Uint8Array(crypto.randomBytes(32));
    assert.equal(hex(vk.deriveVaultKey(k1, k2, userName)), hex(reference(k1, k2, userName)));
  }
});

test("bad input is refused, not derived", async () => {
  const vk = await loadVaultKey(wasm);
  const k = new Uint8Array(32);
  assert.throws(() => vk.deriveVaultKey(k.subarray(1), k, "a"), /K1 and K2 must be Uint8Arrays of 32 bytes/);
  assert.throws(() => vk.deriveVaultKey(k, "not bytes", "a"), /K1 and K2 must be Uint8Arrays/);
  assert.throws(() => vk.deriveVaultKey(k, k, ""), /the userName must be 1 to 512 bytes/);
  assert.throws(() => vk.deriveVaultKey(k, k, "a".repeat(513)), /the userName must be 1 to 512 bytes/);
});
