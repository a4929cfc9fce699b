#include "imported_host.h"

#include "host_imports.h"

namespace dirbridge {
namespace {

std::string TakeResult(std::size_t length) {
  std::string out(length, '\0');
  if (length > 0) dirbridge_take_result(reinterpret_cast<uint8_t*>(out.data()));
  return out;
}

// The reason of a failed producing call (rc <= -2).
std::string TakeReason(int32_t rc) { return TakeResult(static_cast<std::size_t>(-(static_cast<int64_t>(rc) + 1))); }

// The one reading of a producing call's return code (host_imports.h): the result,
// nullopt for absent, or an Internal error that says the host failed and why. The
// failure is logged too: the client only sees a 500.
Result<std::optional<std::string>> Produced(const char* call, int32_t rc) {
  if (rc >= 0) return std::optional<std::string>(TakeResult(static_cast<std::size_t>(rc)));
  if (rc == DIRBRIDGE_RC_ABSENT) return std::optional<std::string>();
  const std::string reason = TakeReason(rc);
  std::string detail = std::string("the host failed in ") + call + ": " + reason;
  dirbridge_log(static_cast<int32_t>(LogLevel::kError), detail.data(), static_cast<uint32_t>(detail.size()));
  return Internal(std::move(detail));
}

// For calls where "absent" means nothing: its result, or the failure.
Result<std::string> ProducedValue(const char* call, int32_t rc) {
  DB_ASSIGN_OR_RETURN(auto value, Produced(call, rc));
  if (!value) return Internal(std::string("the host answered 'absent' to ") + call);
  return std::move(*value);
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
  // Env::Config has no error channel: a failed read (logged by Produced) reads as
  // unset, which makes what needs the setting refuse (e.g. the admin API: 503).
  auto value = Produced("config_get", dirbridge_config_get(name.data(), static_cast<uint32_t>(name.size())));
  return value.ok() ? std::move(value).value() : std::nullopt;
}

// A failure of the sealing imports is the deployment's (no key, a malformed key): 503
// with the host's reason, which names the setting and never holds a secret.
static Error SealingUnavailable(const std::string& reason) {
  std::string detail = "sealed secrets are unavailable: " + reason;
  dirbridge_log(static_cast<int32_t>(LogLevel::kError), detail.data(), static_cast<uint32_t>(detail.size()));
  return Unavailable(std::move(detail));
}

static Result<std::optional<std::string>> Sealing(const char* call, int32_t rc) {
  if (rc >= DIRBRIDGE_RC_ABSENT) return Produced(call, rc);
  return SealingUnavailable(TakeReason(rc));
}

Result<std::string> ImportedEnv::Seal(std::string_view plaintext, std::string_view associated) {
  DB_ASSIGN_OR_RETURN(auto sealed, Sealing("secret_seal", dirbridge_secret_seal(
                                                              reinterpret_cast<const uint8_t*>(plaintext.data()),
                                                              static_cast<uint32_t>(plaintext.size()),
                                                              reinterpret_cast<const uint8_t*>(associated.data()),
                                                              static_cast<uint32_t>(associated.size()))));
  if (!sealed) return Internal("the host answered 'absent' to secret_seal");
  return std::move(*sealed);
}

Result<std::optional<std::string>> ImportedEnv::Open(std::string_view sealed, std::string_view associated) {
  return Sealing("secret_open",
                 dirbridge_secret_open(sealed.data(), static_cast<uint32_t>(sealed.size()),
                                       reinterpret_cast<const uint8_t*>(associated.data()),
                                       static_cast<uint32_t>(associated.size())));
}

// secret_sign_rs256 fails two ways: the secret holds no usable key (the caller's to
// fix: 400, with the host's reason, which says what is wrong and never quotes the
// secret) or the host cannot open it at all (503, as Sealing).
Result<std::optional<std::string>> ImportedEnv::SignRs256WithSealedKey(std::string_view sealed,
                                                                       std::string_view associated,
                                                                       std::string_view data) {
  const int32_t rc = dirbridge_secret_sign_rs256(
      sealed.data(), static_cast<uint32_t>(sealed.size()), reinterpret_cast<const uint8_t*>(associated.data()),
      static_cast<uint32_t>(associated.size()), reinterpret_cast<const uint8_t*>(data.data()),
      static_cast<uint32_t>(data.size()));
  if (rc >= DIRBRIDGE_RC_ABSENT) return Produced("secret_sign_rs256", rc);
  const std::string reason = TakeReason(rc);
  constexpr std::string_view kUnusable = DIRBRIDGE_UNUSABLE_KEY_REASON;
  if (std::string_view(reason).substr(0, kUnusable.size()) == kUnusable) {
    return InvalidInput("the sealed secret is not a usable RS256 signing key: " + reason.substr(kUnusable.size()));
  }
  return SealingUnavailable(reason);
}

// jws_verify fails two ways, as secret_sign_rs256 does: the algorithm or the key is
// not usable (the caller's, or its IdP's, to fix: 400 with the host's reason, which
// never quotes the JWK) or the host failed (503: verifying is the host's service, like
// sealing, and the failure is logged). Success is one byte: 1 verified, 0 not.
Result<bool> ImportedEnv::VerifyJwsSignature(std::string_view alg, std::string_view jwk_json,
                                             std::string_view signing_input, std::string_view signature) {
  const int32_t rc = dirbridge_jws_verify(
      alg.data(), static_cast<uint32_t>(alg.size()), jwk_json.data(), static_cast<uint32_t>(jwk_json.size()),
      reinterpret_cast<const uint8_t*>(signing_input.data()), static_cast<uint32_t>(signing_input.size()),
      reinterpret_cast<const uint8_t*>(signature.data()), static_cast<uint32_t>(signature.size()));
  if (rc >= DIRBRIDGE_RC_ABSENT) {
    DB_ASSIGN_OR_RETURN(auto answer, Produced("jws_verify", rc));
    if (!answer || answer->size() != 1 || ((*answer)[0] != '\0' && (*answer)[0] != '\x01')) {
      return Internal("the host answered jws_verify with other than one byte, 0 or 1");
    }
    return (*answer)[0] == '\x01';
  }
  const std::string reason = TakeReason(rc);
  constexpr std::string_view kUnusable = DIRBRIDGE_UNUSABLE_JWK_REASON;
  if (std::string_view(reason).substr(0, kUnusable.size()) == kUnusable) {
    return InvalidInput(reason.substr(kUnusable.size()));
  }
  std::string detail = "signature verification is unavailable: " + reason;
  dirbridge_log(static_cast<int32_t>(LogLevel::kError), detail.data(), static_cast<uint32_t>(detail.size()));
  return Unavailable(std::move(detail));
}

Result<std::optional<std::string>> ImportedKvStore::Get(std::string_view key) {
  return Produced("kv_get", dirbridge_kv_get(key.data(), static_cast<uint32_t>(key.size())));
}

Result<std::vector<KvEntry>> ImportedKvStore::List(std::string_view prefix, std::string_view start_after,
                                                   std::size_t limit) {
  DB_ASSIGN_OR_RETURN(const std::string encoded,
                      ProducedValue("kv_list", dirbridge_kv_list(prefix.data(), static_cast<uint32_t>(prefix.size()),
                                                                 start_after.data(),
                                                                 static_cast<uint32_t>(start_after.size()),
                                                                 static_cast<uint32_t>(limit))));
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
  return ProducedValue("kv_commit", dirbridge_kv_commit(reinterpret_cast<const uint8_t*>(encoded.data()),
                                                        static_cast<uint32_t>(encoded.size())))
      .status();
}

}  // namespace dirbridge
