#include "imported_host.h"

#include "host_imports.h"

namespace dirbridge {
namespace {

std::string TakeResult(int32_t length) {
  std::string out(static_cast<std::size_t>(length), '\0');
  if (length > 0) dirbridge_take_result(reinterpret_cast<uint8_t*>(out.data()));
  return out;
}

bool ReadU32(std::string_view& in, uint32_t* v) {
  if (in.size() < 4) return false;
  *v = 0;
  for (int i = 0; i < 4; ++i) *v |= static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  in.remove_prefix(4);
  return true;
}

}  // namespace

int64_t ImportedEnv::NowMillis() { return static_cast<int64_t>(dirbridge_now_ms()); }

void ImportedEnv::RandomBytes(uint8_t* out, std::size_t len) {
  dirbridge_random_bytes(out, static_cast<uint32_t>(len));
}

void ImportedEnv::Log(LogLevel level, std::string_view message) {
  dirbridge_log(static_cast<int32_t>(level), message.data(), static_cast<uint32_t>(message.size()));
}

std::optional<std::string> ImportedEnv::Config(std::string_view name) {
  const int32_t n = dirbridge_config_get(name.data(), static_cast<uint32_t>(name.size()));
  if (n < 0) return std::nullopt;
  return TakeResult(n);
}

Result<std::optional<std::string>> ImportedKvStore::Get(std::string_view key) {
  const int32_t n = dirbridge_kv_get(key.data(), static_cast<uint32_t>(key.size()));
  if (n < 0) return std::optional<std::string>();
  return std::optional<std::string>(TakeResult(n));
}

Result<std::vector<KvEntry>> ImportedKvStore::List(std::string_view prefix, std::string_view start_after,
                                                   std::size_t limit) {
  const int32_t n = dirbridge_kv_list(prefix.data(), static_cast<uint32_t>(prefix.size()), start_after.data(),
                                      static_cast<uint32_t>(start_after.size()), static_cast<uint32_t>(limit));
  if (n < 0) return Internal("host failed to list keys");
  const std::string encoded = TakeResult(n);
  std::string_view in = encoded;
  std::vector<KvEntry> out;
  while (!in.empty()) {
    uint32_t klen, vlen;
    if (!ReadU32(in, &klen) || in.size() < klen) return Internal("host sent a truncated key list");
    std::string key(in.substr(0, klen));
    in.remove_prefix(klen);
    if (!ReadU32(in, &vlen) || in.size() < vlen) return Internal("host sent a truncated key list");
    out.push_back(KvEntry{std::move(key), std::string(in.substr(0, vlen))});
    in.remove_prefix(vlen);
  }
  return out;
}

Status ImportedKvStore::Commit(const WriteBatch& batch) {
  const std::string encoded = batch.Encode();
  const int32_t rc = dirbridge_kv_commit(reinterpret_cast<const uint8_t*>(encoded.data()),
                                         static_cast<uint32_t>(encoded.size()));
  if (rc == 0) return Status::Ok();
  std::string reason = rc < 0 ? TakeResult(-rc) : std::string("unknown");
  return Internal("the store refused the write batch: " + reason);
}

}  // namespace dirbridge
