// Sealed secrets, the host's half (wasm/host_imports.h, secret_seal / secret_open):
// AES-256-GCM from node:crypto (Node, and workerd with the nodejs_compat flag) under
// the deployment's secret key, DIRBRIDGE_SECRET_KEY. Only the host holds the key:
// config_get never hands it to a module (it is not among either host's CONFIG_NAMES).
//
// Sealed text: "dbs1." + base64url(nonce[12] || ciphertext || tag[16]), no padding.
// The nonce is random per seal (at most 2^32 seals per key keeps the collision risk
// negligible, far above what a tenant's connections need). The associated data binds
// a sealed value to its owner (tenancy/sealed_secrets.h makes it from the tenant,
// the connection and the secret's name), so a value copied to another owner does not open.
//
// A host whose key is missing or malformed still starts: every seal and open throws
// an Error whose message says what to set (the module answers 503 with it).

import { Buffer } from "node:buffer";
import crypto from "node:crypto";

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

// {seal(plaintext, associated) -> text, open(text, associated) -> Uint8Array | null}
// for the host object of wasm/hosts/abi.mjs. `randomBytes(n)` gives the nonces.
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
  return {
    seal(plaintext, associated) {
      const k = needKey();
      const nonce = Buffer.from(randomBytes(NONCE_BYTES));
      const cipher = crypto.createCipheriv("aes-256-gcm", k, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(associated));
      const body = Buffer.concat([cipher.update(Buffer.from(plaintext)), cipher.final()]);
      return SEALED_PREFIX + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64url");
    },
    open(text, associated) {
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
    },
  };
}
