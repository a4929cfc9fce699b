// JWS signature verification, the host's half (wasm/host_imports.h, jws_verify): RS256
// and ES256 with a public key given as a JWK (RFC 7517), for OpenID Connect ID tokens,
// whose signatures the C++ core (which has no RSA or EC) cannot check. node:crypto, in
// Node and in workerd with the nodejs_compat flag.
//
// It needs no secret, so it is a pure function of its arguments: every host object of
// a tenant call has it (the router's refuses it, as it refuses sealing: routing needs
// no signature). wasm/native/native_env.cc is the same function over OpenSSL, with the
// same refusals, bounds and reasons; tests/federation/jws_verify_vectors.json pins
// both, and the import chain under node and workerd.
//
// The JWK comes from a JWKS the IdP publishes, so it is parsed strictly and every check
// is made here, in this order, before node:crypto sees it (the native host makes the
// same ones in the same order, so both refuse a key with the same reason):
//   the algorithm is RS256 or ES256; the text is at most MAX_JWK_BYTES; it parses as
//   JSON; it is an object; its "kty" is a string, and "RSA" for RS256, "EC" for ES256;
//   it holds no private member (a JWKS holds public keys only); "alg", when present,
//   is the algorithm; "use", when present, is "sig"; "key_ops", when present, is an
//   array holding "verify"; then the key material: RSA's "n" and "e" are base64url
//   (no padding), the modulus odd with MIN_RSA_BITS to MAX_RSA_BITS bits (the upper
//   bound bounds the work a key makes), the exponent odd, at least 3 and at most 64
//   bits; EC's "crv" is "P-256" and "x" and "y" 32 bytes of base64url each, a point
//   on the curve.
// Reasons say what is wrong and never quote the JWK, the algorithm or node's errors
// (JSON.parse's and OpenSSL's can quote their input).
//
// workerd's node:crypto does not take a KeyObject with options ({key, dsaEncoding}:
// it refuses the KeyObject), so ES256's R||S (RFC 7518 §3.4) is turned into the DER
// ECDSA-Sig-Value node:crypto verifies by default, here, exactly as the native host
// does for OpenSSL. WebCrypto would take R||S as is, but it is asynchronous, and a wasm
// import must answer synchronously.

import { Buffer } from "node:buffer";
import crypto from "node:crypto";

import { UNUSABLE_JWK } from "./abi.mjs";

// The largest JWK text taken: an 8192-bit RSA key with its members is about 1.5 KiB;
// x5c certificate chains make JWKs larger but stay far under this.
export const MAX_JWK_BYTES = 16 * 1024;
// The RSA moduli taken: RS256 keys are 2048 bits or more (RFC 7518 §3.3); beyond 8192
// the work of one verification grows for no gain.
export const MIN_RSA_BITS = 2048;
export const MAX_RSA_BITS = 8192;
// The largest RSA public exponent taken (real ones are 65537).
const MAX_RSA_EXPONENT_BYTES = 8;
// ES256's point coordinates and signature halves (RFC 7518 §3.4, §6.2.1.2).
const P256_BYTES = 32;
// Members that only a private key has (RFC 7518 §6.2.2, §6.3.2, §6.4.1).
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

export { UNUSABLE_JWK };
// Thrown by verifyJws when the algorithm is neither RS256 nor ES256 or the JWK is no
// usable key for it: `code` is UNUSABLE_JWK, which the glue (abi.mjs) reports as such
// (the module answers 400, not 503).
export class UnusableJwkError extends Error {
  constructor(message) {
    super(message);
    this.name = "UnusableJwkError";
    this.code = UNUSABLE_JWK;
  }
}

const unusable = (message) => new UnusableJwkError(message);
// ignoreBOM: a byte order mark stays in the text (and JSON.parse refuses it, as the
// native host does) instead of being dropped unseen.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

// base64url without padding (RFC 7515 §2), as its one canonical spelling (no stray
// bits in the last character), or null.
function base64url(v) {
  if (typeof v !== "string" || !/^[A-Za-z0-9_-]*$/.test(v) || v.length % 4 === 1) return null;
  const bytes = Buffer.from(v, "base64url");
  return bytes.toString("base64url") === v ? bytes : null;
}

// Big-endian bytes without their leading zeros.
function stripLeadingZeros(bytes) {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

// The bit length of a big-endian unsigned integer without leading zero bytes.
function bitLength(bytes) {
  return bytes.length === 0 ? 0 : (bytes.length - 1) * 8 + (32 - Math.clz32(bytes[0]));
}

// The key of `doc` for RS256: {key, signatureBytes}. Throws UnusableJwkError.
function rsaKey(doc) {
  const nBytes = base64url(doc.n);
  if (nBytes === null) throw unusable('the JWK\'s "n" is not base64url');
  const eBytes = base64url(doc.e);
  if (eBytes === null) throw unusable('the JWK\'s "e" is not base64url');
  const n = stripLeadingZeros(nBytes);
  const bits = bitLength(n);
  if (bits < MIN_RSA_BITS) throw unusable(`the RSA key has ${bits} bits; RS256 here needs at least ${MIN_RSA_BITS}`);
  if (bits > MAX_RSA_BITS) throw unusable(`the RSA key has ${bits} bits; more than ${MAX_RSA_BITS} are refused`);
  if ((n[n.length - 1] & 1) === 0) throw unusable('the JWK\'s "n" is no RSA modulus (it is even)');
  const e = stripLeadingZeros(eBytes);
  if (e.length === 0 || e.length > MAX_RSA_EXPONENT_BYTES || (e[e.length - 1] & 1) === 0 || (e.length === 1 && e[0] < 3)) {
    throw unusable('the JWK\'s "e" is no RSA exponent (odd, at least 3, at most 64 bits)');
  }
  let key;
  try {
    key = crypto.createPublicKey({ key: { kty: "RSA", n: doc.n, e: doc.e }, format: "jwk" });
  } catch {
    throw unusable("the JWK is not a valid RSA public key");
  }
  return { key, signatureBytes: Math.ceil(bits / 8) };
}

// The key of `doc` for ES256: {key, signatureBytes}. Throws UnusableJwkError.
function ecKey(doc) {
  if (doc.crv !== "P-256") throw unusable('ES256 needs a key on the curve P-256 (crv "P-256")');
  for (const m of ["x", "y"]) {
    const bytes = base64url(doc[m]);
    if (bytes === null || bytes.length !== P256_BYTES) throw unusable(`the JWK's "${m}" is not ${P256_BYTES} bytes of base64url`);
  }
  let key;
  try {
    key = crypto.createPublicKey({ key: { kty: "EC", crv: "P-256", x: doc.x, y: doc.y }, format: "jwk" });
  } catch {
    throw unusable("the JWK's point is not on the curve P-256");
  }
  return { key, signatureBytes: 2 * P256_BYTES };
}

// One unsigned big-endian integer as a DER INTEGER (minimal, non-negative).
function derInteger(bytes) {
  let v = stripLeadingZeros(bytes);
  if (v.length === 0 || v[0] & 0x80) v = Buffer.concat([Buffer.of(0), v]);
  return Buffer.concat([Buffer.of(0x02, v.length), v]);
}

// ES256's R||S (64 bytes) as the DER ECDSA-Sig-Value of RFC 3279 §2.2.3 (at most 72
// bytes, so every length fits one byte).
export function p1363ToDer(signature) {
  const half = signature.length / 2;
  const body = Buffer.concat([derInteger(signature.subarray(0, half)), derInteger(signature.subarray(half))]);
  return Buffer.concat([Buffer.of(0x30, body.length), body]);
}

// The public key a JWK (its JSON text, a string or UTF-8 bytes) gives for `alg`:
// {key, signatureBytes} (the length a signature must have). Throws UnusableJwkError;
// see the top of this file for the checks.
export function jwkVerifyingKey(alg, jwkText) {
  if (alg !== "RS256" && alg !== "ES256") throw unusable("the algorithm is neither RS256 nor ES256");
  let text = jwkText;
  if (text instanceof Uint8Array) {
    if (text.length > MAX_JWK_BYTES) throw unusable(`the JWK is longer than ${MAX_JWK_BYTES} bytes`);
    try {
      text = strictUtf8.decode(text);
    } catch {
      // JSON text is UTF-8 (RFC 8259 §8.1): what is not does not parse.
      throw unusable("the JWK does not parse as JSON");
    }
  }
  if (typeof text !== "string") throw new Error("verifyJws needs the JWK as text or its UTF-8 bytes");
  if (Buffer.byteLength(text, "utf8") > MAX_JWK_BYTES) throw unusable(`the JWK is longer than ${MAX_JWK_BYTES} bytes`);
  let doc;
  try {
    // A lone surrogate escape ("\ud800") is no Unicode text; nlohmann::json (the native
    // host) refuses it, so this does too.
    doc = JSON.parse(text, (key, value) => {
      if (!key.isWellFormed() || (typeof value === "string" && !value.isWellFormed())) throw new Error("not Unicode");
      return value;
    });
  } catch {
    throw unusable("the JWK does not parse as JSON");
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw unusable("the JWK is not a JSON object");
  const has = (m) => Object.hasOwn(doc, m);
  if (!has("kty") || typeof doc.kty !== "string") throw unusable('the JWK has no string "kty"');
  const kty = alg === "RS256" ? "RSA" : "EC";
  if (doc.kty !== kty) throw unusable(`${alg} needs a key of type ${kty} (kty "${kty}")`);
  for (const m of PRIVATE_MEMBERS) {
    if (has(m)) throw unusable(`the JWK holds the private member "${m}": a key set holds public keys only`);
  }
  if (has("alg") && doc.alg !== alg) throw unusable(`the JWK's "alg" is not ${alg}`);
  if (has("use") && doc.use !== "sig") throw unusable('the JWK\'s "use" is not "sig"');
  if (has("key_ops") && !(Array.isArray(doc.key_ops) && doc.key_ops.includes("verify"))) {
    throw unusable('the JWK\'s "key_ops" does not hold "verify"');
  }
  return alg === "RS256" ? rsaKey(doc) : ecKey(doc);
}

// Verifies the JWS signature `signature` (raw bytes, base64url-decoded) of `data` (the
// signing input "header.payload", bytes) with the public key `jwkText` (a JWK's JSON
// text, a string or its UTF-8 bytes, as the glue passes it) for `alg` ("RS256" or
// "ES256"): true or false (a signature of the wrong length is false). Throws
// UnusableJwkError when the algorithm or the key is not usable.
export function verifyJws(alg, jwkText, data, signature) {
  const { key, signatureBytes } = jwkVerifyingKey(alg, jwkText);
  if (!(data instanceof Uint8Array) || !(signature instanceof Uint8Array)) {
    throw new Error("verifyJws needs the data and the signature as bytes");
  }
  if (signature.length !== signatureBytes) return false;
  const sig = alg === "ES256" ? p1363ToDer(signature) : Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength);
  try {
    return crypto.verify("sha256", Buffer.from(data.buffer, data.byteOffset, data.byteLength), key, sig);
  } catch {
    // OpenSSL failing on a signature it was given (as the native host's EVP_DigestVerify
    // answering < 0) means it does not verify.
    return false;
  }
}
