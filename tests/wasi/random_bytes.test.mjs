// The hosts' randomBytes (wasm/hosts/abi.mjs): small requests come from a pool that
// is refilled from the CSPRNG; no byte is handed out twice, and large requests work.
import assert from "node:assert/strict";
import { test } from "node:test";
import { randomBytes } from "../../wasm/hosts/abi.mjs";

test("pooled random bytes never repeat across many small requests and refills", () => {
  const seen = new Set();
  // 16-byte ids through more than ten pool refills: a byte served twice would repeat an id.
  for (let i = 0; i < 3000; i++) {
    const id = Buffer.from(randomBytes(16)).toString("hex");
    assert.equal(id.length, 32);
    assert.ok(!seen.has(id), `id ${id} was handed out twice`);
    seen.add(id);
  }
});

test("requests of every size get exactly that many bytes, and they are not all zero", () => {
  for (const n of [0, 1, 7, 255, 256, 257, 4096, 65536, 65537, 200000]) {
    const bytes = randomBytes(n);
    assert.equal(bytes.length, n);
    if (n >= 16) assert.ok(bytes.some((b) => b !== 0), `${n} random bytes were all zero`);
  }
});
