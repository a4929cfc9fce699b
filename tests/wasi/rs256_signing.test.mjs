// Signing with a sealed key at the host boundary (wasm/host_imports.h,
// secret_sign_rs256): the host opens a sealed Google service-account key and signs
// with it (wasm/hosts/sealing.mjs, node:crypto), so the key never reaches a module.
// Covered here under node: the sealer's signRs256, the "dirbridge" import built by
// abi.mjs (result slot, -1, failure reasons), the Emscripten library
// (workers/dirbridge_imports.js) that forwards Workers' imports to it, the route host's
// refusal, and the built modules' imports. tests/e2e/rs256_signing_workerd.test.mjs
// runs the same chain inside workerd.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { makeDirbridgeImports, RC_ABSENT, UNUSABLE_KEY_REASON } from "../../wasm/hosts/abi.mjs";
import { makeSealer, MIN_RSA_BITS, UNUSABLE_KEY, UnusableKeyError } from "../../wasm/hosts/sealing.mjs";
import { randomBytes, routeHost } from "../../wasm/hosts/host_runtime.mjs";
import { loadEmscriptenLibrary } from "../support/emscripten_library.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const enc = new TextEncoder();
const CANARY = "canary-7d1e0b5a93f24c68";
// A reason must not hold even part of the secret (JSON.parse quotes ~10 characters of
// its input): no reason may contain this part of the canary.
const CANARY_PART = "canary";
const AD = enc.encode("dirbridge.secret.v1\0acme\0c1\0google-service-account");
const DATA = enc.encode("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzYUBleGFtcGxlIn0");

const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const PEM = rsa.privateKey.export({ type: "pkcs8", format: "pem" });
// The shape of a Google service-account key file (the fields a signer ignores included).
const KEY_FILE = JSON.stringify({
  type: "service_account",
  project_id: "acme-directory",
  private_key_id: "0123456789abcdef",
  private_key: PEM,
  client_email: "dirbridge@acme-directory.iam.gserviceaccount.com",
  token_uri: "https://oauth2.googleapis.com/token",
});
const newSealer = () => makeSealer(crypto.randomBytes(32).toString("base64"), randomBytes);
const verifies = (signature, data = DATA) => crypto.verify("sha256", data, rsa.publicKey, signature);

// Plaintexts that open but hold no usable key; the canary must not come back in a reason.
const otherPem = (type, options) => crypto.generateKeyPairSync(type, options).privateKey.export({ type: "pkcs8", format: "pem" });
const NOT_KEYS = [
  ["plain text", `${CANARY} is an API token`, /neither a service-account key file \(JSON\) nor a PEM private key/],
  ["broken JSON", `{"private_key": "${CANARY}`, /does not parse as JSON/],
  ["JSON that JSON.parse would quote", `{"private_key": ${CANARY}}`, /does not parse as JSON/],
  ["JSON without private_key", JSON.stringify({ client_email: CANARY }), /without a string "private_key"/],
  ["JSON whose private_key is no PEM", JSON.stringify({ private_key: CANARY }), /does not parse as an unencrypted PEM/],
  ["a PEM that does not parse", `-----BEGIN PRIVATE KEY-----\n${CANARY}\n-----END PRIVATE KEY-----\n`, /does not parse/],
  ["a public key", rsa.publicKey.export({ type: "spki", format: "pem" }), /does not parse as an unencrypted PEM/],
  ["an EC key", otherPem("ec", { namedCurve: "P-256" }), /of type ec, not RSA/],
  ["an Ed25519 key", otherPem("ed25519"), /of type ed25519, not RSA/],
  ["a 1024-bit RSA key", otherPem("rsa", { modulusLength: 1024 }), new RegExp(`1024 bits; RS256 here needs at least ${MIN_RSA_BITS}`)],
  ["bytes that are not UTF-8", Uint8Array.of(0xff, 0xfe, 0x00), /not UTF-8 text/],
];

test("the sealer signs with a sealed key file or PEM key; the signature verifies with its public key", () => {
  const sealer = newSealer();
  const pkcs1 = rsa.privateKey.export({ type: "pkcs1", format: "pem" });
  // The key file; the PEM alone (PKCS#8, PKCS#1), with spaces around; a key file whose
  // line breaks were escaped once too often on the way.
  for (const plaintext of [KEY_FILE, PEM, pkcs1, `\n  ${PEM}\n`, JSON.stringify({ private_key: PEM.replace(/\n/g, "\\n") })]) {
    const sealed = sealer.seal(enc.encode(plaintext), AD);
    const signature = sealer.signRs256(sealed, AD, DATA);
    assert.ok(signature instanceof Uint8Array);
    assert.equal(signature.length, 256);
    assert.ok(verifies(signature), "RS256 of the data");
    assert.ok(!verifies(signature, enc.encode("other data")));
    // RSASSA-PKCS1-v1_5 is deterministic: what crypto.sign makes with the key itself.
    assert.deepEqual(Buffer.from(signature), crypto.sign("sha256", DATA, rsa.privateKey));
  }
});

test("a sealed key opens only for its owner, under its deployment key: null, never a signature", () => {
  const sealer = newSealer();
  const sealed = sealer.seal(enc.encode(KEY_FILE), AD);
  assert.equal(sealer.signRs256(sealed, enc.encode("dirbridge.secret.v1\0acme\0c2\0google-service-account"), DATA), null);
  assert.equal(sealer.signRs256(sealed.slice(0, -3), AD, DATA), null);
  assert.equal(sealer.signRs256("dbs1.!!", AD, DATA), null);
  assert.equal(sealer.signRs256("not sealed", AD, DATA), null);
  assert.equal(newSealer().signRs256(sealed, AD, DATA), null);
});

test("a plaintext that is no usable RSA key is an UnusableKeyError that never quotes it", () => {
  const sealer = newSealer();
  for (const [label, plaintext, reason] of NOT_KEYS) {
    const bytes = typeof plaintext === "string" ? enc.encode(plaintext) : plaintext;
    const sealed = sealer.seal(bytes, AD);
    assert.throws(
      () => sealer.signRs256(sealed, AD, DATA),
      (e) => {
        assert.ok(e instanceof UnusableKeyError, label);
        assert.equal(e.code, UNUSABLE_KEY, label);
        assert.match(e.message, reason, label);
        assert.ok(!e.message.includes(CANARY_PART), `${label}: the reason quotes the secret`);
        assert.ok(!e.message.includes("BEGIN"), `${label}: the reason quotes the key`);
        assert.ok(!String(e.stack).includes(CANARY_PART), `${label}: the stack quotes the secret`);
        assert.equal(e.cause, undefined, `${label}: no cause that could quote it`);
        return true;
      },
    );
  }
});

test("without a usable DIRBRIDGE_SECRET_KEY signing throws as sealing does, naming the setting", () => {
  const sealed = newSealer().seal(enc.encode(KEY_FILE), AD);
  for (const [key, reason] of [
    [undefined, /^DIRBRIDGE_SECRET_KEY is not set/],
    [Buffer.alloc(16).toString("base64"), /^DIRBRIDGE_SECRET_KEY must decode to 32 bytes/],
  ]) {
    const sealer = makeSealer(key, randomBytes);
    assert.throws(() => sealer.signRs256(sealed, AD, DATA), (e) => {
      assert.match(e.message, reason);
      assert.notEqual(e.code, UNUSABLE_KEY);
      // The same words as seal's, so the module's 503 reads the same.
      assert.throws(() => sealer.seal(enc.encode("x"), AD), { message: e.message });
      return true;
    });
  }
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

// Calls secret_sign_rs256 through `sign(...six ints)` and reads the result slot through
// `take(dst)`: {rc, bytes} (bytes: the slot's signature or reason).
function callSign({ view, spans, free }, sign, take) {
  const [[sp, sl], [ap, al], [dp, dl]] = spans;
  const rc = sign(sp, sl, ap, al, dp, dl);
  if (rc === RC_ABSENT) return { rc };
  const n = rc >= 0 ? rc : -rc - 1;
  take(free);
  return { rc, bytes: view().slice(free, free + n) };
}

const hostWith = (sealer) => ({ signRs256: sealer.signRs256 });

// Every case of the import, run through `importsFor(host, view)` -> {sign, take}.
function checkImport(importsFor) {
  const sealer = newSealer();
  const sealed = sealer.seal(enc.encode(KEY_FILE), AD);
  const run = (host, sealedText, ad = AD, data = DATA) => {
    const mem = memoryWith(sealedText, ad, data);
    const { sign, take } = importsFor(host, mem.view);
    return callSign(mem, sign, take);
  };

  const ok = run(hostWith(sealer), sealed);
  assert.equal(ok.rc, 256);
  assert.ok(verifies(ok.bytes), "the slot holds the signature");

  assert.equal(run(hostWith(sealer), sealed, enc.encode("another owner")).rc, RC_ABSENT);
  assert.equal(run(hostWith(newSealer()), sealed).rc, RC_ABSENT);

  for (const [label, plaintext] of NOT_KEYS) {
    const bytes = typeof plaintext === "string" ? enc.encode(plaintext) : plaintext;
    const failed = run(hostWith(sealer), sealer.seal(bytes, AD));
    assert.ok(failed.rc <= -2, label);
    const reason = new TextDecoder().decode(failed.bytes);
    assert.ok(reason.startsWith(UNUSABLE_KEY_REASON), `${label}: ${reason}`);
    assert.ok(!reason.includes(CANARY_PART), `${label}: the reason quotes the secret`);
  }

  const keyless = run(hostWith(makeSealer(undefined, randomBytes)), sealed);
  assert.ok(keyless.rc <= -2);
  const reason = new TextDecoder().decode(keyless.bytes);
  assert.match(reason, /^secret_sign_rs256: DIRBRIDGE_SECRET_KEY is not set/);
  assert.ok(!reason.startsWith(UNUSABLE_KEY_REASON), "no key is the deployment's failure, not the key's");

  // A host object that misbehaves fails the call, never traps it.
  const odd = run({ signRs256: () => "a string" }, sealed);
  assert.ok(odd.rc <= -2);
  assert.match(new TextDecoder().decode(odd.bytes), /^secret_sign_rs256: signRs256 returned neither bytes nor null/);
  const refused = run(routeHost({}), sealed);
  assert.match(new TextDecoder().decode(refused.bytes), /^secret_sign_rs256: dirbridge_route must not seal, open or sign/);
}

test("the import secret_sign_rs256 (abi.mjs): signature in the slot, -1, and reasons that tell the failures apart", () => {
  checkImport((host, view) => {
    const imports = makeDirbridgeImports(() => host, view);
    return { sign: imports.secret_sign_rs256, take: imports.take_result };
  });
});

test("the Workers build's import (workers/dirbridge_imports.js) forwards to the same import", () => {
  checkImport((host, view) => {
    const library = loadEmscriptenLibrary({ dirbridgeImports: makeDirbridgeImports(() => host, view) });
    return { sign: library.dirbridge_secret_sign_rs256, take: library.dirbridge_take_result };
  });
});

test("every import of host_imports.h is in abi.mjs and in the Emscripten library, with its arity", () => {
  const header = fs.readFileSync(path.join(repo, "wasm/host_imports.h"), "utf8");
  const declared = new Map();
  for (const m of header.matchAll(/DIRBRIDGE_IMPORT\((\w+)\)\s*\n\s*\w+\s+dirbridge_(\w+)\(([^)]*)\);/g)) {
    assert.equal(m[1], m[2]);
    const params = m[3].trim() === "void" ? 0 : m[3].split(",").length;
    declared.set(m[1], params);
  }
  assert.equal(declared.get("secret_sign_rs256"), 6);
  // The module (imported_host.cc) tells an unusable key from a host failure by this prefix.
  assert.equal(/#define DIRBRIDGE_UNUSABLE_KEY_REASON "([^"]*)"/.exec(header)[1], UNUSABLE_KEY_REASON);
  const imports = makeDirbridgeImports(() => ({}), () => new Uint8Array(0));
  const library = loadEmscriptenLibrary({});
  assert.deepEqual(Object.keys(imports).sort(), [...declared.keys()].sort());
  for (const [name, params] of declared) {
    assert.equal(typeof library[`dirbridge_${name}`], "function", `dirbridge_imports.js lacks dirbridge_${name}`);
    assert.equal(library[`dirbridge_${name}`].length, params, `dirbridge_${name}'s parameters`);
  }
  assert.equal(Object.keys(library).length, declared.size);
});

test("the built modules import nothing the hosts do not provide", { skip: !fs.existsSync(path.join(repo, "dist/wasi/modules.json")) && "dist/wasi not built" }, () => {
  const provided = new Set(Object.keys(makeDirbridgeImports(() => ({}), () => new Uint8Array(0))));
  const registry = JSON.parse(fs.readFileSync(path.join(repo, "dist/wasi/modules.json"), "utf8"));
  let signing = 0;
  for (const entry of Object.values(registry)) {
    const mod = new WebAssembly.Module(fs.readFileSync(path.join(repo, "dist/wasi", entry.file)));
    for (const imp of WebAssembly.Module.imports(mod).filter((i) => i.module === "dirbridge")) {
      assert.ok(provided.has(imp.name), `${entry.file} imports dirbridge.${imp.name}`);
      if (imp.name === "secret_sign_rs256") signing++;
    }
  }
  assert.ok(signing > 0, "some module imports secret_sign_rs256");
});
