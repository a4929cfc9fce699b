// FileKvStore: the ordered key-value store behind the node:wasi host.
//
// Contract (see wasm/hosts/host_contract.md): string keys and values; get(key);
// list(prefix, startAfter, limit) in code point (= UTF-8 byte) order; commit(ops)
// applies [["put", k, v] | ["delete", k], ...] atomically and durably: when it
// returns, the batch is on disk; when it throws, nothing changed.
//
// Transactions: transaction(fn) runs fn with every commit inside it applied in
// memory only (gets and lists inside fn see them), keeping an undo log. When fn
// returns, all its batches reach the log as one line, written and fdatasync'ed:
// durable together or not at all. When fn throws (or that write fails), the undo
// log restores memory and nothing reaches the log. The node:wasi host runs each
// dirbridge_handle call in one, as workerd runs it in ctx.storage.transactionSync.
//
// Durability: an append-only log in `dir/kv.log`, one JSON line per committed batch
// (or transaction), written then fdatasync'ed before commit() returns. open()
// replays the log; a torn last line (a crash mid-write) is ignored and cut off, so
// the next append does not glue onto it. When the log holds many more operations
// than live keys (more than COMPACT_RATIO times the live keys plus COMPACT_FLOOR),
// open() compacts it: compact() rewrites it as a snapshot of the live state (temp
// file, fsync, rename, fsync the directory), so the swap is atomic.
// The directory is created 0700 and the files in it 0600: the log holds every
// tenant's records. One process at a time may open a directory; nothing enforces that.
//
// In memory: keys sit in a chunked sorted array (sorted chunks of at most CHUNK keys,
// found by binary search on each chunk's first key) next to a Map of values. One
// flat sorted array would make every new key an O(n) splice, which at 1,000,000 keys
// turns a bulk load quadratic; chunks keep an insert at O(CHUNK + n / CHUNK).
// With no directory the store is memory-only (benchmarks, tests).

import fs from "node:fs";
import path from "node:path";
import { compareKeys, successorKey } from "../abi.mjs";

const CHUNK = 512;
// Cloudflare's limit for SQLite-backed Durable Objects ("key and value combined cannot
// exceed 2 MB"), enforced here too so that a record that would fail on Workers fails
// the same way locally instead of only in production.
export const MAX_ENTRY_BYTES = 2_000_000;
const LOG_NAME = "kv.log";
// Snapshot lines hold this many puts each: bounded line length, few lines.
const SNAPSHOT_BATCH = 1000;
// open() compacts when the log replays more than COMPACT_RATIO * live keys +
// COMPACT_FLOOR operations.
export const COMPACT_RATIO = 2;
export const COMPACT_FLOOR = 1000;
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

// Index of the first element of sorted `arr` that is >= key.
function lowerBound(arr, key) {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(arr[mid], key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// A sorted set of strings in chunks.
class SortedKeys {
  constructor(sortedKeys = []) {
    this.chunks = [];
    for (let i = 0; i < sortedKeys.length; i += CHUNK) this.chunks.push(sortedKeys.slice(i, i + CHUNK));
  }

  // Index of the chunk that would hold `key`: the last chunk whose first key <= key.
  chunkFor(key) {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.chunks[mid][0], key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return Math.max(0, lo - 1);
  }

  // Only called for keys that are not present yet (the Map knows).
  insert(key) {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      return;
    }
    const c = this.chunkFor(key);
    const chunk = this.chunks[c];
    chunk.splice(lowerBound(chunk, key), 0, key);
    if (chunk.length > 2 * CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(CHUNK));
  }

  // Only called for keys that are present.
  remove(key) {
    const c = this.chunkFor(key);
    const chunk = this.chunks[c];
    chunk.splice(lowerBound(chunk, key), 1);
    if (chunk.length === 0) this.chunks.splice(c, 1);
  }

  // Yields keys >= start in order.
  *from(start) {
    if (this.chunks.length === 0) return;
    let c = this.chunkFor(start);
    let i = lowerBound(this.chunks[c], start);
    for (; c < this.chunks.length; c++, i = 0) {
      const chunk = this.chunks[c];
      for (; i < chunk.length; i++) yield chunk[i];
    }
  }
}

// enforceLimits is off for replay: what was once accepted must stay readable.
function checkOps(ops, enforceLimits = true) {
  if (!Array.isArray(ops)) throw new Error("commit expects an array of ops");
  for (const op of ops) {
    const ok =
      Array.isArray(op) &&
      ((op[0] === "put" && op.length === 3 && typeof op[1] === "string" && typeof op[2] === "string") ||
        (op[0] === "delete" && op.length === 2 && typeof op[1] === "string"));
    if (!ok) throw new Error(`bad op ${JSON.stringify(op).slice(0, 200)}`);
    if (!enforceLimits) continue;
    const size = Buffer.byteLength(op[1]) + (op[0] === "put" ? Buffer.byteLength(op[2]) : 0);
    if (size > MAX_ENTRY_BYTES) throw new Error(`entry ${op[1].slice(0, 100)} is ${size} bytes, over ${MAX_ENTRY_BYTES}`);
  }
}

function writeAll(fd, buf) {
  for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off, buf.length - off);
}

function fsyncDir(dir) {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export class FileKvStore {
  // The transaction in progress: {ops: all its batches' ops, undo: [[key, old value |
  // undefined], ...]}, or null.
  #txn = null;

  // open(null) gives a memory-only store; open(dir) creates dir if needed, replays
  // the log and compacts it when it is mostly dead operations. Options:
  // log(message) for the compaction line (default console.log), compact: false to
  // never compact at open.
  static open(dir = null, { log = console.log, compact = true } = {}) {
    const store = new FileKvStore();
    if (dir) store.#openDir(dir, { log, compact });
    else store.keys = new SortedKeys();
    return store;
  }

  constructor() {
    this.values = new Map();
    this.keys = null;
    this.dir = null;
    this.fd = null;
    this.logSize = 0;
    // Operations in the log (as replayed at open, plus every commit since).
    this.logOps = 0;
  }

  get size() {
    return this.values.size;
  }

  get(key) {
    return this.values.get(key);
  }

  list(prefix = "", startAfter = "", limit = Infinity) {
    const out = [];
    if (!(limit > 0)) return out;
    let start = prefix;
    if (startAfter !== "" && compareKeys(successorKey(startAfter), start) > 0) start = successorKey(startAfter);
    for (const key of this.keys.from(start)) {
      if (!key.startsWith(prefix) || out.length >= limit) break;
      out.push([key, this.values.get(key)]);
    }
    return out;
  }

  commit(ops) {
    checkOps(ops);
    if (ops.length === 0) return;
    if (this.#txn) {
      // Memory only, undoably; the log gets the whole transaction when it ends.
      for (const op of ops) this.#txn.undo.push([op[1], this.values.get(op[1])]);
      for (const op of ops) this.#txn.ops.push(op);
      this.#apply(ops);
      return;
    }
    if (this.fd !== null) this.#append(JSON.stringify(ops) + "\n", ops.length);
    this.#apply(ops);
  }

  // Runs fn() as one transaction (see the top of this file) and returns what it
  // returns. Transactions do not nest.
  transaction(fn) {
    if (this.#txn) throw new Error("FileKvStore transactions do not nest");
    const txn = { ops: [], undo: [] };
    this.#txn = txn;
    try {
      const result = fn();
      if (txn.ops.length && this.fd !== null) this.#append(JSON.stringify(txn.ops) + "\n", txn.ops.length);
      return result;
    } catch (e) {
      this.#undo(txn.undo);
      throw e;
    } finally {
      this.#txn = null;
    }
  }

  get inTransaction() {
    return this.#txn !== null;
  }

  // Rewrites the log as the current state; returns {before, after} sizes in bytes.
  compact() {
    if (this.fd === null) return { before: 0, after: 0 };
    if (this.#txn) throw new Error("cannot compact inside a transaction");
    const before = this.logSize;
    const logPath = path.join(this.dir, LOG_NAME);
    const tmpPath = logPath + ".tmp";
    const fd = fs.openSync(tmpPath, "w", FILE_MODE);
    let size = 0;
    try {
      let batch = [];
      const flush = () => {
        const buf = Buffer.from(JSON.stringify(batch) + "\n");
        writeAll(fd, buf);
        size += buf.length;
        batch = [];
      };
      for (const key of this.keys.from("")) {
        batch.push(["put", key, this.values.get(key)]);
        if (batch.length === SNAPSHOT_BATCH) flush();
      }
      if (batch.length) flush();
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmpPath, logPath);
    fsyncDir(this.dir);
    fs.closeSync(this.fd);
    this.fd = fs.openSync(logPath, "a", FILE_MODE);
    this.logSize = size;
    this.logOps = this.values.size;
    return { before, after: size };
  }

  close() {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  #apply(ops) {
    for (const op of ops) {
      const key = op[1];
      if (op[0] === "put") {
        if (!this.values.has(key)) this.keys.insert(key);
        this.values.set(key, op[2]);
      } else if (this.values.has(key)) {
        this.values.delete(key);
        this.keys.remove(key);
      }
    }
  }

  // Restores the values an undo log recorded, newest first.
  #undo(undo) {
    for (let i = undo.length - 1; i >= 0; i--) {
      const [key, old] = undo[i];
      const present = this.values.has(key);
      if (old === undefined) {
        if (present) {
          this.values.delete(key);
          this.keys.remove(key);
        }
      } else {
        if (!present) this.keys.insert(key);
        this.values.set(key, old);
      }
    }
  }

  #append(line, opCount) {
    const buf = Buffer.from(line);
    try {
      writeAll(this.fd, buf);
      fs.fdatasyncSync(this.fd);
    } catch (e) {
      // Cut off whatever part of the line reached the file, so the log stays a
      // sequence of whole batches and the store stays unchanged.
      try {
        fs.ftruncateSync(this.fd, this.logSize);
      } catch {
        // The original error is the one worth reporting.
      }
      throw new Error(`cannot write the KV log: ${e.message}`);
    }
    this.logSize += buf.length;
    this.logOps += opCount;
  }

  #openDir(dir, { log, compact }) {
    // 0700 for every directory this creates (an existing one is left as it is).
    fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
    this.dir = dir;
    const logPath = path.join(dir, LOG_NAME);
    // A leftover temp file is a compaction that never got renamed: the log is intact.
    fs.rmSync(logPath + ".tmp", { force: true });
    let data = Buffer.alloc(0);
    try {
      data = fs.readFileSync(logPath);
    } catch (e) {
      if (e.code !== "ENOENT") throw e;
    }
    // Replay into the Map only, then sort once: per-key inserts would be slower.
    let pos = 0;
    let lineNo = 0;
    while (pos < data.length) {
      const nl = data.indexOf(0x0a, pos);
      if (nl < 0) break; // torn last line: no newline, never acknowledged
      lineNo++;
      let ops;
      try {
        ops = JSON.parse(data.toString("utf8", pos, nl));
        checkOps(ops, false);
      } catch (e) {
        // A newline that is the file's last byte belongs to a complete write; a bad
        // line anywhere is corruption, not a torn write, and must not be skipped.
        throw new Error(`${logPath}: line ${lineNo} is corrupt (${e.message})`);
      }
      for (const op of ops) {
        if (op[0] === "put") this.values.set(op[1], op[2]);
        else this.values.delete(op[1]);
      }
      this.logOps += ops.length;
      pos = nl + 1;
    }
    this.keys = new SortedKeys([...this.values.keys()].sort(compareKeys));
    this.fd = fs.openSync(logPath, "a", FILE_MODE);
    // A log from before the file mode was set (or copied in) is made private too.
    fs.fchmodSync(this.fd, FILE_MODE);
    if (pos < data.length) {
      fs.ftruncateSync(this.fd, pos);
      fs.fdatasyncSync(this.fd);
    }
    this.logSize = pos;
    if (compact && this.logOps > COMPACT_RATIO * this.values.size + COMPACT_FLOOR) {
      const ops = this.logOps;
      const { before, after } = this.compact();
      log(`dirbridge kv: compacted ${logPath}: ${ops} operations to ${this.values.size} keys, ${before} to ${after} bytes`);
    }
  }
}
