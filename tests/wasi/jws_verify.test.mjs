// JWS signature verification with a JWK at the host boundary (wasm/host_imports.h,
// jws_verify): the host checks an ID token's RS256 or ES256 signature for a module,
// whose C++ core has no RSA or EC (wasm/hosts/jws_verify.mjs, node:crypto). Covered
// here under node: every vector of tests/federation/jws_verify_vectors.json (made with
// node:crypto alone by make_jws_verify_vectors.mjs; the native host runs the same ones
// in tests/unit/native_env_jws_verify_test.cc) through verifyJws, through the
// "dirbridge" import built by abi.mjs (result slot, rc, reasons), and through the
// Emscripten library (workers/dirbridge_imports.js) that forwards Workers' imports to
// it; the route host's refusal; the hosts' host objects; and the built modules'
// imports. tests/e2e/jws_verify_workerd.test.mjs runs the same vectors inside workerd.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { makeDirbridgeImports, UNUSABLE_JWK, UNUSABLE_JWK_REASON } from "../../wasm/hosts/abi.mjs";
import { MAX_JWK_BYTES, UnusableJwkError, p1363ToDer, verifyJws } from "../../wasm/hosts/jws_verify.mjs";
import { routeHost, verifyJws as runtimeVerifyJws } from "../../wasm/hosts/host_runtime.mjs";
import { loadEmscriptenLibrary } from "../support/emscripten_library.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const enc = new TextEncoder();
const { vectors } = JSON.parse(fs.readFileSync(path.join(repo, "tests/federation/jws_verify_vectors.json"), "utf8"));
const signatureOf = (v) => new Uint8Array(Buffer.from(v.signature, "base64url"));
const named = (name) => {
  const v = vectors.find((x) => x.name === name);
  assert.ok(v, `no vector named ${name}`);
  return v;
};

test("the vectors hold every kind of answer for both algorithms", () => {
  const count = (expected, alg) => vectors.filter((v) => v.expected === expected && (!alg || v.alg === alg)).length;
  for (const alg of ["RS256", "ES256"]) {
    assert.ok(count("valid", alg) >= 4, `valid ${alg}`);
    assert.ok(count("invalid", alg) >= 4, `invalid ${alg}`);
  }
  assert.ok(count("unusable") >= 30);
  for (const v of vectors) if (v.expected === "unusable") assert.equal(typeof v.reason, "string", v.name);
});

// What verifyJws answers: "valid" | "invalid" | ["unusable", reason].
function answer(fn) {
  try {
    return fn() ? "valid" : "invalid";
  } catch (e) {
    assert.ok(e instanceof UnusableJwkError, `not an UnusableJwkError: ${e.stack}`);
    assert.equal(e.code, UNUSABLE_JWK);
    assert.equal(e.cause, undefined, "no cause that could quote the key");
    return ["unusable", e.message];
  }
}
const expectedOf = (v) => (v.expected === "unusable" ? ["unusable", v.reason] : v.expected);

test("verifyJws answers every vector as node:crypto made it, with the exact reasons", () => {
  for (const v of vectors) {
    // As text (the brief's own callers) and as the UTF-8 bytes the glue passes.
    assert.deepEqual(answer(() => verifyJws(v.alg, v.jwk, enc.encode(v.data), signatureOf(v))), expectedOf(v), v.name);
    assert.deepEqual(answer(() => verifyJws(v.alg, enc.encode(v.jwk), enc.encode(v.data), signatureOf(v))), expectedOf(v), v.name);
  }
  assert.equal(runtimeVerifyJws, verifyJws, "host_runtime.mjs hands the hosts this function");
});

test("a refusal never quotes the JWK or the algorithm", () => {
  const CANARY = "canary-e27a";
  for (const [alg, jwk] of [
    ["RS256", `{"kty": "RSA", "n": "${CANARY}", "e": "AQAB"}`],
    ["RS256", `{"kty": "RSA", "n": ${CANARY}}`],
    ["RS256", `{"kty": "${CANARY}"}`],
    ["ES256", `{"kty": "EC", "crv": "${CANARY}", "x": "", "y": ""}`],
    ["ES256", `{"kty": "EC", "crv": "P-256", "x": "${CANARY}", "y": ""}`],
    ["ES256", `{"kty": "EC", "crv": "P-256", "alg": "${CANARY}"}`],
    [CANARY, "{}"],
    ["RS256", `[${JSON.stringify(CANARY)}]`],
  ]) {
    const got = answer(() => verifyJws(alg, jwk, enc.encode("a.b"), new Uint8Array(64)));
    assert.equal(got[0], "unusable", jwk);
    assert.ok(!got[1].includes("canary"), `${jwk}: ${got[1]}`);
  }
});

test("a JWK that is not UTF-8 does not parse; an algorithm that is not is no algorithm", () => {
  const v = named("RS256 verifies (a bare JWK: kty, n, e)");
  const jwk = enc.encode(v.jwk);
  const bad = new Uint8Array([...jwk.subarray(0, -1), ...enc.encode(',"kid":"'), 0xff, ...enc.encode('"}')]);
  assert.deepEqual(answer(() => verifyJws("RS256", bad, enc.encode(v.data), signatureOf(v))), ["unusable", "the JWK does not parse as JSON"]);
  // The size bound is in bytes, before decoding (as the native host's).
  assert.deepEqual(answer(() => verifyJws("RS256", new Uint8Array(MAX_JWK_BYTES + 1).fill(0xff), enc.encode(v.data), signatureOf(v))), [
    "unusable",
    `the JWK is longer than ${MAX_JWK_BYTES} bytes`,
  ]);
});

test("ES256's R||S becomes minimal DER", () => {
  const rs = new Uint8Array(64);
  rs[0] = 0x80; // R needs a leading 0x00; S is zero
  rs[63] = 0;
  assert.equal(Buffer.from(p1363ToDer(rs)).toString("hex"), `3026022100${"80" + "00".repeat(31)}020100`);
  const small = new Uint8Array(64);
  small[31] = 1;
  small[63] = 0x7f;
  assert.equal(Buffer.from(p1363ToDer(small)).toString("hex"), "30060201010201" + "7f");
});

// ---------------------------------------------------------------------------------
// The import, over a module memory: what a module's call sees.

// A memory with `parts` written one after another from byte 64; returns [ptr, len] pairs.
function memoryWith(...parts) {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const view = () => new Uint8Array(memory.buffer);
  const spans = [];
  let p = 64;
  for (const part of parts) {
    const bytes = typeof part === "string" ? enc.encode(part) : part;
    view().set(bytes, p);
    spans.push([p, bytes.length]);
    p += bytes.length;
  }
  return { view, spans, free: p };
}

// Calls jws_verify through `verify(...eight ints)` and reads the result slot through
// `take(dst)`: {rc, bytes}.
function callVerify(host, importsFor, alg, jwk, data, signature) {
  const mem = memoryWith(alg, jwk, data, signature);
  const { verify, take } = importsFor(host, mem.view);
  const rc = verify(...mem.spans.flat());
  const n = rc >= 0 ? rc : -rc - 1;
  take(mem.free);
  return { rc, bytes: mem.view().slice(mem.free, mem.free + n) };
}

// Every case of the import, run through `importsFor(host, view)` -> {verify, take}.
function checkImport(importsFor) {
  const host = { verifyJws };
  for (const v of vectors) {
    const { rc, bytes } = callVerify(host, importsFor, v.alg, v.jwk, v.data, signatureOf(v));
    if (v.expected === "unusable") {
      assert.ok(rc <= -2, v.name);
      assert.equal(new TextDecoder().decode(bytes), UNUSABLE_JWK_REASON + v.reason, v.name);
    } else {
      assert.equal(rc, 1, v.name);
      assert.deepEqual([...bytes], [v.expected === "valid" ? 1 : 0], v.name);
    }
  }

  const v = named("ES256 verifies (a bare JWK: kty, crv, x, y)");
  const run = (h, alg = v.alg, jwk = v.jwk) => {
    const { rc, bytes } = callVerify(h, importsFor, alg, jwk, v.data, signatureOf(v));
    return { rc, text: new TextDecoder().decode(bytes) };
  };
  // Bytes that are not UTF-8: the JWK does not parse, the algorithm is none of the two.
  const badJwk = new Uint8Array([...enc.encode(v.jwk).subarray(0, -1), ...enc.encode(',"kid":"'), 0xc0, ...enc.encode('"}')]);
  assert.equal(run(host, v.alg, badJwk).text, `${UNUSABLE_JWK_REASON}the JWK does not parse as JSON`);
  assert.equal(run(host, Uint8Array.of(0x45, 0x53, 0xff)).text, `${UNUSABLE_JWK_REASON}the algorithm is neither RS256 nor ES256`);
  // A byte order mark is kept, not dropped: it makes neither text usable.
  assert.equal(run(host, `\ufeff${v.alg}`).text, `${UNUSABLE_JWK_REASON}the algorithm is neither RS256 nor ES256`);
  assert.equal(run(host, v.alg, `\ufeff${v.jwk}`).text, `${UNUSABLE_JWK_REASON}the JWK does not parse as JSON`);
  assert.equal(run(host).text, "\u0001", "the control case verifies");

  // A host that fails otherwise is the host's failure (503 in the module), not the key's.
  const broken = run({
    verifyJws: () => {
      throw new Error("OpenSSL is out of memory");
    },
  });
  assert.ok(broken.rc <= -2);
  assert.equal(broken.text, "jws_verify: OpenSSL is out of memory");
  // A host object that misbehaves fails the call, never traps it.
  const odd = run({ verifyJws: () => 1 });
  assert.ok(odd.rc <= -2);
  assert.equal(odd.text, "jws_verify: verifyJws returned no boolean");
  const missing = run({});
  assert.ok(missing.rc <= -2 && missing.text.startsWith("jws_verify: ") && !missing.text.startsWith(UNUSABLE_JWK_REASON));
  // The router's host object refuses it (routing needs no signature).
  const refused = run(routeHost({}));
  assert.ok(refused.rc <= -2);
  assert.equal(refused.text, "jws_verify: dirbridge_route must not verify JWS signatures");
  // The byte arguments are copies: the host may keep them after the call.
  let kept;
  run({
    verifyJws: (alg, jwk, data, signature) => {
      kept = [jwk, data, signature];
      return true;
    },
  });
  for (const bytes of kept) assert.notEqual(bytes.buffer.byteLength, 65536, "a view of module memory");
}

test("the import jws_verify (abi.mjs): one byte in the slot, and reasons that tell the failures apart", () => {
  checkImport((host, view) => {
    const imports = makeDirbridgeImports(() => host, view);
    return { verify: imports.jws_verify, take: imports.take_result };
  });
});

test("the Workers build's import (workers/dirbridge_imports.js) forwards to the same import", () => {
  checkImport((host, view) => {
    const library = loadEmscriptenLibrary({ dirbridgeImports: makeDirbridgeImports(() => host, view) });
    return { verify: library.dirbridge_jws_verify, take: library.dirbridge_take_result };
  });
});

test("host_imports.h declares jws_verify with 8 parameters and the prefix abi.mjs writes", () => {
  const header = fs.readFileSync(path.join(repo, "wasm/host_imports.h"), "utf8");
  const m = /DIRBRIDGE_IMPORT\(jws_verify\)\s*\n\s*int32_t\s+dirbridge_jws_verify\(([^)]*)\);/.exec(header);
  assert.ok(m, "jws_verify is declared");
  assert.equal(m[1].split(",").length, 8);
  assert.equal(/#define DIRBRIDGE_UNUSABLE_JWK_REASON "([^"]*)"/.exec(header)[1], UNUSABLE_JWK_REASON);
  assert.match(header, /Producing calls \([^)]*jws_verify\)/);
});

const built = fs.existsSync(path.join(repo, "dist/wasi/modules.json"));

test("the node:wasi host gives tenant calls verifyJws, the router none", { skip: !built && "dist/wasi not built" }, async () => {
  const { loadWasiModules } = await import("../../wasm/hosts/wasi/wasi_host.mjs");
  let tenantHost;
  await loadWasiModules(undefined, {
    store: { get: () => undefined, list: () => [], commit: () => {} },
    wrapTenantHost: (h) => (tenantHost = h),
    log: () => {},
  });
  assert.equal(tenantHost.verifyJws, verifyJws);
});

test("the Workers host gives its Durable Object's host object verifyJws", () => {
  // worker.mjs runs only inside workerd (cloudflare:workers); its host object is built
  // in TenantDirectory's constructor, next to the sealing methods.
  const source = fs.readFileSync(path.join(repo, "deploy/cloudflare/src/worker.mjs"), "utf8");
  assert.match(source, /\.\.\.sealingHost\(env\),[\s\S]{0,400}?\n\s*verifyJws,\n/);
  assert.match(source, /import \{[^}]*\bverifyJws,[^}]*\} from "\.\.\/\.\.\/\.\.\/wasm\/hosts\/host_runtime\.mjs"/);
});

test("the built modules import jws_verify", { skip: !built && "dist/wasi not built" }, () => {
  const registry = JSON.parse(fs.readFileSync(path.join(repo, "dist/wasi/modules.json"), "utf8"));
  let verifying = 0;
  for (const entry of Object.values(registry)) {
    const mod = new WebAssembly.Module(fs.readFileSync(path.join(repo, "dist/wasi", entry.file)));
    const imp = WebAssembly.Module.imports(mod).find((i) => i.module === "dirbridge" && i.name === "jws_verify");
    if (imp) verifying++;
  }
  assert.ok(verifying > 0, "some module imports jws_verify");
});
