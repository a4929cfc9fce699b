// A test Worker inside workerd (Miniflare) built from source text plus some of the
// host's own modules (wasm/hosts/*.mjs), with the compatibility date and nodejs_compat
// of deploy/cloudflare/wrangler.json: for tests that run a piece of the Workers host's
// import chain in the real runtime without a Workers build.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// Module code that pastes the Emscripten library's text in as the linker does into the
// Workers build, leaving its functions in `lib` (they read `Module.dirbridgeImports`,
// which the test Worker sets as worker.mjs does), plus a TextEncoder `enc`.
export const EMSCRIPTEN_LIBRARY_PRELUDE = `
const LibraryManager = { library: {} };
const Module = {};
function mergeInto(lib, fns) { Object.assign(lib, fns); }
${fs.readFileSync(path.join(repo, "wasm/hosts/workers/dirbridge_imports.js"), "utf8")}
const lib = LibraryManager.library;
const enc = new TextEncoder();
`;

// `name`: the generated module's file name under tests/e2e/ (never written: Miniflare
// takes the contents); `hostModules`: paths under wasm/hosts/ the source imports.
export async function startHostWorker(name, source, hostModules) {
  const wrangler = JSON.parse(
    fs.readFileSync(path.join(repo, "deploy/cloudflare/wrangler.json"), "utf8").replace(/^\s*\/\/.*$/gm, ""),
  );
  const mf = new Miniflare({
    modulesRoot: repo,
    modules: [
      { type: "ESModule", path: path.join(repo, "tests/e2e", name), contents: source },
      ...hostModules.map((m) => ({ type: "ESModule", path: path.join(repo, "wasm/hosts", m) })),
    ],
    compatibilityDate: wrangler.compatibility_date,
    compatibilityFlags: ["nodejs_compat"],
  });
  await mf.ready;
  return mf;
}
