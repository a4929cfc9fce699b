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

export function randomBytes(n) {
  const out = new Uint8Array(n);
  // getRandomValues refuses more than 65,536 bytes per call.
  for (let p = 0; p < n; p += 65536) crypto.getRandomValues(out.subarray(p, Math.min(n, p + 65536)));
  return out;
}

// The functions of import module "dirbridge", implemented over a host object.
// `getHost()` returns the host object for the call in progress (it changes per
// request: route has no storage, handle has the tenant's); `view()` the memory.
export function makeDirbridgeImports(getHost, view) {
  // The single result slot of host_imports.h: filled by producing calls, copied out by
  // take_result, overwritten by the next producing call.
  let slot = new Uint8Array(0);
  const fill = (bytes) => {
    slot = bytes;
    return bytes.length;
  };
  return {
    kv_get(keyPtr, keyLen) {
      const v = getHost().kvGet(readString(view, keyPtr, keyLen));
      return v === undefined ? -1 : fill(encoder.encode(v));
    },
    kv_list(prefixPtr, prefixLen, afterPtr, afterLen, limit) {
      const entries = getHost().kvList(
        readString(view, prefixPtr, prefixLen),
        readString(view, afterPtr, afterLen),
        limit >>> 0,
      );
      return fill(encodeKvList(entries));
    },
    kv_commit(batchPtr, batchLen) {
      try {
        // A copy: the ops must not alias module memory once they reach the host.
        const ops = decodeWriteBatch(view().slice(batchPtr, batchPtr + batchLen));
        getHost().kvCommit(ops);
        return 0;
      } catch (e) {
        // A non-empty reason, so that -length is never 0 (which would mean success).
        return -fill(encoder.encode(`kv_commit failed: ${e && e.message ? e.message : e}`));
      }
    },
    take_result(dst) {
      writeBytes(view, dst, slot);
    },
    now_ms() {
      return getHost().nowMs();
    },
    random_bytes(dst, len) {
      writeBytes(view, dst, getHost().randomBytes(len >>> 0));
    },
    log(level, msgPtr, msgLen) {
      // Lenient decoding: a log line is never worth failing a request over.
      const text = new TextDecoder().decode(view().subarray(msgPtr, msgPtr + msgLen));
      getHost().log(level, text);
    },
    config_get(namePtr, nameLen) {
      const v = getHost().config(readString(view, namePtr, nameLen));
      return v === undefined || v === null ? -1 : fill(encoder.encode(String(v)));
    },
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
