#!/usr/bin/env bash
# `npm run bench`: the handler bench inside the WASI module, the HTTP replay
# against workerd and a SCIMMY peer, then the hostile-input cost bench, the Okta hook bench, the Google Workspace bench, the Graph bench, the event feed bench, the custom API bench, the AD connector bench and the vault-key derivation bench. Settings are environment variables, listed in
# bench/README.md. Builds dist/ first if a module is missing. Every process started
# here runs in a process group of its own, and the group is stopped on exit, on
# Ctrl-C and on SIGTERM (the HTTP bench in turn stops the servers it started).
set -uo pipefail
cd "$(dirname "$0")/.."

if [ ! -f dist/wasi/modules.json ] || [ ! -f dist/workers/modules.mjs ]; then
  echo "bench: dist/ is incomplete, building modules (bash deploy/local/build.sh)"
  bash deploy/local/build.sh || { echo "bench: build failed" >&2; exit 1; }
fi

if [ ! -d node_modules/scimmy ] || [ ! -d node_modules/scimmy-routers ] || [ ! -d node_modules/express ] || [ ! -d node_modules/miniflare ]; then
  echo "bench: node_modules is incomplete, running npm install"
  npm install --no-audit --no-fund || { echo "bench: npm install failed" >&2; exit 1; }
fi

current=""
stop_current() {
  [ -n "$current" ] || return 0
  # SIGTERM lets the bench stop its servers; SIGKILL after 20 s if it does not exit.
  kill -TERM -- "-$current" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 -- "-$current" 2>/dev/null || { current=""; return 0; }
    sleep 0.5
  done
  kill -KILL -- "-$current" 2>/dev/null || true
  current=""
}
trap 'stop_current; exit 130' INT TERM
trap 'stop_current' EXIT

# Runs one bench in a new process group (setsid: its pid is the group id).
run_bench() {
  setsid node --disable-warning=ExperimentalWarning "$@" &
  current=$!
  wait "$current"
  local rc=$?
  current=""
  return $rc
}

status=0
echo "== 1/10 handler time inside the WASI module (bench/wasi_handler_bench.mjs)"
run_bench bench/wasi_handler_bench.mjs || { status=1; echo "bench: wasi_handler_bench.mjs exited non-zero (see NOT MEASURED above)"; }
echo
echo "== 2/10 Entra-style initial cycle over HTTP: dirbridge on workerd vs SCIMMY (bench/http_replay_bench.mjs)"
run_bench bench/http_replay_bench.mjs || { status=1; echo "bench: http_replay_bench.mjs exited non-zero (see NOT MEASURED above)"; }
echo
echo "== 3/10 worst CPU time of hostile requests at their caps (bench/hostile_cost_bench.mjs)"
run_bench bench/hostile_cost_bench.mjs || { status=1; echo "bench: hostile_cost_bench.mjs exited non-zero (a row over its goal is listed, NOT MEASURED rows above)"; }
echo
echo "== 4/10 Okta Event Hooks through workerd: acknowledgement of 100 events, event to store (bench/okta_hook_bench.mjs)"
run_bench bench/okta_hook_bench.mjs || { status=1; echo "bench: okta_hook_bench.mjs exited non-zero (see NOT MEASURED above)"; }
echo
echo "== 5/10 Google Workspace through workerd: notification to store, reconcile throughput (bench/google_bench.mjs)"
run_bench bench/google_bench.mjs || { status=1; echo "bench: google_bench.mjs exited non-zero (see NOT MEASURED above)"; }
echo
echo "== 6/10 Entra through Graph on workerd: disable to suspension, notification answer, delta round throughput (bench/graph_bench.mjs)"
run_bench bench/graph_bench.mjs || { status=1; echo "bench: graph_bench.mjs exited non-zero (see NOT MEASURED above)"; }
echo
echo "== 7/10 event feed to the account service through workerd: push throughput to a local receiver (bench/event_feed_bench.mjs)"
run_bench bench/event_feed_bench.mjs || { status=1; echo "bench: event_feed_bench.mjs exited non-zero (see NOT MEASURED above)"; }
echo
echo "== 8/10 custom API (LastPass-compatible) on workerd: a batchadd of 1,000 users in one call (bench/custom_api_bench.mjs)"
run_bench bench/custom_api_bench.mjs || { status=1; echo "bench: custom_api_bench.mjs exited non-zero (see NOT MEASURED above)"; }
echo
echo "== 9/10 Active Directory connector: Samba AD DC -> dirbridge-ad -> workerd, initial sync of 10,000 users and an incremental run (bench/ad_connector_bench.mjs)"
run_bench bench/ad_connector_bench.mjs || { status=1; echo "bench: ad_connector_bench.mjs exited non-zero (see NOT MEASURED above)"; }
echo
echo "== 10/10 the client's vault-key derivation, native and WASM (bench/vault_key_bench.mjs)"
run_bench bench/vault_key_bench.mjs || { status=1; echo "bench: vault_key_bench.mjs exited non-zero (see NOT MEASURED above)"; }
exit $status
