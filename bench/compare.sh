#!/usr/bin/env bash
# Before and after, in one run: the handler bench (bench/wasi_handler_bench.mjs) of a
# base revision and of this checkout, alternated so both meet the same machine load.
#
#   bash bench/compare.sh <base-revision> [rounds] [head-revision]
#                                          e.g. bash bench/compare.sh 65ee793
#
# Without a head revision the head is this checkout (its working tree); with one, it
# is checked out and built in build/bench-head like the base.
# The base revision is checked out into build/bench-base (a git worktree) and its
# modules are built there with its own deploy/local/build.sh; each side runs its own
# bench script against its own dist/. Rounds alternate base, head, base, head... (default
# 2 each); every table is printed as it comes. Settings are the handler bench's
# (bench/README.md), e.g. BENCH_USERS=20000 BENCH_GROUP_MEMBERS=10000 for a shorter run.
# Every bench runs in a process group of its own, stopped on exit and on Ctrl-C.
set -uo pipefail
cd "$(dirname "$0")/.."

base_rev=${1:?usage: bash bench/compare.sh <base-revision> [rounds]}
rounds=${2:-2}
head_rev=${3:-}
base_dir=build/bench-base
head_dir=$PWD

resolved=$(git rev-parse --verify --quiet "$base_rev^{commit}") || { echo "compare: no such revision: $base_rev" >&2; exit 2; }
mkdir -p build
if [ -d "$base_dir" ]; then
  git -C "$base_dir" checkout -q --detach "$resolved" || { echo "compare: cannot check out $base_rev in $base_dir" >&2; exit 1; }
else
  git worktree add -q --detach "$base_dir" "$resolved" || { echo "compare: cannot make a worktree for $base_rev" >&2; exit 1; }
fi
[ -e "$base_dir/node_modules" ] || ln -s "$head_dir/node_modules" "$base_dir/node_modules"
if [ -n "$head_rev" ]; then
  head_resolved=$(git rev-parse --verify --quiet "$head_rev^{commit}") || { echo "compare: no such revision: $head_rev" >&2; exit 2; }
  if [ -d build/bench-head ]; then
    git -C build/bench-head checkout -q --detach "$head_resolved" || exit 1
  else
    git worktree add -q --detach build/bench-head "$head_resolved" || exit 1
  fi
  [ -e build/bench-head/node_modules ] || ln -s "$head_dir/node_modules" build/bench-head/node_modules
  head_dir=$PWD/build/bench-head
  mkdir -p "$head_dir/build"
fi

build() {
  local dir=$1
  echo "compare: building $(git -C "$dir" rev-parse --short HEAD) in $dir"
  (cd "$dir" && bash deploy/local/build.sh >build/compare-build.log 2>&1) || { cat "$dir/build/compare-build.log" >&2; exit 1; }
}
mkdir -p "$base_dir/build"
build "$base_dir"
build "$head_dir"

current=""
stop_current() {
  [ -n "$current" ] || return 0
  kill -TERM -- "-$current" 2>/dev/null || true
  sleep 2
  kill -KILL -- "-$current" 2>/dev/null || true
  current=""
}
trap 'stop_current; exit 130' INT TERM
trap 'stop_current' EXIT

status=0
run_side() {
  local label=$1 dir=$2
  echo
  echo "== $label: $(git -C "$dir" log -1 --format='%h %s' | cut -c1-90)"
  (cd "$dir" && exec setsid node --disable-warning=ExperimentalWarning bench/wasi_handler_bench.mjs) &
  current=$!
  wait "$current" || status=1
  current=""
}

for round in $(seq 1 "$rounds"); do
  echo
  echo "#### round $round of $rounds (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  run_side "base" "$base_dir"
  run_side "head" "$head_dir"
done
exit $status
