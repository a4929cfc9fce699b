#!/usr/bin/env bash
# Builds the function modules for both hosts into dist/ (idempotent; incremental):
#   dist/wasi/*.wasm             for node:wasi
#   dist/workers/*.mjs + *.wasm  for Cloudflare Workers / workerd
set -euo pipefail
cd "$(dirname "$0")/../.."
export NODE_PATH=/usr/share/nodejs  # Debian's emscripten needs its acorn
mkdir -p build
for preset in wasi emscripten; do
  if [ ! -f "build/$preset/build.ninja" ]; then
    cmake --preset "$preset" >"build/$preset-configure.log" 2>&1 || { cat "build/$preset-configure.log"; exit 1; }
  fi
  if ! cmake --build --preset "$preset" >"build/$preset-build.log" 2>&1; then
    cat "build/$preset-build.log"
    exit 1
  fi
  grep -h 'module size' "build/$preset-build.log" || true
done
# The admin console's pages, bundled for both hosts (dist/console/assets.mjs).
node deploy/local/bundle_console.mjs
