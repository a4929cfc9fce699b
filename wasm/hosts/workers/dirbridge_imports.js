// Emscripten JS library for the Workers build: link with
// `--js-library wasm/hosts/workers/dirbridge_imports.js`.
//
// Each dirbridge_* import of wasm/host_imports.h forwards to Module.dirbridgeImports,
// which the embedder (deploy/cloudflare/src/worker.mjs) sets to the imports of
// bindModule (wasm/hosts/host_runtime.mjs), i.e. makeDirbridgeImports of
// wasm/hosts/abi.mjs. The byte formats, the result slot and the failure convention
// thus live in one file for both hosts; this library only exists because Emscripten
// resolves imports at link time. (Emscripten 3.1.6 stringifies these functions into
// its output: keep them plain ES5.)

mergeInto(LibraryManager.library, {
  dirbridge_kv_get: function (keyPtr, keyLen) {
    return Module["dirbridgeImports"].kv_get(keyPtr, keyLen);
  },
  dirbridge_kv_list: function (prefixPtr, prefixLen, afterPtr, afterLen, limit) {
    return Module["dirbridgeImports"].kv_list(prefixPtr, prefixLen, afterPtr, afterLen, limit);
  },
  dirbridge_kv_commit: function (batchPtr, batchLen) {
    return Module["dirbridgeImports"].kv_commit(batchPtr, batchLen);
  },
  dirbridge_take_result: function (dst) {
    Module["dirbridgeImports"].take_result(dst);
  },
  dirbridge_now_ms: function () {
    return Module["dirbridgeImports"].now_ms();
  },
  dirbridge_random_bytes: function (dst, len) {
    Module["dirbridgeImports"].random_bytes(dst, len);
  },
  dirbridge_log: function (level, msgPtr, msgLen) {
    Module["dirbridgeImports"].log(level, msgPtr, msgLen);
  },
  dirbridge_config_get: function (namePtr, nameLen) {
    return Module["dirbridgeImports"].config_get(namePtr, nameLen);
  },
  dirbridge_secret_seal: function (plainPtr, plainLen, adPtr, adLen) {
    return Module["dirbridgeImports"].secret_seal(plainPtr, plainLen, adPtr, adLen);
  },
  dirbridge_secret_open: function (sealedPtr, sealedLen, adPtr, adLen) {
    return Module["dirbridgeImports"].secret_open(sealedPtr, sealedLen, adPtr, adLen);
  },
  dirbridge_secret_sign_rs256: function (sealedPtr, sealedLen, adPtr, adLen, dataPtr, dataLen) {
    return Module["dirbridgeImports"].secret_sign_rs256(sealedPtr, sealedLen, adPtr, adLen, dataPtr, dataLen);
  },
  dirbridge_jws_verify: function (algPtr, algLen, jwkPtr, jwkLen, dataPtr, dataLen, sigPtr, sigLen) {
    return Module["dirbridgeImports"].jws_verify(algPtr, algLen, jwkPtr, jwkLen, dataPtr, dataLen, sigPtr, sigLen);
  },
});
