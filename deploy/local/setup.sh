#!/usr/bin/env bash
# Installs everything dirbridge needs to build, serve and test on a fresh Debian
# bookworm machine: toolchains from Debian packages, JavaScript tools from npm
# (exact versions from package-lock.json). Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/../.."

APT_PACKAGES=(
  cmake ninja-build g++ pkg-config gzip
  clang-19 lld-19 llvm-19 wasi-libc libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 libclang-rt-19-dev-wasm32
  libclang-rt-19-dev
  emscripten binaryen
  nlohmann-json3-dev catch2
  libssl-dev libcurl4-openssl-dev
  samba samba-ad-dc samba-ad-provision samba-dsdb-modules samba-vfs-modules winbind ldap-utils libldap-dev openssl
  chromium fonts-liberation fonts-dejavu-core
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  # Installing samba would start its daemons (smbd, nmbd, samba-ad-dc, winbind); the
  # tests run a throwaway DC of their own (tests/ad/samba_dc.mjs). A policy-rc.d that
  # forbids service starts is in place during the install only, unless one exists.
  policy_rc_d=""
  for p in "${missing[@]}"; do
    case "$p" in samba*) policy_rc_d=/usr/sbin/policy-rc.d ;; esac
  done
  if [ -n "$policy_rc_d" ] && [ ! -e "$policy_rc_d" ]; then
    trap '$SUDO rm -f "$policy_rc_d"' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy_rc_d" >/dev/null
    $SUDO chmod 755 "$policy_rc_d"
  else
    policy_rc_d=""
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ -n "$policy_rc_d" ]; then
    $SUDO rm -f "$policy_rc_d"
    trap - EXIT INT TERM
  fi
fi

if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "setup: Node.js 20 or newer is required" >&2
  exit 1
fi

# npm ci is exact and clean; skip it when node_modules is newer than the lockfile, or
# is a link to another checkout's install (a git worktree sharing it: npm ci would
# empty the other checkout's folder).
if [ -L node_modules ]; then
  echo "setup: node_modules is a link to $(readlink node_modules); not reinstalling"
elif [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup: ready"
