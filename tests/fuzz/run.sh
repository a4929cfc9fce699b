#!/usr/bin/env bash
# Builds the fuzz preset and runs every libFuzzer harness for SECONDS each (default
# 20: the short run of tests/run-all.sh). Fails when any harness finds a crash, a
# sanitizer report, a timeout or a violated property (tests/fuzz/README.md).
#
#   bash tests/fuzz/run.sh            # 20 s per harness
#   bash tests/fuzz/run.sh 600        # 10 minutes per harness
#   FUZZ_HARNESSES="fuzz_request" bash tests/fuzz/run.sh 300
#   DIRBRIDGE_FUZZ_SKIP_KNOWN=1 bash tests/fuzz/run.sh      # leave out open findings
#                                                           # (tests/fuzz/findings/), as npm test does
#
# Each harness starts from a scratch copy of tests/fuzz/corpus/<harness>/ plus seeds
# derived from ../shared/conformance (tests/fuzz/seeds.mjs), so the repository's
# corpus never changes. Logs and any crashing input go to build/fuzz/runs/.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-20}
harnesses=(${FUZZ_HARNESSES:-fuzz_filter fuzz_patch fuzz_json_model fuzz_request fuzz_ad_entry fuzz_id_token})
out=build/fuzz/runs
bin=build/fuzz/tests/fuzz

[ -f build/fuzz/build.ninja ] || cmake --preset fuzz >/dev/null
mkdir -p "$out"
cmake --build --preset fuzz -- -j"$(nproc)" >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for h in "${harnesses[@]}"; do
  mkdir -p "$scratch/$h"
  cp tests/fuzz/corpus/"$h"/* "$scratch/$h/"
done
if [ -d ../shared/conformance ]; then
  node tests/fuzz/seeds.mjs conformance ../shared/conformance "$scratch" >/dev/null
fi

failed=()
for h in "${harnesses[@]}"; do
  log="$out/$h.log"
  rm -f "$out/$h"-crash-* "$out/$h"-timeout-* "$out/$h"-oom-* "$out/$h"-leak-*
  status=0
  "$bin/$h" "$scratch/$h" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -dict="tests/fuzz/dict/$h.dict" -artifact_prefix="$out/$h-" -print_final_stats=1 >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  # A harness that never ran (a binary missing from the build) logs no coverage: that
  # must reach the FAILED branch below, not end the script here under pipefail.
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1 || true)
  if [ "$status" -ne 0 ]; then
    failed+=("$h")
    echo "$h: FAILED (exit $status) after ${runs:-?} runs; log $log"
    grep -E -A 30 '^==== fuzz property violated|ERROR: (AddressSanitizer|libFuzzer)|runtime error:' "$log" | head -n 60 || tail -n 40 "$log"
    ls "$out/$h"-* 2>/dev/null | sed 's/^/  reproducer: /' || true
  else
    echo "$h: ok, ${runs:-?} runs in ${seconds}s (${rate:-?} exec/s), $cov"
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} harness(es) failed: ${failed[*]} (reproduce: $bin/<harness> <reproducer>)"
  exit 1
fi
