// The dirbridge host ABI (wasm/host_imports.h, wasm/module_exports.h) in JavaScript:
// byte formats, the result slot, the "dirbridge" import functions built from a host
// object (wasm/hosts/host_contract.md), and one call into a module export. This is
// the only JavaScript copy of the byte formats: the WASI host passes these imports to
// its instances, and the Emscripten build's workers/dirbridge_imports.js forwards each
// of its imports to them. Everything the hosts share above the byte level is in
// host_runtime.mjs.
//
// Memory can grow during any call into the module, which detaches the old
// ArrayBuffer; so every function here takes `view`, a function returning the
// *current* Uint8Array over the module's memory, and calls it again after each call
// into the module instead of holding on to a view.

const encoder = new TextEncoder();
// fatal: a value that is not UTF-8 must fail loudly, not be stored with U+FFFD in it.
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

export const OP_PUT = 1;
export const OP_DELETE = 2;

// Orders strings by Unicode code point, i.e. by the bytes of their UTF-8 encoding,
// which is the order host_imports.h promises. `a < b` compares UTF-16 code units and
// differs only when surrogates meet U+E000..U+FFFF, so the fast path is plain `<`.
export function compareKeys(a, b) {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates (astral code points) sort after U+E000..U+FFFF in code point order.
      x = x < 0xe000 ? x + 0x2000 : x - 0x800;
      y = y < 0xe000 ? y + 0x2000 : y - 0x800;
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

// The smallest string that sorts strictly after `s`: lets stores whose list start is
// inclusive implement the ABI's exclusive start_after.
export function successorKey(s) {
  return s + "\u0000";
}

// [[key, value], ...] -> [u32 key_len][key][u32 value_len][value]... (little-endian).
export function encodeKvList(entries) {
  const parts = [];
  let total = 0;
  for (const [k, v] of entries) {
    const kb = encoder.encode(k);
    const vb = encoder.encode(v);
    parts.push(kb, vb);
    total += 8 + kb.length + vb.length;
  }
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  let p = 0;
  for (const b of parts) {
    dv.setUint32(p, b.length, true);
    out.set(b, p + 4);
    p += 4 + b.length;
  }
  return out;
}

// [u8 op][u32 key_len][key] (+ [u32 value_len][value] for put)... -> ops for
// host.kvCommit. Throws on a malformed batch so that nothing of it is applied.
export function decodeWriteBatch(bytes) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ops = [];
  let p = 0;
  const readString = (what) => {
    if (p + 4 > bytes.length) throw new Error(`write batch truncated in ${what} length`);
    const n = dv.getUint32(p, true);
    p += 4;
    if (p + n > bytes.length) throw new Error(`write batch truncated in ${what}`);
    let s;
    try {
      s = strictDecoder.decode(bytes.subarray(p, p + n));
    } catch {
      throw new Error(`write batch ${what} is not valid UTF-8`);
    }
    p += n;
    return s;
  };
  while (p < bytes.length) {
    const op = bytes[p++];
    if (op === OP_PUT) {
      const key = readString("key");
      ops.push(["put", key, readString("value")]);
    } else if (op === OP_DELETE) {
      ops.push(["delete", readString("key")]);
    } else {
      throw new Error(`write batch has unknown op ${op} at byte ${p - 1}`);
    }
  }
  return ops;
}

// Inverse of decodeWriteBatch; hosts do not need it, tests and tools do.
export function encodeWriteBatch(ops) {
  const chunks = [];
  for (const op of ops) {
    chunks.push(Uint8Array.of(op[0] === "put" ? OP_PUT : OP_DELETE));
    for (const s of op.slice(1)) {
      const b = encoder.encode(s);
      const len = new Uint8Array(4);
      new DataView(len.buffer).setUint32(0, b.length, true);
      chunks.push(len, b);
    }
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

// Module memory -> JS string (strict: module strings are keys, names and JSON).
export function readString(view, ptr, len) {
  return strictDecoder.decode(view().subarray(ptr, ptr + len));
}

// Copies `bytes` into module memory at `ptr`.
export function writeBytes(view, ptr, bytes) {
  view().set(bytes, ptr);
}

// Random bytes from the platform's CSPRNG. Small requests (ids, nonces: the common
// case, several per write) are served from a pool refilled 4 KiB at a time, since each
// getRandomValues call costs microseconds of binding overhead; bytes leave the pool
// once and are zeroed there as they do.
const POOL_BYTES = 4096;
const POOLED_MAX = 256;
const pool = new Uint8Array(POOL_BYTES);
let poolUsed = POOL_BYTES;

export function randomBytes(n) {
  const out = new Uint8Array(n);
  if (n <= POOLED_MAX) {
    if (POOL_BYTES - poolUsed < n) {
      crypto.getRandomValues(pool);
      poolUsed = 0;
    }
    out.set(pool.subarray(poolUsed, poolUsed + n));
    pool.fill(0, poolUsed, poolUsed + n);
    poolUsed += n;
    return out;
  }
  // getRandomValues refuses more than 65,536 bytes per call.
  for (let p = 0; p < n; p += 65536) crypto.getRandomValues(out.subarray(p, Math.min(n, p + 65536)));
  return out;
}

// Return codes of producing calls (wasm/host_imports.h): rc >= 0 success with rc
// bytes in the result slot; -1 absent; rc <= -2 failure with the host's reason,
// (-rc - 1) bytes, in the slot.
export const RC_ABSENT = -1;

// secret_sign_rs256's failures (host_imports.h): the code a host object's signRs256
// gives an error when the opened secret is no usable RSA key, and the start of the
// reason the module then reads (DIRBRIDGE_UNUSABLE_KEY_REASON in host_imports.h).
export const UNUSABLE_KEY = "DIRBRIDGE_UNUSABLE_KEY";
export const UNUSABLE_KEY_REASON = "secret_sign_rs256: unusable key: ";

// jws_verify's failures (host_imports.h): the code a host object's verifyJws gives an
// error when the algorithm is neither RS256 nor ES256 or the JWK is no usable key for
// it, and the start of the reason the module then reads (DIRBRIDGE_UNUSABLE_JWK_REASON).
export const UNUSABLE_JWK = "DIRBRIDGE_UNUSABLE_JWK";
export const UNUSABLE_JWK_REASON = "jws_verify: unusable key: ";

function reasonOf(e) {
  return e && e.message ? e.message : String(e);
}

// The functions of import module "dirbridge", implemented over a host object.
// `getHost()` returns the host object for the call in progress (it changes per
// request: route has no storage, handle has the tenant's); `view()` the memory.
//
// Every import goes through one guard, so a host object that throws is handled the
// same way everywhere: a producing call (kv_get, kv_list, kv_commit, config_get,
// secret_seal, secret_open, secret_sign_rs256, jws_verify) answers a failure code
// with the reason, which the module turns into an error (a 500 that says the host
// failed; 503 for sealing and verifying); log drops the line; anything else (now_ms,
// random_bytes, take_result) rethrows, which abandons the module call (a trap: the
// host answers 500 and discards the instance).
export function makeDirbridgeImports(getHost, view) {
  // The single result slot of host_imports.h: filled by producing calls, copied out by
  // take_result, overwritten by the next producing call.
  let slot = new Uint8Array(0);
  const fill = (bytes) => {
    slot = bytes;
    return bytes.length;
  };
  // The reason is never empty (it starts with the call's name), so rc <= -2.
  const failed = (call, e) => -fill(encoder.encode(`${call}: ${reasonOf(e)}`)) - 1;
  const PRODUCING = (call, e) => failed(call, e);
  // secret_sign_rs256 tells the module which failure it was: an error whose code is
  // UNUSABLE_KEY (sealing.mjs: the sealed secret holds no usable RSA key) has a reason
  // starting with UNUSABLE_KEY_REASON (the module answers 400); any other (no usable
  // DIRBRIDGE_SECRET_KEY) is the deployment's (503).
  const SIGNING = (call, e) =>
    e && e.code === UNUSABLE_KEY ? -fill(encoder.encode(UNUSABLE_KEY_REASON + reasonOf(e))) - 1 : failed(call, e);
  // jws_verify likewise: an error whose code is UNUSABLE_JWK (jws_verify.mjs: no usable
  // key for the algorithm) has a reason starting with UNUSABLE_JWK_REASON (400); any
  // other is the host's (503).
  const VERIFYING = (call, e) =>
    e && e.code === UNUSABLE_JWK ? -fill(encoder.encode(UNUSABLE_JWK_REASON + reasonOf(e))) - 1 : failed(call, e);
  const DROP = (call, e) => {
    console.error(`dirbridge host: ${call} failed: ${reasonOf(e)}`);
  };
  const TRAP = (call, e) => {
    throw new Error(`dirbridge host: ${call} failed: ${reasonOf(e)}`, { cause: e });
  };
  const guard = (call, onError, fn) =>
    function (...args) {
      try {
        return fn(...args);
      } catch (e) {
        return onError(call, e);
      }
    };
  const text = (v, what) => {
    if (typeof v !== "string") throw new Error(`${what} returned ${typeof v}, not a string`);
    return encoder.encode(v);
  };
  return {
    kv_get: guard("kv_get", PRODUCING, (keyPtr, keyLen) => {
      const v = getHost().kvGet(readString(view, keyPtr, keyLen));
      return v === undefined || v === null ? RC_ABSENT : fill(text(v, "kvGet"));
    }),
    kv_list: guard("kv_list", PRODUCING, (prefixPtr, prefixLen, afterPtr, afterLen, limit) => {
      const entries = getHost().kvList(
        readString(view, prefixPtr, prefixLen),
        readString(view, afterPtr, afterLen),
        limit >>> 0,
      );
      return fill(encodeKvList(entries));
    }),
    kv_commit: guard("kv_commit", PRODUCING, (batchPtr, batchLen) => {
      // A copy: the ops must not alias module memory once they reach the host.
      const ops = decodeWriteBatch(view().slice(batchPtr, batchPtr + batchLen));
      getHost().kvCommit(ops);
      fill(new Uint8Array(0));
      return 0;
    }),
    config_get: guard("config_get", PRODUCING, (namePtr, nameLen) => {
      const v = getHost().config(readString(view, namePtr, nameLen));
      return v === undefined || v === null ? RC_ABSENT : fill(encoder.encode(String(v)));
    }),
    // Sealing (host_imports.h): the host object's seal(plaintext, associated) returns
    // the sealed text; open(sealed, associated) the plaintext bytes, or null when it
    // does not authenticate (-1). Either throws when the host has no usable key.
    // The byte arguments are copies: they must not alias module memory.
    secret_seal: guard("secret_seal", PRODUCING, (plainPtr, plainLen, adPtr, adLen) => {
      const sealed = getHost().seal(view().slice(plainPtr, plainPtr + plainLen), view().slice(adPtr, adPtr + adLen));
      return fill(text(sealed, "seal"));
    }),
    secret_open: guard("secret_open", PRODUCING, (sealedPtr, sealedLen, adPtr, adLen) => {
      const plain = getHost().open(
        new TextDecoder().decode(view().subarray(sealedPtr, sealedPtr + sealedLen)),
        view().slice(adPtr, adPtr + adLen),
      );
      if (plain === null || plain === undefined) return RC_ABSENT;
      if (!(plain instanceof Uint8Array)) throw new Error("open returned neither bytes nor null");
      return fill(plain);
    }),
    // signRs256(sealed, associated, data) opens like open and returns the RS256
    // signature of data (bytes), or null when the text does not open (-1); it throws
    // when the host has no usable key, or an error with code UNUSABLE_KEY when what
    // opened is no RSA key of 2048 bits or more. The key stays in the host.
    secret_sign_rs256: guard("secret_sign_rs256", SIGNING, (sealedPtr, sealedLen, adPtr, adLen, dataPtr, dataLen) => {
      const signature = getHost().signRs256(
        new TextDecoder().decode(view().subarray(sealedPtr, sealedPtr + sealedLen)),
        view().slice(adPtr, adPtr + adLen),
        view().slice(dataPtr, dataPtr + dataLen),
      );
      if (signature === null || signature === undefined) return RC_ABSENT;
      if (!(signature instanceof Uint8Array)) throw new Error("signRs256 returned neither bytes nor null");
      return fill(signature);
    }),
    // verifyJws(alg, jwk, data, signature) returns whether the JWS signature (raw
    // bytes) of data (the signing input) verifies with the public key jwk (a JWK's JSON
    // text, passed as its bytes: verifyJws decodes them, strictly, where it checks the
    // text) for alg: one byte in the slot, 1 verified, 0 not (rc 1). It throws an error
    // with code UNUSABLE_JWK when alg or the key is not usable. alg is decoded leniently
    // (bytes that are not UTF-8 cannot spell RS256 or ES256, and verifyJws says so) but
    // keeps a byte order mark, which no algorithm's name starts with.
    jws_verify: guard("jws_verify", VERIFYING, (algPtr, algLen, jwkPtr, jwkLen, dataPtr, dataLen, sigPtr, sigLen) => {
      const verified = getHost().verifyJws(
        new TextDecoder("utf-8", { ignoreBOM: true }).decode(view().subarray(algPtr, algPtr + algLen)),
        view().slice(jwkPtr, jwkPtr + jwkLen),
        view().slice(dataPtr, dataPtr + dataLen),
        view().slice(sigPtr, sigPtr + sigLen),
      );
      if (typeof verified !== "boolean") throw new Error("verifyJws returned no boolean");
      return fill(Uint8Array.of(verified ? 1 : 0));
    }),
    take_result: guard("take_result", TRAP, (dst) => {
      writeBytes(view, dst, slot);
    }),
    now_ms: guard("now_ms", TRAP, () => getHost().nowMs()),
    random_bytes: guard("random_bytes", TRAP, (dst, len) => {
      const bytes = getHost().randomBytes(len >>> 0);
      if (!(bytes instanceof Uint8Array) || bytes.length !== len >>> 0) {
        throw new Error(`randomBytes(${len >>> 0}) did not return that many bytes`);
      }
      writeBytes(view, dst, bytes);
    }),
    log: guard("log", DROP, (level, msgPtr, msgLen) => {
      // Lenient decoding: a log line is never worth failing a request over.
      const message = new TextDecoder().decode(view().subarray(msgPtr, msgPtr + msgLen));
      getHost().log(level, message);
    }),
  };
}

// Calls export `name` (dirbridge_handle or dirbridge_route) with a JSON envelope and
// returns the answer: the parsed head, with the raw body (module_exports.h) as its
// `body` string when the head is a response. `exports` needs dirbridge_alloc,
// dirbridge_free and `name`; `view` returns the current memory view. Frees the
// request and the answer.
export function callModule(exports, name, envelope, view) {
  const bytes = encoder.encode(JSON.stringify(envelope));
  const req = exports.dirbridge_alloc(bytes.length);
  if (!req) throw new Error(`dirbridge_alloc(${bytes.length}) returned null`);
  writeBytes(view, req, bytes);
  // If this throws (a trap, or a host import that threw), nothing is freed: the heap
  // may be mid-update, and hosts discard the instance after a failed call anyway.
  const res = exports[name](req, bytes.length);
  exports.dirbridge_free(req);
  if (!res) throw new Error(`${name} returned a null pointer`);
  const mem = view(); // re-read: the call may have grown memory
  const frame = new DataView(mem.buffer, mem.byteOffset + res, 8);
  const headLen = frame.getUint32(0, true);
  const bodyLen = frame.getUint32(4, true);
  const head = JSON.parse(readString(view, res + 8, headLen));
  if (typeof head.status === "number") head.body = readString(view, res + 8 + headLen, bodyLen);
  exports.dirbridge_free(res);
  return head;
}
