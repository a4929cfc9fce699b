// Emscripten JS library implementing the raw host ABI (wasm/host_imports.h) for the
// Workers build: link with `--js-library wasm/hosts/workers/dirbridge_imports.js`.
//
// Each dirbridge_* import calls the host object in Module["dirbridgeHost"]
// (wasm/hosts/host_contract.md), which the embedder sets before every call into the
// module: the Worker sets a storage-less one around dirbridge_route, the Durable
// Object one bound to ctx.storage.kv around dirbridge_handle.
//
// This file is spliced into the generated module by Emscripten's library processor
// at link time, so it cannot import wasm/hosts/abi.mjs; it repeats that file's
// byte formats (change both together). Written for Emscripten 3.1.6: functions are
// stringified into the output, so they only reach shared state through `$`-prefixed
// library entries listed in __deps, read HEAPU8 afresh on every use (memory growth
// replaces it), and stay in syntax its minifier accepts (no ?. or ??).

mergeInto(LibraryManager.library, {
  // The single result slot of host_imports.h, plus strict UTF-8 codecs: values are
  // stored as text, so bytes that are not UTF-8 must fail kv_commit, not be mangled.
  // Data members start as null: the library processor serializes this object as
  // source text, so instances (TextEncoder, Uint8Array) are made lazily at run time.
  $dirbridgeAbi: {
    slot: null,
    encoder: null,
    decoder: null,
    utf8: function (s) {
      if (!dirbridgeAbi.encoder) dirbridgeAbi.encoder = new TextEncoder();
      return dirbridgeAbi.encoder.encode(s);
    },
    text: function (bytes) {
      if (!dirbridgeAbi.decoder) dirbridgeAbi.decoder = new TextDecoder("utf-8", { fatal: true });
      return dirbridgeAbi.decoder.decode(bytes);
    },
    host: function () {
      var h = Module["dirbridgeHost"];
      if (!h) throw new Error("dirbridge: Module.dirbridgeHost is not set");
      return h;
    },
    fill: function (bytes) {
      dirbridgeAbi.slot = bytes;
      return bytes.length;
    },
    str: function (ptr, len) {
      return dirbridgeAbi.text(HEAPU8.subarray(ptr, ptr + len));
    },
    encodeList: function (entries) {
      var parts = [];
      var total = 0;
      for (var i = 0; i < entries.length; i++) {
        var k = dirbridgeAbi.utf8(entries[i][0]);
        var v = dirbridgeAbi.utf8(entries[i][1]);
        parts.push(k, v);
        total += 8 + k.length + v.length;
      }
      var out = new Uint8Array(total);
      var dv = new DataView(out.buffer);
      var p = 0;
      for (var j = 0; j < parts.length; j++) {
        dv.setUint32(p, parts[j].length, true);
        out.set(parts[j], p + 4);
        p += 4 + parts[j].length;
      }
      return out;
    },
    decodeBatch: function (bytes) {
      var dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      var ops = [];
      var p = 0;
      function readStr(what) {
        if (p + 4 > bytes.length) throw new Error("write batch truncated in " + what + " length");
        var n = dv.getUint32(p, true);
        p += 4;
        if (p + n > bytes.length) throw new Error("write batch truncated in " + what);
        var s;
        try {
          s = dirbridgeAbi.text(bytes.subarray(p, p + n));
        } catch (e) {
          throw new Error("write batch " + what + " is not valid UTF-8");
        }
        p += n;
        return s;
      }
      while (p < bytes.length) {
        var op = bytes[p++];
        if (op === 1) {
          var key = readStr("key");
          ops.push(["put", key, readStr("value")]);
        } else if (op === 2) {
          ops.push(["delete", readStr("key")]);
        } else {
          throw new Error("write batch has unknown op " + op + " at byte " + (p - 1));
        }
      }
      return ops;
    },
  },

  dirbridge_kv_get__deps: ["$dirbridgeAbi"],
  dirbridge_kv_get: function (keyPtr, keyLen) {
    var v = dirbridgeAbi.host().kvGet(dirbridgeAbi.str(keyPtr, keyLen));
    return v === undefined || v === null ? -1 : dirbridgeAbi.fill(dirbridgeAbi.utf8(v));
  },

  dirbridge_kv_list__deps: ["$dirbridgeAbi"],
  dirbridge_kv_list: function (prefixPtr, prefixLen, afterPtr, afterLen, limit) {
    var entries = dirbridgeAbi.host().kvList(
      dirbridgeAbi.str(prefixPtr, prefixLen),
      dirbridgeAbi.str(afterPtr, afterLen),
      limit >>> 0
    );
    return dirbridgeAbi.fill(dirbridgeAbi.encodeList(entries));
  },

  dirbridge_kv_commit__deps: ["$dirbridgeAbi"],
  dirbridge_kv_commit: function (batchPtr, batchLen) {
    try {
      var ops = dirbridgeAbi.decodeBatch(HEAPU8.slice(batchPtr, batchPtr + batchLen));
      dirbridgeAbi.host().kvCommit(ops);
      return 0;
    } catch (e) {
      // Never empty, so -length is never 0 (which would read as success).
      var reason = "kv_commit failed: " + (e && e.message ? e.message : String(e));
      return -dirbridgeAbi.fill(dirbridgeAbi.utf8(reason));
    }
  },

  dirbridge_take_result__deps: ["$dirbridgeAbi"],
  dirbridge_take_result: function (dst) {
    if (dirbridgeAbi.slot) HEAPU8.set(dirbridgeAbi.slot, dst);
  },

  dirbridge_now_ms__deps: ["$dirbridgeAbi"],
  dirbridge_now_ms: function () {
    return dirbridgeAbi.host().nowMs();
  },

  dirbridge_random_bytes__deps: ["$dirbridgeAbi"],
  dirbridge_random_bytes: function (dst, len) {
    HEAPU8.set(dirbridgeAbi.host().randomBytes(len >>> 0), dst);
  },

  dirbridge_log__deps: ["$dirbridgeAbi"],
  dirbridge_log: function (level, msgPtr, msgLen) {
    // Lenient: a log line is never worth failing a request over.
    var text = new TextDecoder().decode(HEAPU8.slice(msgPtr, msgPtr + msgLen));
    dirbridgeAbi.host().log(level, text);
  },

  dirbridge_config_get__deps: ["$dirbridgeAbi"],
  dirbridge_config_get: function (namePtr, nameLen) {
    var v = dirbridgeAbi.host().config(dirbridgeAbi.str(namePtr, nameLen));
    return v === undefined || v === null ? -1 : dirbridgeAbi.fill(dirbridgeAbi.utf8(String(v)));
  },
});
