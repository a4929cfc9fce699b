// The C++ face of the raw host imports (host_imports.h): an Env and a KvStore whose
// every call goes to the host; a host failure becomes an Internal error (a 500 that
// says the host failed). Only the wasm builds compile this; handlers see nothing but
// the Env and KvStore interfaces.
#pragma once

#include "core/env.h"
#include "store/kv_store.h"

namespace dirbridge {

class ImportedEnv : public Env {
 public:
  int64_t NowMillis() override;
  void RandomBytes(uint8_t* out, std::size_t len) override;
  void Log(LogLevel level, std::string_view message) override;
  std::optional<std::string> Config(std::string_view name) override;
  Result<std::string> Seal(std::string_view plaintext, std::string_view associated) override;
  Result<std::optional<std::string>> Open(std::string_view sealed, std::string_view associated) override;
  Result<std::optional<std::string>> SignRs256WithSealedKey(std::string_view sealed, std::string_view associated,
                                                            std::string_view data) override;
  Result<bool> VerifyJwsSignature(std::string_view alg, std::string_view jwk_json, std::string_view signing_input,
                                  std::string_view signature) override;
};

class ImportedKvStore : public KvStore {
 public:
  Result<std::optional<std::string>> Get(std::string_view key) override;
  Result<std::vector<KvEntry>> List(std::string_view prefix, std::string_view start_after,
                                    std::size_t limit) override;
  Status Commit(const WriteBatch& batch) override;
};

}  // namespace dirbridge
