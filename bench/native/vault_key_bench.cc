// The native time of one vault-key derivation (shared/federation/vault_key.h: 600,000
// PBKDF2-HMAC-SHA256 iterations), for bench/vault_key_bench.mjs, which times the WASM
// build beside it. Prints one JSON line: {"runs", "medianMs", "minMs"}.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <vector>

#include "federation/vault_key.h"

int main(int argc, char** argv) {
  int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  std::string k1(32, '\x11'), k2(32, '\x22');
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    auto key = dirbridge::federation::DeriveVaultKey(k1, k2, "ada@example.com");
    auto end = std::chrono::steady_clock::now();
    if (!key.ok()) return 1;
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("{\"runs\": %d, \"medianMs\": %.1f, \"minMs\": %.1f}\n", runs, ms[ms.size() / 2], ms.front());
  return 0;
}
