// The node:wasi host's store (wasm/hosts/wasi/file_kv_store.mjs): transactions that
// reach the log whole or not at all, compaction of a log that is mostly dead
// operations, and files only their owner can read.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { COMPACT_FLOOR, FileKvStore } from "../../wasm/hosts/wasi/file_kv_store.mjs";

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), "dirbridge-kv-"));
}

function logLines(dir) {
  const text = fs.readFileSync(path.join(dir, "kv.log"), "utf8");
  return text === "" ? 0 : text.trimEnd().split("\n").length;
}

const quiet = { log: () => {} };

test("a transaction's batches are seen inside it and reach the log as one line when it returns", () => {
  const root = tempDir();
  const dir = path.join(root, "kv");
  try {
    const store = FileKvStore.open(dir, quiet);
    store.commit([["put", "a", "1"]]);
    const seen = store.transaction(() => {
      store.commit([["put", "b", "2"], ["delete", "a"]]);
      store.commit([["put", "c", "3"]]);
      assert.equal(logLines(dir), 1, "nothing reaches the log before the transaction ends");
      return store.list("", "", 10);
    });
    assert.deepEqual(seen, [["b", "2"], ["c", "3"]]);
    assert.equal(logLines(dir), 2, "one line for the whole transaction");
    store.close();
    const again = FileKvStore.open(dir, quiet);
    assert.deepEqual(again.list("", "", 10), [["b", "2"], ["c", "3"]]);
    again.close();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("a transaction that throws is undone in memory and writes nothing", () => {
  const root = tempDir();
  const dir = path.join(root, "kv");
  try {
    const store = FileKvStore.open(dir, quiet);
    store.commit([["put", "a", "1"], ["put", "b", "2"]]);
    const before = fs.readFileSync(path.join(dir, "kv.log"), "utf8");
    assert.throws(
      () =>
        store.transaction(() => {
          store.commit([["put", "a", "changed"], ["delete", "b"], ["put", "new", "x"]]);
          store.commit([["put", "a", "twice"], ["put", "b", "back"], ["delete", "new"], ["put", "z", "z"]]);
          assert.equal(store.get("a"), "twice");
          throw new Error("the module trapped");
        }),
      /the module trapped/,
    );
    assert.deepEqual(store.list("", "", 10), [["a", "1"], ["b", "2"]]);
    assert.equal(store.get("new"), undefined);
    assert.equal(store.get("z"), undefined);
    assert.equal(fs.readFileSync(path.join(dir, "kv.log"), "utf8"), before, "the log is untouched");
    store.close();
    assert.deepEqual(FileKvStore.open(dir, quiet).list("", "", 10), [["a", "1"], ["b", "2"]]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("open compacts a log that holds far more operations than live keys, and the data survives", () => {
  const root = tempDir();
  const dir = path.join(root, "kv");
  try {
    let store = FileKvStore.open(dir, quiet);
    // 10 live keys, each overwritten many times: 3,000 operations in 3,000 lines.
    for (let i = 0; i < 3000; i++) store.commit([["put", `k${i % 10}`, `v${i}`]]);
    store.commit([["put", "gone", "x"]]);
    store.commit([["delete", "gone"]]);
    const live = store.list("", "", 100);
    store.close();
    assert.equal(logLines(dir), 3002);

    const logs = [];
    store = FileKvStore.open(dir, { log: (m) => logs.push(m) });
    assert.equal(logLines(dir), 1, "a snapshot of 10 keys is one line");
    assert.equal(logs.length, 1);
    assert.match(logs[0], /compacted .*kv\.log: 3002 operations to 10 keys/);
    assert.deepEqual(store.list("", "", 100), live);
    store.commit([["put", "after", "compaction"]]);
    store.close();

    // Reopened: the compacted log plus what came after it, and no second compaction.
    const logs2 = [];
    store = FileKvStore.open(dir, { log: (m) => logs2.push(m) });
    assert.deepEqual(store.list("", "", 100), [["after", "compaction"], ...live]);
    assert.equal(logs2.length, 0);
    assert.equal(logLines(dir), 2);
    store.close();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("a log of mostly live keys is not compacted", () => {
  const root = tempDir();
  const dir = path.join(root, "kv");
  try {
    let store = FileKvStore.open(dir, quiet);
    for (let i = 0; i < COMPACT_FLOOR; i++) store.commit([["put", `k${i}`, "v"]]);
    for (let i = 0; i < COMPACT_FLOOR; i++) store.commit([["put", `k${i}`, "w"]]);
    store.close();
    const logs = [];
    store = FileKvStore.open(dir, { log: (m) => logs.push(m) });
    assert.equal(logs.length, 0, "2,000 operations over 1,000 keys is under 2 * 1,000 + the floor");
    assert.equal(logLines(dir), 2 * COMPACT_FLOOR);
    store.close();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("the data directory is created 0700 and the log 0600, also after compaction", () => {
  const root = tempDir();
  const dir = path.join(root, "a", "kv");
  const old = process.umask(0o022);
  try {
    let store = FileKvStore.open(dir, quiet);
    store.commit([["put", "k", "v"]]);
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    assert.equal(fs.statSync(path.join(root, "a")).mode & 0o777, 0o700);
    assert.equal(fs.statSync(path.join(dir, "kv.log")).mode & 0o777, 0o600);
    store.compact();
    assert.equal(fs.statSync(path.join(dir, "kv.log")).mode & 0o777, 0o600);
    store.close();
    // A log left world-readable (by an older version) is made private at open.
    fs.chmodSync(path.join(dir, "kv.log"), 0o644);
    store = FileKvStore.open(dir, quiet);
    assert.equal(fs.statSync(path.join(dir, "kv.log")).mode & 0o777, 0o600);
    assert.equal(store.get("k"), "v");
    store.close();
  } finally {
    process.umask(old);
    fs.rmSync(root, { recursive: true, force: true });
  }
});
