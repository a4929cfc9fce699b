#!/usr/bin/env bash
# README command 2: every test dirbridge has, in order of speed.
#   1. Catch2 unit tests of the core and the functions (native build, via ctest)
#   2. the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   3. the WASI modules under node:wasi
#   4. end to end over HTTP: the Workers build under workerd and the WASI build
#      under node:wasi, each a real local server with storage on disk; the admin
#      console in Debian's Chromium (playwright-core) against the workerd one; and
#      the admin CLI (build/native/cli/dirbridge) driving the workerd one
#   5. the Active Directory connector (build/native/ad_connector/dirbridge-ad) against a
#      throwaway Samba AD DC on 127.0.0.1 and the workerd server (tests/ad)
#   6. outside conformance suites (Microsoft's Entra ID Postman collection)
#   7. every libFuzzer harness for 20 seconds (tests/fuzz/README.md)
# Skip the slow sanitizer build with DIRBRIDGE_SKIP_SANITIZERS=1 while iterating (it
# skips the fuzz build too, which uses the same sanitizers), or only the fuzzing with
# DIRBRIDGE_SKIP_FUZZ=1.
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/local/setup.sh

step() { printf '\n== %s\n' "$*"; }

run_ctest() {
  local preset=$1
  step "unit tests ($preset)"
  [ -f "build/$preset/build.ninja" ] || cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -- -j"$(nproc)" >"build/$preset-build.log" 2>&1 || { cat "build/$preset-build.log"; exit 1; }
  ctest --test-dir "build/$preset" --output-on-failure -j"$(nproc)" | tail -n 4
  test "${PIPESTATUS[0]}" -eq 0
}

mkdir -p build
run_ctest native
if [ "${DIRBRIDGE_SKIP_SANITIZERS:-0}" != "1" ]; then
  run_ctest native-sanitize
fi

step "wasm modules"
bash deploy/local/build.sh

step "WASI modules under node:wasi, end to end on workerd and node:wasi, the admin console in Chromium, the admin CLI, the AD connector on Samba, conformance"
node --test --test-concurrency=1 tests/wasi/ tests/federation/ tests/google/ tests/graph/ tests/e2e/ tests/console/ tests/cli/ tests/ad/ tests/conformance/

if [ "${DIRBRIDGE_SKIP_SANITIZERS:-0}" != "1" ] && [ "${DIRBRIDGE_SKIP_FUZZ:-0}" != "1" ]; then
  step "fuzzing (20 s per harness; longer: bash tests/fuzz/run.sh 600)"
  # Open findings (tests/fuzz/findings/README.md) are left out of this short run.
  DIRBRIDGE_FUZZ_SKIP_KNOWN=1 bash tests/fuzz/run.sh 20
fi
