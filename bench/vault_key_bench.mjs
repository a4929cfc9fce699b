// The client's vault-key derivation (shared/federation/vault_key.h, 600,000
// PBKDF2-HMAC-SHA256 iterations): native (build/native/bench/native/vault_key_bench)
// and WASM (dist/client/vault_key.wasm through wasm/client/vault_key.mjs, under Node's
// V8, as a browser extension runs it), BENCH_VAULT_KEY_RUNS runs each (default 5),
// and node:crypto's PBKDF2 (OpenSSL) for scale.
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadVaultKey } from "../wasm/client/vault_key.mjs";
import { envInt, fmt, printTable } from "./lib.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Math.max(1, envInt("BENCH_VAULT_KEY_RUNS", 5));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
let status = 0;

const native = spawnSync(path.join(repo, "build/native/bench/native/vault_key_bench"), [String(RUNS)], { encoding: "utf8" });
if (native.status === 0) {
  const r = JSON.parse(native.stdout);
  rows.push(["native (C++, -O2)", fmt(r.medianMs), fmt(r.minMs)]);
} else {
  console.log("NOT MEASURED: native vault_key_bench (cmake --build --preset native)");
  status = 1;
}
const vk = await loadVaultKey(fs.readFileSync(path.join(repo, "dist/client/vault_key.wasm")));
const k1 = new Uint8Array(32).fill(0x11), k2 = new Uint8Array(32).fill(0x22);
const wasmMs = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  vk.deriveVaultKey(k1, k2, "ada@example.com");
  wasmMs.push(performance.now() - start);
}
rows.push(["WASM (dist/client/vault_key.wasm, V8)", fmt(median(wasmMs)), fmt(Math.min(...wasmMs))]);
const opensslMs = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  crypto.pbkdf2Sync("x".repeat(44), "ada@example.com", 600000, 32, "sha256");
  opensslMs.push(performance.now() - start);
}
rows.push(["node:crypto PBKDF2 (OpenSSL), for scale", fmt(median(opensslMs)), fmt(Math.min(...opensslMs))]);
console.log(`${RUNS} derivations each, 600,000 iterations:`);
printTable(["implementation", "median ms", "min ms"], rows);
process.exit(status);
