// The vault-key derivation for a browser extension (or Node): loads
// dist/client/vault_key.wasm (wasm/client/vault_key_exports.cc) and derives the key
// that opens a vault from K1 (from the IdP), K2 (from dirbridge) and the userName, as
// shared/federation/vault_key.h describes. Plain ES module, no dependencies.
//
//   const vk = await loadVaultKey(await (await fetch("vault_key.wasm")).arrayBuffer());
//   const key = vk.deriveVaultKey(k1, k2, "ada@example.com");  // Uint8Array(32)

const FRAGMENT_BYTES = 32;
const KEY_BYTES = 32;

export async function loadVaultKey(wasmBytes) {
  const module = await WebAssembly.compile(wasmBytes);
  // The module makes no host call; any import it declares traps if ever called.
  const imports = {};
  for (const { module: from, name } of WebAssembly.Module.imports(module)) {
    (imports[from] ??= {})[name] = () => {
      throw new Error(`vault_key.wasm called ${from}.${name}, which it must not`);
    };
  }
  const { exports } = await WebAssembly.instantiate(module, imports);
  if (typeof exports._initialize === "function") exports._initialize();

  return {
    imports: WebAssembly.Module.imports(module),
    deriveVaultKey(k1, k2, userName) {
      if (!(k1 instanceof Uint8Array) || !(k2 instanceof Uint8Array) || k1.length !== FRAGMENT_BYTES || k2.length !== FRAGMENT_BYTES) {
        throw new TypeError("K1 and K2 must be Uint8Arrays of 32 bytes");
      }
      const name = new TextEncoder().encode(String(userName));
      const size = 2 * FRAGMENT_BYTES + name.length + KEY_BYTES;
      const base = exports.vault_key_alloc(size);
      try {
        const memory = new Uint8Array(exports.memory.buffer, base, size);
        memory.set(k1, 0);
        memory.set(k2, FRAGMENT_BYTES);
        memory.set(name, 2 * FRAGMENT_BYTES);
        const out = base + 2 * FRAGMENT_BYTES + name.length;
        const rc = exports.vault_key_derive(base, base + FRAGMENT_BYTES, base + 2 * FRAGMENT_BYTES, name.length, out);
        if (rc !== 0) throw new RangeError("the userName must be 1 to 512 bytes");
        return new Uint8Array(exports.memory.buffer, out, KEY_BYTES).slice();
      } finally {
        new Uint8Array(exports.memory.buffer, base, size).fill(0);  // no key material left behind
        exports.vault_key_free(base);
      }
    },
  };
}
