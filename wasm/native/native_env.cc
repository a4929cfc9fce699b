#include "native/native_env.h"

#include <openssl/evp.h>

#include <chrono>
#include <cstdio>
#include <memory>

#include "crypto/base64.h"

namespace dirbridge {

NativeEnv::NativeEnv(bool deterministic, uint64_t seed) : deterministic_(deterministic), prng_(seed) {
  if (!deterministic_) {
    std::random_device rd;
    prng_.seed((static_cast<uint64_t>(rd()) << 32) ^ rd());
  }
}

int64_t NativeEnv::NowMillis() {
  if (deterministic_) return now_ms_;
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void NativeEnv::RandomBytes(uint8_t* out, std::size_t len) {
  if (deterministic_) {
    for (std::size_t i = 0; i < len; ++i) out[i] = static_cast<uint8_t>(prng_());
    return;
  }
  // std::random_device reads the OS's secure source on Linux.
  std::random_device rd;
  for (std::size_t i = 0; i < len; ++i) out[i] = static_cast<uint8_t>(rd());
}

void NativeEnv::Log(LogLevel level, std::string_view message) {
  last_log_ = std::string(message);
  if (!quiet_) std::fprintf(stderr, "[%d] %.*s\n", static_cast<int>(level), static_cast<int>(message.size()), message.data());
}

namespace {

constexpr std::string_view kSealedPrefix = "dbs1.";
constexpr std::size_t kNonceBytes = 12;
constexpr std::size_t kTagBytes = 16;

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

Result<std::string> NativeEnv::Seal(std::string_view plaintext, std::string_view associated) {
  if (secret_key_.size() != 32) return Unavailable("DIRBRIDGE_SECRET_KEY is not set");
  std::string nonce(kNonceBytes, '\0');
  RandomBytes(reinterpret_cast<uint8_t*>(nonce.data()), nonce.size());
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  std::string body(plaintext.size() + 16, '\0');
  int n = 0, m = 0;
  auto* out = reinterpret_cast<unsigned char*>(body.data());
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, Bytes(secret_key_), Bytes(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &n, Bytes(associated), static_cast<int>(associated.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out, &n, Bytes(plaintext), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out + n, &m) != 1) {
    return Internal("AES-256-GCM encryption failed");
  }
  body.resize(static_cast<std::size_t>(n + m));
  std::string tag(kTagBytes, '\0');
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag.data()) != 1) {
    return Internal("AES-256-GCM tag failed");
  }
  return std::string(kSealedPrefix) + crypto::Base64UrlEncode(nonce + body + tag);
}

Result<std::optional<std::string>> NativeEnv::Open(std::string_view sealed, std::string_view associated) {
  if (secret_key_.size() != 32) return Unavailable("DIRBRIDGE_SECRET_KEY is not set");
  if (sealed.substr(0, kSealedPrefix.size()) != kSealedPrefix) return std::optional<std::string>();
  auto raw = crypto::Base64UrlDecode(sealed.substr(kSealedPrefix.size()));
  if (!raw || raw->size() < kNonceBytes + kTagBytes) return std::optional<std::string>();
  std::string_view all = *raw;
  std::string_view nonce = all.substr(0, kNonceBytes);
  std::string_view body = all.substr(kNonceBytes, all.size() - kNonceBytes - kTagBytes);
  std::string tag(all.substr(all.size() - kTagBytes));
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  std::string plain(body.size() + 16, '\0');
  int n = 0, m = 0;
  auto* out = reinterpret_cast<unsigned char*>(plain.data());
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, Bytes(secret_key_), Bytes(nonce)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &n, Bytes(associated), static_cast<int>(associated.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), out, &n, Bytes(body), static_cast<int>(body.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1) {
    return Internal("AES-256-GCM decryption failed");
  }
  if (EVP_DecryptFinal_ex(ctx.get(), out + n, &m) != 1) return std::optional<std::string>();  // tag mismatch
  plain.resize(static_cast<std::size_t>(n + m));
  return std::optional<std::string>(std::move(plain));
}

std::optional<std::string> NativeEnv::Config(std::string_view name) {
  auto it = config_.find(name);
  if (it == config_.end()) return std::nullopt;
  return it->second;
}

}  // namespace dirbridge
