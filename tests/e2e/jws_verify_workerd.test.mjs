// JWS signature verification with a JWK inside workerd (Miniflare, nodejs_compat as in
// deploy/cloudflare/wrangler.json): the Workers build's whole import chain,
// workers/dirbridge_imports.js -> abi.mjs's jws_verify -> jws_verify.mjs's verifyJws
// (node:crypto as workerd offers it), over a module memory, as the Emscripten modules
// call it, for every vector of tests/federation/jws_verify_vectors.json. This is what
// shows that workerd's node:crypto imports a JWK (createPublicKey, format "jwk") and
// verifies synchronously; it refuses {key: KeyObject, dsaEncoding}, which is why
// jws_verify.mjs hands ES256 signatures over as DER. The node side of the same chain
// is tests/wasi/jws_verify.test.mjs, the native host tests/unit/native_env_jws_verify_test.cc.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { EMSCRIPTEN_LIBRARY_PRELUDE, startHostWorker } from "../support/host_worker.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const { vectors } = JSON.parse(fs.readFileSync(path.join(repo, "tests/federation/jws_verify_vectors.json"), "utf8"));
const UNUSABLE_JWK_REASON = "jws_verify: unusable key: ";

// The test Worker: the Emscripten library's text as module code (what the linker
// pastes into the Workers build), Module.dirbridgeImports set as worker.mjs does.
// POST [{alg, jwk, data, signature (base64url)}, ...] calls dirbridge_jws_verify for
// each, and verifyJws directly; answers [{rc, slot (base64), direct}, ...], direct
// "valid" | "invalid" | {code, message}.
const workerSource = `
import { Buffer } from "node:buffer";
import { makeDirbridgeImports } from "../../wasm/hosts/abi.mjs";
import { verifyJws } from "../../wasm/hosts/jws_verify.mjs";
import { routeHost } from "../../wasm/hosts/host_runtime.mjs";
${EMSCRIPTEN_LIBRARY_PRELUDE}
export default {
  async fetch(request) {
    const url = new URL(request.url);
    const cases = await request.json();
    const memory = new WebAssembly.Memory({ initial: 1 });
    const view = () => new Uint8Array(memory.buffer);
    const host = url.pathname === "/route" ? routeHost({}) : { verifyJws };
    Module.dirbridgeImports = makeDirbridgeImports(() => host, view);
    const answers = [];
    for (const c of cases) {
      const signature = new Uint8Array(Buffer.from(c.signature, "base64url"));
      const spans = [];
      let p = 64;
      for (const bytes of [enc.encode(c.alg), enc.encode(c.jwk), enc.encode(c.data), signature]) {
        view().set(bytes, p);
        spans.push(p, bytes.length);
        p += bytes.length;
      }
      const rc = lib.dirbridge_jws_verify(...spans);
      lib.dirbridge_take_result(p);
      const n = rc >= 0 ? rc : -rc - 1;
      const slot = Buffer.from(view().slice(p, p + n)).toString("base64");
      let direct;
      try {
        direct = verifyJws(c.alg, c.jwk, enc.encode(c.data), signature) ? "valid" : "invalid";
      } catch (e) {
        direct = { code: e.code || null, message: e.message };
      }
      answers.push({ rc, slot, direct });
    }
    return Response.json(answers);
  },
};`;

let mf;
before(async () => {
  mf = await startHostWorker("jws_verify_worker.generated.mjs", workerSource, ["abi.mjs", "jws_verify.mjs", "sealing.mjs", "host_runtime.mjs"]);
});
after(async () => {
  if (mf) await mf.dispose();
});

async function run(cases, pathname = "/") {
  const res = await mf.dispatchFetch(`http://worker${pathname}`, { method: "POST", body: JSON.stringify(cases) });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).map(({ rc, slot, direct }) => {
    const bytes = Buffer.from(slot, "base64");
    return { rc, bytes, reason: rc <= -2 ? bytes.toString("utf8") : null, direct };
  });
}

test("workerd: every vector answers through the import as node:crypto made it", async () => {
  const answers = await run(vectors);
  assert.equal(answers.length, vectors.length);
  vectors.forEach((v, i) => {
    const { rc, bytes, reason, direct } = answers[i];
    if (v.expected === "unusable") {
      assert.ok(rc <= -2, v.name);
      assert.equal(reason, UNUSABLE_JWK_REASON + v.reason, v.name);
      assert.deepEqual(direct, { code: "DIRBRIDGE_UNUSABLE_JWK", message: v.reason }, v.name);
    } else {
      assert.equal(rc, 1, `${v.name}: ${reason}`);
      assert.deepEqual([...bytes], [v.expected === "valid" ? 1 : 0], v.name);
      assert.equal(direct, v.expected, v.name);
    }
  });
});

test("workerd: the router's host object refuses jws_verify", async () => {
  const v = vectors.find((x) => x.expected === "valid");
  const [{ rc, reason }] = await run([v], "/route");
  assert.ok(rc <= -2);
  assert.equal(reason, "jws_verify: dirbridge_route must not verify JWS signatures");
});
