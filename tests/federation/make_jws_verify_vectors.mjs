// Makes tests/federation/jws_verify_vectors.json, the vectors of JWS signature
// verification with a JWK (Env::VerifyJwsSignature; the import jws_verify of
// wasm/host_imports.h): keys, signatures and expected answers made here with
// node:crypto alone, independently of both implementations under test
// (wasm/native/native_env.cc over OpenSSL, wasm/hosts/jws_verify.mjs over node:crypto),
// which tests/unit/native_env_jws_verify_test.cc, tests/wasi/jws_verify.test.mjs and
// tests/e2e/jws_verify_workerd.test.mjs run every vector through.
//
// Run once; the output is committed (its keys are random, so a second run writes other
// bytes with the same meaning):  node tests/federation/make_jws_verify_vectors.mjs
//
// Each vector: {name, alg, jwk (the JWK's JSON text, exactly as passed), data (the
// signing input), signature (base64url), expected: "valid" | "invalid" | "unusable",
// reason (unusable only: the exact reason both implementations give, after
// "jws_verify: unusable key: " in the import)}.

import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), "jws_verify_vectors.json");

const b64u = (bytes) => Buffer.from(bytes).toString("base64url");
const jwt = (header, payload) => `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
const PAYLOAD = {
  iss: "https://login.example.com/acme/v2.0",
  sub: "00u1ada",
  aud: "dirbridge-acme",
  email: "ada@acme.example",
  iat: 1764000000,
  exp: 1764003600,
  nonce: "n-0S6_WzA2Mj",
};
const RS_DATA = jwt({ alg: "RS256", kid: "rsa-1", typ: "JWT" }, PAYLOAD);
const ES_DATA = jwt({ alg: "ES256", kid: "ec-1", typ: "JWT" }, PAYLOAD);
const TAMPERED_RS_DATA = jwt({ alg: "RS256", kid: "rsa-1", typ: "JWT" }, { ...PAYLOAD, sub: "00u1eve" });
const TAMPERED_ES_DATA = jwt({ alg: "ES256", kid: "ec-1", typ: "JWT" }, { ...PAYLOAD, email: "eve@acme.example" });

const rsa = (bits) => crypto.generateKeyPairSync("rsa", { modulusLength: bits });
const ec = (curve) => crypto.generateKeyPairSync("ec", { namedCurve: curve });
const R1 = rsa(2048);
const R2 = rsa(2048);
const R3072 = rsa(3072);
const R1024 = rsa(1024);
const E1 = ec("P-256");
const E2 = ec("P-256");
const P384 = ec("P-384");

const publicJwk = (pair) => pair.publicKey.export({ format: "jwk" });
const privateJwk = (pair) => pair.privateKey.export({ format: "jwk" });
const rsSign = (pair, data) => crypto.sign("sha256", Buffer.from(data), pair.privateKey);
const esSign = (pair, data) => crypto.sign("sha256", Buffer.from(data), { key: pair.privateKey, dsaEncoding: "ieee-p1363" });

// ES256 signatures whose R||S exercise the DER conversion's edge cases: an R with its
// top bit set (DER needs a 0x00 in front) and an R and an S with a leading zero byte
// (DER drops it). ECDSA signatures are random, so sign until one turns up.
function esSignWhere(pair, data, want) {
  for (let i = 0; i < 100000; i++) {
    const s = esSign(pair, data);
    if (want(s)) return s;
  }
  throw new Error("no such signature in 100000 tries");
}

const vectors = [];
const add = (name, alg, jwk, data, signature, expected, reason) => {
  const v = { name, alg, jwk: typeof jwk === "string" ? jwk : JSON.stringify(jwk), data, signature: b64u(signature), expected };
  if (expected === "unusable") v.reason = reason;
  vectors.push(v);
};

// RS256.
const r1 = publicJwk(R1);
const r1Sig = rsSign(R1, RS_DATA);
const r1Full = { ...r1, kid: "rsa-1", alg: "RS256", use: "sig" };
add("RS256 verifies (a JWKS entry with kid, alg and use)", "RS256", r1Full, RS_DATA, r1Sig, "valid");
add("RS256 verifies (a bare JWK: kty, n, e)", "RS256", r1, RS_DATA, r1Sig, "valid");
add("RS256 verifies with a 3072-bit key", "RS256", publicJwk(R3072), RS_DATA, rsSign(R3072, RS_DATA), "valid");
add('RS256 verifies with "key_ops": ["verify"]', "RS256", { ...r1, key_ops: ["verify"] }, RS_DATA, r1Sig, "valid");
add("RS256 verifies with members it ignores (x5c, x5t, unknown)", "RS256",
  { ...r1Full, x5t: "bm90LWEtdGh1bWJwcmludA", x5c: ["TUlJQw=="], "x-vendor": { nested: [1, 2, { deeper: true }] } },
  RS_DATA, r1Sig, "valid");
add("RS256 verifies with a modulus that has a leading zero byte", "RS256",
  { ...r1, n: b64u(Buffer.concat([Buffer.of(0), Buffer.from(r1.n, "base64url")])) }, RS_DATA, r1Sig, "valid");
add("RS256: the payload was altered", "RS256", r1Full, TAMPERED_RS_DATA, r1Sig, "invalid");
const flipped = Buffer.from(r1Sig);
flipped[100] ^= 0x01;
add("RS256: one bit of the signature flipped", "RS256", r1Full, RS_DATA, flipped, "invalid");
add("RS256: signed by another key", "RS256", r1Full, RS_DATA, rsSign(R2, RS_DATA), "invalid");
add("RS256: the signature is one byte short", "RS256", r1Full, RS_DATA, r1Sig.subarray(1), "invalid");
add("RS256: the signature is one byte long", "RS256", r1Full, RS_DATA, Buffer.concat([Buffer.of(0), r1Sig]), "invalid");
add("RS256: an empty signature", "RS256", r1Full, RS_DATA, Buffer.alloc(0), "invalid");
add("RS256: an ES256 signature", "RS256", r1Full, RS_DATA, esSign(E1, RS_DATA), "invalid");

// ES256.
const e1 = publicJwk(E1);
const e1Full = { ...e1, kid: "ec-1", alg: "ES256", use: "sig" };
const e1Sig = esSign(E1, ES_DATA);
add("ES256 verifies (a JWKS entry with kid, alg and use)", "ES256", e1Full, ES_DATA, e1Sig, "valid");
add("ES256 verifies (a bare JWK: kty, crv, x, y)", "ES256", e1, ES_DATA, e1Sig, "valid");
add("ES256 verifies: R with its top bit set", "ES256", e1, ES_DATA, esSignWhere(E1, ES_DATA, (s) => s[0] >= 0x80 && s[32] < 0x80), "valid");
add("ES256 verifies: R with a leading zero byte", "ES256", e1, ES_DATA, esSignWhere(E1, ES_DATA, (s) => s[0] === 0), "valid");
add("ES256 verifies: S with a leading zero byte", "ES256", e1, ES_DATA, esSignWhere(E1, ES_DATA, (s) => s[32] === 0), "valid");
add("ES256: the payload was altered", "ES256", e1Full, TAMPERED_ES_DATA, e1Sig, "invalid");
const eFlipped = Buffer.from(e1Sig);
eFlipped[40] ^= 0x80;
add("ES256: one bit of S flipped", "ES256", e1Full, ES_DATA, eFlipped, "invalid");
add("ES256: signed by another key", "ES256", e1Full, ES_DATA, esSign(E2, ES_DATA), "invalid");
add("ES256: a 63-byte signature", "ES256", e1Full, ES_DATA, e1Sig.subarray(1), "invalid");
add("ES256: a 65-byte signature", "ES256", e1Full, ES_DATA, Buffer.concat([Buffer.of(0), e1Sig]), "invalid");
add("ES256: the signature in DER (not R||S)", "ES256", e1Full, ES_DATA, crypto.sign("sha256", Buffer.from(ES_DATA), E1.privateKey), "invalid");
add("ES256: R and S zero", "ES256", e1Full, ES_DATA, Buffer.alloc(64), "invalid");
add("ES256: R and S all ones (above the group order)", "ES256", e1Full, ES_DATA, Buffer.alloc(64, 0xff), "invalid");

// Algorithms.
const notAlg = "the algorithm is neither RS256 nor ES256";
add("HS256 is refused", "HS256", r1, RS_DATA, r1Sig, "unusable", notAlg);
add('"none" is refused', "none", r1, RS_DATA, Buffer.alloc(0), "unusable", notAlg);
add("rs256 (lower case) is refused", "rs256", r1, RS_DATA, r1Sig, "unusable", notAlg);
add("RS512 is refused", "RS512", r1, RS_DATA, r1Sig, "unusable", notAlg);
add("an empty algorithm is refused", "", r1, RS_DATA, r1Sig, "unusable", notAlg);
add("ES256 with an RSA key", "ES256", r1, RS_DATA, r1Sig, "unusable", 'ES256 needs a key of type EC (kty "EC")');
add("RS256 with an EC key", "RS256", e1, ES_DATA, e1Sig, "unusable", 'RS256 needs a key of type RSA (kty "RSA")');
add('RS256 with a key whose "alg" is RS512', "RS256", { ...r1, alg: "RS512" }, RS_DATA, r1Sig, "unusable", 'the JWK\'s "alg" is not RS256');
add('ES256 with a key whose "alg" is ES384', "ES256", { ...e1, alg: "ES384" }, ES_DATA, e1Sig, "unusable", 'the JWK\'s "alg" is not ES256');
add('a key whose "alg" is not a string', "RS256", { ...r1, alg: null }, RS_DATA, r1Sig, "unusable", 'the JWK\'s "alg" is not RS256');

// Keys that are no usable key.
add("a 1024-bit RSA key", "RS256", publicJwk(R1024), RS_DATA, rsSign(R1024, RS_DATA), "unusable",
  "the RSA key has 1024 bits; RS256 here needs at least 2048");
// No key this large is generated (it would take minutes): the bound refuses it before
// any arithmetic, so an odd number of that size stands in for one.
const huge = crypto.randomBytes(1026);
huge[0] |= 0x80;
huge[huge.length - 1] |= 1;
add("an RSA key of more than 8192 bits", "RS256", { kty: "RSA", n: b64u(huge), e: "AQAB" }, RS_DATA, r1Sig, "unusable",
  "the RSA key has 8208 bits; more than 8192 are refused");
const even = Buffer.from(r1.n, "base64url");
even[even.length - 1] &= 0xfe;
add("an even RSA modulus", "RS256", { ...r1, n: b64u(even) }, RS_DATA, r1Sig, "unusable", 'the JWK\'s "n" is no RSA modulus (it is even)');
add("an RSA public exponent of 1", "RS256", { ...r1, e: "AQ" }, RS_DATA, r1Sig, "unusable",
  'the JWK\'s "e" is no RSA exponent (odd, at least 3, at most 64 bits)');
add("an even RSA public exponent", "RS256", { ...r1, e: "AQAA" }, RS_DATA, r1Sig, "unusable",
  'the JWK\'s "e" is no RSA exponent (odd, at least 3, at most 64 bits)');
add("an RSA public exponent of 72 bits", "RS256", { ...r1, e: b64u(Buffer.of(1, 0, 0, 0, 0, 0, 0, 1, 1)) }, RS_DATA, r1Sig, "unusable",
  'the JWK\'s "e" is no RSA exponent (odd, at least 3, at most 64 bits)');
add('an RSA key without "e"', "RS256", { kty: "RSA", n: r1.n }, RS_DATA, r1Sig, "unusable", 'the JWK\'s "e" is not base64url');
add('"n" with base64 padding', "RS256", { ...r1, n: `${r1.n}==` }, RS_DATA, r1Sig, "unusable", 'the JWK\'s "n" is not base64url');
add('"n" in the base64 alphabet (+ and /)', "RS256", { ...r1, n: Buffer.from(r1.n, "base64url").toString("base64").replace(/=+$/, "") },
  RS_DATA, r1Sig, "unusable", 'the JWK\'s "n" is not base64url');
add('"n" as a number', "RS256", { ...r1, n: 65537 }, RS_DATA, r1Sig, "unusable", 'the JWK\'s "n" is not base64url');
add("an RSA private key (with d, p, q, ...)", "RS256", privateJwk(R1), RS_DATA, r1Sig, "unusable",
  'the JWK holds the private member "d": a key set holds public keys only');
add('an RSA key with only "p" of the private members', "RS256", { ...r1, p: privateJwk(R1).p }, RS_DATA, r1Sig, "unusable",
  'the JWK holds the private member "p": a key set holds public keys only');
add("an EC private key (with d)", "ES256", privateJwk(E1), ES_DATA, e1Sig, "unusable",
  'the JWK holds the private member "d": a key set holds public keys only');
add('a key with "use": "enc"', "RS256", { ...r1, use: "enc" }, RS_DATA, r1Sig, "unusable", 'the JWK\'s "use" is not "sig"');
add('an EC key with "use": "enc"', "ES256", { ...e1, use: "enc" }, ES_DATA, e1Sig, "unusable", 'the JWK\'s "use" is not "sig"');
add('a key with "key_ops": ["encrypt"]', "RS256", { ...r1, key_ops: ["encrypt"] }, RS_DATA, r1Sig, "unusable",
  'the JWK\'s "key_ops" does not hold "verify"');
add('a key with "key_ops": "verify" (not an array)', "RS256", { ...r1, key_ops: "verify" }, RS_DATA, r1Sig, "unusable",
  'the JWK\'s "key_ops" does not hold "verify"');
add('a symmetric key (kty "oct")', "RS256", { kty: "oct", k: b64u(crypto.randomBytes(32)) }, RS_DATA, r1Sig, "unusable",
  'RS256 needs a key of type RSA (kty "RSA")');
add("a P-384 key", "ES256", publicJwk(P384), ES_DATA, e1Sig, "unusable", 'ES256 needs a key on the curve P-256 (crv "P-256")');
add('an EC key without "crv"', "ES256", { kty: "EC", x: e1.x, y: e1.y }, ES_DATA, e1Sig, "unusable",
  'ES256 needs a key on the curve P-256 (crv "P-256")');
add("an Ed25519 key", "ES256", crypto.generateKeyPairSync("ed25519").publicKey.export({ format: "jwk" }), ES_DATA, e1Sig, "unusable",
  'ES256 needs a key of type EC (kty "EC")');
add('"x" of 31 bytes', "ES256", { ...e1, x: b64u(Buffer.from(e1.x, "base64url").subarray(1)) }, ES_DATA, e1Sig, "unusable",
  'the JWK\'s "x" is not 32 bytes of base64url');
add('"y" of 33 bytes', "ES256", { ...e1, y: b64u(Buffer.concat([Buffer.of(0), Buffer.from(e1.y, "base64url")])) }, ES_DATA, e1Sig,
  "unusable", 'the JWK\'s "y" is not 32 bytes of base64url');
// 32 bytes take 43 characters, the last of which carries 4 bits: set one of its 2 unused.
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const strayX = e1.x.slice(0, -1) + alphabet[alphabet.indexOf(e1.x.at(-1)) | 1];
add('"x" with stray bits in its last character', "ES256", { ...e1, x: strayX }, ES_DATA, e1Sig, "unusable",
  'the JWK\'s "x" is not 32 bytes of base64url');
add("a point off the curve", "ES256", { ...e1, y: e1.x }, ES_DATA, e1Sig, "unusable", "the JWK's point is not on the curve P-256");

// Text that is no JWK.
const noJson = "the JWK does not parse as JSON";
add("malformed JSON", "RS256", `{"kty": "RSA", "n": "${r1.n}", "e": AQAB}`, RS_DATA, r1Sig, "unusable", noJson);
add("JSON cut short", "RS256", JSON.stringify(r1).slice(0, -1), RS_DATA, r1Sig, "unusable", noJson);
add("JSON with trailing text", "RS256", `${JSON.stringify(r1)} {}`, RS_DATA, r1Sig, "unusable", noJson);
add("empty text", "RS256", "", RS_DATA, r1Sig, "unusable", noJson);
add("a byte order mark before the JSON", "RS256", `\ufeff${JSON.stringify(r1)}`, RS_DATA, r1Sig, "unusable", noJson);
add("a lone surrogate escape in a member", "RS256", JSON.stringify({ ...r1, kid: "KID" }).replace('"kid":"KID"', '"kid":"\\ud800"'), RS_DATA, r1Sig,
  "unusable", noJson);
add("a JWKS (keys: [...]) instead of one JWK", "RS256", { keys: [r1] }, RS_DATA, r1Sig, "unusable", 'the JWK has no string "kty"');
add("a JSON array", "RS256", [r1], RS_DATA, r1Sig, "unusable", "the JWK is not a JSON object");
add("JSON null", "RS256", "null", RS_DATA, r1Sig, "unusable", "the JWK is not a JSON object");
add("a JSON string", "RS256", JSON.stringify(JSON.stringify(r1)), RS_DATA, r1Sig, "unusable", "the JWK is not a JSON object");
add('"kty" as a number', "RS256", { ...r1, kty: 1 }, RS_DATA, r1Sig, "unusable", 'the JWK has no string "kty"');

// The size bound, at its edge: a key padded with an ignored member to exactly 16384
// bytes verifies; one byte more is refused.
const MAX = 16 * 1024;
const padTo = (jwk, size) => {
  const base = JSON.stringify({ ...jwk, pad: "" });
  return JSON.stringify({ ...jwk, pad: "p".repeat(size - base.length) });
};
add("a JWK of exactly 16384 bytes", "RS256", padTo(r1Full, MAX), RS_DATA, r1Sig, "valid");
add("a JWK of 16385 bytes", "RS256", padTo(r1Full, MAX + 1), RS_DATA, r1Sig, "unusable", "the JWK is longer than 16384 bytes");

for (const v of vectors) if (v.jwk.length > MAX + 1 && !v.name.includes("16385")) throw new Error(`${v.name}: too long`);
fs.writeFileSync(
  out,
  JSON.stringify(
    {
      about:
        "JWS signature verification with a JWK (RS256, ES256): made by tests/federation/make_jws_verify_vectors.mjs " +
        "with node:crypto; run by tests/unit/native_env_jws_verify_test.cc, tests/wasi/jws_verify.test.mjs and " +
        "tests/e2e/jws_verify_workerd.test.mjs. signature is base64url; reason is what follows " +
        '"jws_verify: unusable key: ".',
      vectors,
    },
    null,
    1,
  ) + "\n",
);
console.log(`${vectors.length} vectors -> ${path.relative(process.cwd(), out)}`);
