// Signing with a sealed key inside workerd (Miniflare, nodejs_compat as in
// deploy/cloudflare/wrangler.json): the Workers build's whole import chain,
// workers/dirbridge_imports.js -> abi.mjs's secret_sign_rs256 -> sealing.mjs's
// signRs256 (node:crypto as workerd offers it), over a module memory, as the
// Emscripten modules call it. The key is sealed in workerd and the signature checked
// here with node:crypto. The node side of the same chain is tests/wasi/rs256_signing.test.mjs.

import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, test } from "node:test";
import { EMSCRIPTEN_LIBRARY_PRELUDE, startHostWorker } from "../support/host_worker.mjs";

const CANARY = `canary-${crypto.randomBytes(8).toString("hex")}`;
const SECRET_KEY = crypto.randomBytes(32).toString("base64");
const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const PEM = rsa.privateKey.export({ type: "pkcs8", format: "pem" });
const KEY_FILE = JSON.stringify({ type: "service_account", private_key: PEM, client_email: "sa@acme.example" });
const AD = "dirbridge.secret.v1\0acme\0c1\0google-service-account";
const DATA = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJzYUBhY21lLmV4YW1wbGUifQ";

// The test Worker: the Emscripten library's text as module code (what the linker
// pastes into the Workers build), Module.dirbridgeImports set as worker.mjs does.
// POST {secretKey, plaintext, ad, openAd, data} seals plaintext under ad, then calls
// dirbridge_secret_sign_rs256 with openAd; answers {rc, slot (base64)}.
const workerSource = `
import { makeDirbridgeImports, randomBytes } from "../../wasm/hosts/abi.mjs";
import { makeSealer } from "../../wasm/hosts/sealing.mjs";
${EMSCRIPTEN_LIBRARY_PRELUDE}
export default {
  async fetch(request) {
    const { secretKey, plaintext, ad, openAd, data } = await request.json();
    const sealed = makeSealer(${JSON.stringify(SECRET_KEY)}, randomBytes).seal(enc.encode(plaintext), enc.encode(ad));
    const sealer = makeSealer(secretKey, randomBytes);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const view = () => new Uint8Array(memory.buffer);
    Module.dirbridgeImports = makeDirbridgeImports(() => ({ signRs256: sealer.signRs256 }), view);
    const spans = [];
    let p = 64;
    for (const part of [sealed, openAd, data]) {
      const bytes = enc.encode(part);
      view().set(bytes, p);
      spans.push(p, bytes.length);
      p += bytes.length;
    }
    const rc = lib.dirbridge_secret_sign_rs256(...spans);
    let slot = "";
    if (rc !== -1) {
      lib.dirbridge_take_result(p);
      const n = rc >= 0 ? rc : -rc - 1;
      slot = btoa(String.fromCharCode(...view().subarray(p, p + n)));
    }
    return Response.json({ rc, slot });
  },
};`;

let mf;
before(async () => {
  mf = await startHostWorker("rs256_signing_worker.generated.mjs", workerSource, ["abi.mjs", "sealing.mjs"]);
});
after(async () => {
  if (mf) await mf.dispose();
});

async function sign({ secretKey = SECRET_KEY, plaintext = KEY_FILE, ad = AD, openAd = ad, data = DATA } = {}) {
  const res = await mf.dispatchFetch("http://worker/", {
    method: "POST",
    body: JSON.stringify({ secretKey, plaintext, ad, openAd, data }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const { rc, slot } = await res.json();
  const bytes = Buffer.from(slot, "base64");
  return { rc, bytes, reason: rc <= -2 ? bytes.toString("utf8") : null };
}

test("workerd: a sealed service-account key signs RS256, verified with its public key", async () => {
  for (const plaintext of [KEY_FILE, PEM]) {
    const { rc, bytes } = await sign({ plaintext });
    assert.equal(rc, 256);
    assert.ok(crypto.verify("sha256", Buffer.from(DATA), rsa.publicKey, bytes));
  }
});

test("workerd: another owner's associated data does not open (-1)", async () => {
  assert.equal((await sign({ openAd: "dirbridge.secret.v1\0acme\0c2\0google-service-account" })).rc, -1);
});

test("workerd: a secret that is no usable key fails with the unusable-key reason, never quoting it", async () => {
  const ec = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" });
  const small = crypto.generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" });
  for (const [plaintext, why] of [
    [`${CANARY} an API token`, /neither a service-account key file/],
    [`{"private_key": ${CANARY}}`, /does not parse as JSON/],
    [JSON.stringify({ private_key: `-----BEGIN PRIVATE KEY-----\n${CANARY}\n-----END PRIVATE KEY-----\n` }), /does not parse/],
    [ec, /of type ec, not RSA/],
    [small, /1024 bits/],
  ]) {
    const { rc, reason } = await sign({ plaintext });
    assert.ok(rc <= -2, reason);
    assert.ok(reason.startsWith("secret_sign_rs256: unusable key: "), reason);
    assert.match(reason, why);
    assert.ok(!reason.includes("canary"), reason); // not even the part an error might quote
  }
});

test("workerd: without DIRBRIDGE_SECRET_KEY the reason names the setting", async () => {
  const { rc, reason } = await sign({ secretKey: null });
  assert.ok(rc <= -2);
  assert.match(reason, /^secret_sign_rs256: DIRBRIDGE_SECRET_KEY is not set/);
});
