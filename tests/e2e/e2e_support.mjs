// Small helpers the end-to-end tests share: waiting for something a server does on
// its own time (a timer, an effect), and the files a server keeps in its data folder
// (searched for canaries).
import fs from "node:fs";
import path from "node:path";

// Calls `fn` every 100 ms until it returns something truthy, which is returned; throws
// "timed out waiting for <what>" after `timeoutMs`.
export async function until(what, fn, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Every regular file under `dir`, at any depth.
export function filesUnder(dir) {
  return fs
    .readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile());
}
