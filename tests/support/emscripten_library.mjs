// The Workers build's Emscripten JS library (wasm/hosts/workers/dirbridge_imports.js),
// evaluated as Emscripten's linker does: mergeInto collects its functions, which read
// Module at call time. For tests of the import chain without a Workers build.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function loadEmscriptenLibrary(Module) {
  const LibraryManager = { library: {} };
  const source = fs.readFileSync(path.join(repo, "wasm/hosts/workers/dirbridge_imports.js"), "utf8");
  vm.runInNewContext(source, { LibraryManager, Module, mergeInto: (lib, fns) => Object.assign(lib, fns) });
  return LibraryManager.library;
}
