#include "native/native_env.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

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

// JWS verification (Env::VerifyJwsSignature): the checks of wasm/hosts/jws_verify.mjs,
// made in the same order with the same reasons, so that a key either host refuses is
// refused by both, for the same reason. The JSON is parsed by nlohmann::json where the
// hosts use JSON.parse; both refuse text that is not UTF-8 and lone surrogate escapes
// (the JS with a reviver), and a UTF-8 byte order mark is refused here because
// JSON.parse refuses it (nlohmann would skip it).
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxJwkBytes = 16 * 1024;
constexpr std::size_t kMinRsaBits = 2048;
constexpr std::size_t kMaxRsaBits = 8192;
constexpr std::size_t kMaxRsaExponentBytes = 8;
constexpr std::size_t kP256Bytes = 32;
// Members only a private key has (RFC 7518 §6.2.2, §6.3.2, §6.4.1).
constexpr const char* kPrivateMembers[] = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"};

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct BnFree {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct EcdsaSigFree {
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using Bn = std::unique_ptr<BIGNUM, BnFree>;

// The public key and the length its signatures have.
struct VerifyingKey {
  Pkey key;
  std::size_t signature_bytes;
};

Error Unusable(std::string reason) { return InvalidInput(std::move(reason)); }

// A member that is base64url without padding (RFC 7515 §2), in its one canonical
// spelling (Base64UrlDecode refuses stray bits and impossible lengths), decoded.
std::optional<std::string> Base64UrlMember(const json& doc, const char* name) {
  auto it = doc.find(name);
  if (it == doc.end() || !it->is_string()) return std::nullopt;
  const auto& text = it->get_ref<const std::string&>();
  if (text.find('=') != std::string::npos) return std::nullopt;
  return crypto::Base64UrlDecode(text);
}

std::string_view StripLeadingZeros(std::string_view bytes) {
  while (!bytes.empty() && bytes.front() == '\0') bytes.remove_prefix(1);
  return bytes;
}

std::size_t BitLength(std::string_view bytes) {
  if (bytes.empty()) return 0;
  return (bytes.size() - 1) * 8 + static_cast<std::size_t>(std::bit_width(static_cast<unsigned char>(bytes.front())));
}

// A public key built from OpenSSL parameters (RSA n and e; EC group and point), or null.
Pkey KeyFromParams(const char* type, OSSL_PARAM* params) {
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    return nullptr;
  }
  return Pkey(raw);
}

Result<VerifyingKey> RsaKey(const json& doc) {
  auto n_bytes = Base64UrlMember(doc, "n");
  if (!n_bytes) return Unusable("the JWK's \"n\" is not base64url");
  auto e_bytes = Base64UrlMember(doc, "e");
  if (!e_bytes) return Unusable("the JWK's \"e\" is not base64url");
  const std::string_view n = StripLeadingZeros(*n_bytes);
  const std::size_t bits = BitLength(n);
  if (bits < kMinRsaBits) {
    return Unusable("the RSA key has " + std::to_string(bits) + " bits; RS256 here needs at least " +
                    std::to_string(kMinRsaBits));
  }
  if (bits > kMaxRsaBits) {
    return Unusable("the RSA key has " + std::to_string(bits) + " bits; more than " + std::to_string(kMaxRsaBits) +
                    " are refused");
  }
  if ((static_cast<unsigned char>(n.back()) & 1) == 0) return Unusable("the JWK's \"n\" is no RSA modulus (it is even)");
  const std::string_view e = StripLeadingZeros(*e_bytes);
  if (e.empty() || e.size() > kMaxRsaExponentBytes || (static_cast<unsigned char>(e.back()) & 1) == 0 ||
      (e.size() == 1 && static_cast<unsigned char>(e.front()) < 3)) {
    return Unusable("the JWK's \"e\" is no RSA exponent (odd, at least 3, at most 64 bits)");
  }
  Bn bn_n(BN_bin2bn(Bytes(n), static_cast<int>(n.size()), nullptr));
  Bn bn_e(BN_bin2bn(Bytes(e), static_cast<int>(e.size()), nullptr));
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree> build(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !build || OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return Unavailable("OpenSSL could not hold an RSA key");
  }
  std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(build.get()));
  if (!params) return Unavailable("OpenSSL could not hold an RSA key");
  Pkey key = KeyFromParams("RSA", params.get());
  if (!key) return Unusable("the JWK is not a valid RSA public key");
  return VerifyingKey{std::move(key), n.size()};
}

Result<VerifyingKey> EcKey(const json& doc) {
  auto crv = doc.find("crv");
  if (crv == doc.end() || !crv->is_string() || *crv != "P-256") {
    return Unusable("ES256 needs a key on the curve P-256 (crv \"P-256\")");
  }
  // The uncompressed point of SEC 1 §2.3.3: 0x04 || x || y.
  std::string point(1, '\x04');
  for (const char* m : {"x", "y"}) {
    auto bytes = Base64UrlMember(doc, m);
    if (!bytes || bytes->size() != kP256Bytes) {
      return Unusable(std::string("the JWK's \"") + m + "\" is not " + std::to_string(kP256Bytes) +
                      " bytes of base64url");
    }
    point += *bytes;
  }
  char group[] = "prime256v1";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end(),
  };
  Pkey key = KeyFromParams("EC", params);
  // fromdata already refuses a point off the curve; the public check says so for certain.
  PkeyCtx check(key ? EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr) : nullptr);
  if (!key || !check || EVP_PKEY_public_check(check.get()) != 1) {
    return Unusable("the JWK's point is not on the curve P-256");
  }
  return VerifyingKey{std::move(key), 2 * kP256Bytes};
}

Result<VerifyingKey> JwkVerifyingKey(std::string_view alg, std::string_view jwk_text) {
  if (alg != "RS256" && alg != "ES256") return Unusable("the algorithm is neither RS256 nor ES256");
  if (jwk_text.size() > kMaxJwkBytes) {
    return Unusable("the JWK is longer than " + std::to_string(kMaxJwkBytes) + " bytes");
  }
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  const json doc = jwk_text.substr(0, kByteOrderMark.size()) == kByteOrderMark
                       ? json(json::value_t::discarded)
                       : json::parse(jwk_text.begin(), jwk_text.end(), nullptr, false);
  if (doc.is_discarded()) return Unusable("the JWK does not parse as JSON");
  if (!doc.is_object()) return Unusable("the JWK is not a JSON object");
  auto kty_it = doc.find("kty");
  if (kty_it == doc.end() || !kty_it->is_string()) return Unusable("the JWK has no string \"kty\"");
  const std::string kty = alg == "RS256" ? "RSA" : "EC";
  if (*kty_it != kty) {
    return Unusable(std::string(alg) + " needs a key of type " + kty + " (kty \"" + kty + "\")");
  }
  for (const char* m : kPrivateMembers) {
    if (doc.contains(m)) {
      return Unusable(std::string("the JWK holds the private member \"") + m + "\": a key set holds public keys only");
    }
  }
  if (auto it = doc.find("alg"); it != doc.end() && (!it->is_string() || *it != alg)) {
    return Unusable("the JWK's \"alg\" is not " + std::string(alg));
  }
  if (auto it = doc.find("use"); it != doc.end() && (!it->is_string() || *it != "sig")) {
    return Unusable("the JWK's \"use\" is not \"sig\"");
  }
  if (auto it = doc.find("key_ops"); it != doc.end()) {
    const bool verify = it->is_array() && std::any_of(it->begin(), it->end(), [](const json& op) {
                          return op.is_string() && op == "verify";
                        });
    if (!verify) return Unusable("the JWK's \"key_ops\" does not hold \"verify\"");
  }
  return alg == "RS256" ? RsaKey(doc) : EcKey(doc);
}

// ES256's R||S as the DER ECDSA-Sig-Value OpenSSL verifies (RFC 3279 §2.2.3).
std::optional<std::string> P1363ToDer(std::string_view signature) {
  const std::string_view r = signature.substr(0, signature.size() / 2);
  const std::string_view s = signature.substr(signature.size() / 2);
  std::unique_ptr<ECDSA_SIG, EcdsaSigFree> sig(ECDSA_SIG_new());
  Bn bn_r(BN_bin2bn(Bytes(r), static_cast<int>(r.size()), nullptr));
  Bn bn_s(BN_bin2bn(Bytes(s), static_cast<int>(s.size()), nullptr));
  if (!sig || !bn_r || !bn_s || ECDSA_SIG_set0(sig.get(), bn_r.get(), bn_s.get()) != 1) return std::nullopt;
  bn_r.release();  // owned by sig now
  bn_s.release();
  const int length = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (length <= 0) return std::nullopt;
  std::string der(static_cast<std::size_t>(length), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_ECDSA_SIG(sig.get(), &out) != length) return std::nullopt;
  return der;
}

Result<bool> VerifyWithJwk(std::string_view alg, std::string_view jwk_json, std::string_view signing_input,
                           std::string_view signature) {
  DB_ASSIGN_OR_RETURN(auto key, JwkVerifyingKey(alg, jwk_json));
  if (signature.size() != key.signature_bytes) return false;
  std::string der;
  if (alg == "ES256") {
    auto converted = P1363ToDer(signature);
    if (!converted) return Unavailable("OpenSSL could not encode an ECDSA signature");
    der = std::move(*converted);
    signature = der;
  }
  MdCtx md(EVP_MD_CTX_new());
  if (!md || EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, key.key.get()) != 1) {
    return Unavailable("OpenSSL could not start a verification");
  }
  // 1 verifies; 0 does not; < 0 OpenSSL failed on this signature, which does not
  // verify either (the JS hosts read a throwing crypto.verify the same way).
  return EVP_DigestVerify(md.get(), Bytes(signature), signature.size(), Bytes(signing_input),
                          signing_input.size()) == 1;
}

}  // namespace

Result<bool> NativeEnv::VerifyJwsSignature(std::string_view alg, std::string_view jwk_json,
                                           std::string_view signing_input, std::string_view signature) {
  Result<bool> verified = VerifyWithJwk(alg, jwk_json, signing_input, signature);
  // A refused key or signature leaves OpenSSL's thread-local error queue filled; the
  // next OpenSSL call in this thread must not find it.
  ERR_clear_error();
  return verified;
}

std::optional<std::string> NativeEnv::Config(std::string_view name) {
  auto it = config_.find(name);
  if (it == config_.end()) return std::nullopt;
  return it->second;
}

}  // namespace dirbridge
