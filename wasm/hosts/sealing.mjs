// Sealed secrets, the host's half (wasm/host_imports.h, secret_seal / secret_open /
// secret_sign_rs256): AES-256-GCM from node:crypto (Node, and workerd with the
// nodejs_compat flag) under the deployment's secret key, DIRBRIDGE_SECRET_KEY. Only
// the host holds the key: config_get never hands it to a module (it is not among
// either host's CONFIG_NAMES).
//
// Sealed text: "dbs1." + base64url(nonce[12] || ciphertext || tag[16]), no padding.
// The nonce is random per seal (at most 2^32 seals per key keeps the collision risk
// negligible, far above what a tenant's connections need). The associated data binds
// a sealed value to its owner (tenancy/sealed_secrets.h makes it from the tenant,
// the connection and the secret's name), so a value copied to another owner does not open.
//
// A host whose key is missing or malformed still starts: every seal and open throws
// an Error whose message says what to set (the module answers 503 with it).
//
// Signing with a sealed key (host_imports.h, secret_sign_rs256): a Google
// service-account key is stored sealed like any secret, and the host opens it and
// signs with it here, so the private key never enters a module's memory (the C++
// core has no RSA). RS256 is RSASSA-PKCS1-v1_5 over SHA-256, crypto.sign("sha256",
// data, key) in node:crypto and in workerd's nodejs_compat.

import { Buffer } from "node:buffer";
import crypto from "node:crypto";

import { UNUSABLE_KEY } from "./abi.mjs";

export const SECRET_KEY_SETTING = "DIRBRIDGE_SECRET_KEY";
export const SEALED_PREFIX = "dbs1.";
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

// DIRBRIDGE_SECRET_KEY as 32 key bytes: base64 or base64url text of exactly 32 bytes
// (`openssl rand -base64 32`). Throws with a message that never quotes the value.
export function parseSecretKey(text) {
  if (typeof text !== "string" || text.trim() === "") {
    throw new Error(
      `${SECRET_KEY_SETTING} is not set: sealed secrets need a 32-byte key in base64 ` +
        "(e.g. `openssl rand -base64 32`; on Workers: npx wrangler secret put DIRBRIDGE_SECRET_KEY)",
    );
  }
  const t = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) {
    throw new Error(`${SECRET_KEY_SETTING} is not base64 text`);
  }
  const key = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (key.length !== KEY_BYTES) {
    throw new Error(`${SECRET_KEY_SETTING} must decode to ${KEY_BYTES} bytes, not ${key.length}`);
  }
  return key;
}

// Thrown by signRs256 when the sealed text opens but what it holds is no key to sign
// with: `code` is UNUSABLE_KEY, which the glue (abi.mjs) reports as such (the module
// answers 400, not 503). Its message never quotes the plaintext.
export { UNUSABLE_KEY };
export class UnusableKeyError extends Error {
  constructor(message) {
    super(message);
    this.name = "UnusableKeyError";
    this.code = UNUSABLE_KEY;
  }
}

// The smallest RSA modulus signRs256 accepts (Google's service-account keys are 2048).
export const MIN_RSA_BITS = 2048;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

// The private key in an opened secret: a service-account key file (JSON with a string
// `private_key`) or the PEM text itself. Throws UnusableKeyError for anything else;
// the messages say what was wrong with the secret, never what it holds (JSON.parse
// and OpenSSL errors can quote their input, so neither is passed on).
export function rsaSigningKey(plain) {
  let text;
  try {
    text = strictUtf8.decode(plain).trim();
  } catch {
    throw new UnusableKeyError("the secret is not UTF-8 text, so neither a key file nor a PEM key");
  }
  let pem = text;
  if (text.startsWith("{")) {
    let doc;
    try {
      doc = JSON.parse(text);
    } catch {
      throw new UnusableKeyError("the secret starts like JSON but does not parse as JSON");
    }
    if (!doc || typeof doc !== "object" || Array.isArray(doc) || typeof doc.private_key !== "string") {
      throw new UnusableKeyError("the secret is a JSON object without a string \"private_key\" (a service-account key file has one)");
    }
    pem = doc.private_key;
  } else if (!text.startsWith("-----BEGIN ")) {
    throw new UnusableKeyError("the secret is neither a service-account key file (JSON) nor a PEM private key");
  }
  // A key pasted through an environment variable often arrives with its line breaks
  // escaped ("\\n"); PEM needs real ones.
  if (!pem.includes("\n") && pem.includes("\\n")) pem = pem.replace(/\\n/g, "\n");
  let key;
  try {
    key = crypto.createPrivateKey({ key: pem, format: "pem" });
  } catch {
    throw new UnusableKeyError("the secret's private key does not parse as an unencrypted PEM private key");
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw new UnusableKeyError(`the secret's private key is of type ${key.asymmetricKeyType || "unknown"}, not RSA`);
  }
  const bits = key.asymmetricKeyDetails && key.asymmetricKeyDetails.modulusLength;
  if (!(bits >= MIN_RSA_BITS)) {
    throw new UnusableKeyError(`the secret's RSA key has ${bits || "an unknown number of"} bits; RS256 here needs at least ${MIN_RSA_BITS}`);
  }
  return key;
}

// {seal(plaintext, associated) -> text, open(text, associated) -> Uint8Array | null,
//  signRs256(text, associated, data) -> Uint8Array | null} for the host object of
// wasm/hosts/abi.mjs. `randomBytes(n)` gives the nonces. The methods do not use
// `this`: hosts copy them onto their host objects.
export function makeSealer(keyText, randomBytes) {
  let key = null;
  let problem = null;
  try {
    key = parseSecretKey(keyText);
  } catch (e) {
    problem = e.message;
  }
  const needKey = () => {
    if (!key) throw new Error(problem);
    return key;
  };
  const seal = (plaintext, associated) => {
    const k = needKey();
    const nonce = Buffer.from(randomBytes(NONCE_BYTES));
    const cipher = crypto.createCipheriv("aes-256-gcm", k, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associated));
    const body = Buffer.concat([cipher.update(Buffer.from(plaintext)), cipher.final()]);
    return SEALED_PREFIX + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64url");
  };
  const open = (text, associated) => {
    const k = needKey();
    if (typeof text !== "string" || !text.startsWith(SEALED_PREFIX)) return null;
    const b64 = text.slice(SEALED_PREFIX.length);
    if (!/^[A-Za-z0-9_-]*$/.test(b64)) return null;
    const raw = Buffer.from(b64, "base64url");
    if (raw.length < NONCE_BYTES + TAG_BYTES) return null;
    const nonce = raw.subarray(0, NONCE_BYTES);
    const tag = raw.subarray(raw.length - TAG_BYTES);
    const body = raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES);
    try {
      const decipher = crypto.createDecipheriv("aes-256-gcm", k, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(associated));
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(body), decipher.final()]);
      return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
    } catch {
      return null; // the tag does not verify
    }
  };
  // Opens `text` as open does (null when it does not open; throws without a usable
  // DIRBRIDGE_SECRET_KEY) and signs `data` with the RSA key it holds: the raw RS256
  // signature (as many bytes as the modulus). UnusableKeyError when it holds no such
  // key. The opened plaintext is zeroed once the key object is made.
  const signRs256 = (text, associated, data) => {
    const plain = open(text, associated);
    if (plain === null) return null;
    let signingKey;
    try {
      signingKey = rsaSigningKey(plain);
    } finally {
      plain.fill(0);
    }
    const signature = crypto.sign("sha256", Buffer.from(data), signingKey);
    return new Uint8Array(signature.buffer, signature.byteOffset, signature.byteLength);
  };
  return { seal, open, signRs256 };
}
