/* The raw host ABI: every call a dirbridge module makes to its host, one C
 * declaration each, in this one file. Handlers never use these directly; they see
 * the C++ Env and KvStore of imported_host.h.
 *
 * Conventions
 * - Strings are (pointer, length) pairs of UTF-8 bytes in the module's memory.
 * - Producing calls (kv_get, kv_list, kv_commit, config_get, secret_seal,
 *   secret_open, secret_sign_rs256, jws_verify) all report the same way,
 *   through their int32 return value rc and the host's single "result slot":
 *     rc >= 0    success; the slot holds rc bytes of result (0 for kv_commit)
 *     rc == -1   absent (kv_get: no such key; config_get: no such setting)
 *     rc <= -2   the host failed; the slot holds its reason, (-rc - 1) bytes of
 *                UTF-8 (never empty), and nothing changed in the store
 *   The module then calls dirbridge_take_result(dst) to copy the slot into a buffer
 *   of that length. The slot is overwritten by the next producing call.
 * - The other calls cannot fail in a way the module could act on: log never fails
 *   (a host drops a line it cannot write); a host that cannot tell the time or give
 *   random bytes throws out of the call, which abandons the module call (a trap):
 *   the host answers 500 and discards the instance.
 * - KV list results are encoded as a sequence of entries, each
 *   [u32 key_len][key bytes][u32 value_len][value bytes], little-endian.
 * - A write batch is a sequence of operations, each
 *   [u8 op][u32 key_len][key bytes] and, for op 1 (put), [u32 value_len][value];
 *   op 2 is delete. The host applies a batch atomically or not at all.
 *
 * Every host (node:wasi, Cloudflare Workers) implements exactly these functions
 * under the import module "dirbridge" (in JavaScript: wasm/hosts/abi.mjs).
 */
#ifndef DIRBRIDGE_WASM_HOST_IMPORTS_H_
#define DIRBRIDGE_WASM_HOST_IMPORTS_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__wasm__) && !defined(__EMSCRIPTEN__)
#define DIRBRIDGE_IMPORT(name) __attribute__((import_module("dirbridge"), import_name(#name)))
#else
#define DIRBRIDGE_IMPORT(name)
#endif

/* Return codes of producing calls (see Conventions). */
#define DIRBRIDGE_RC_ABSENT (-1)
/* rc <= DIRBRIDGE_RC_FAILED: failure, with (-rc - 1) bytes of reason in the slot. */
#define DIRBRIDGE_RC_FAILED (-2)

/* Value of `key` into the result slot: rc its length, -1 if absent, <= -2 failure. */
DIRBRIDGE_IMPORT(kv_get)
int32_t dirbridge_kv_get(const char* key, uint32_t key_len);

/* Up to `limit` entries whose keys start with `prefix` and sort strictly after
 * `start_after` (an empty start_after means from the beginning), in ascending
 * byte order, encoded into the result slot: rc the encoded length, <= -2 failure. */
DIRBRIDGE_IMPORT(kv_list)
int32_t dirbridge_kv_list(const char* prefix, uint32_t prefix_len, const char* start_after,
                          uint32_t start_after_len, uint32_t limit);

/* Applies an encoded write batch atomically: rc 0 success, <= -2 failure (the store
 * is unchanged). */
DIRBRIDGE_IMPORT(kv_commit)
int32_t dirbridge_kv_commit(const uint8_t* batch, uint32_t batch_len);

/* Copies the result slot into `dst`. */
DIRBRIDGE_IMPORT(take_result)
void dirbridge_take_result(uint8_t* dst);

/* Milliseconds since the Unix epoch. */
DIRBRIDGE_IMPORT(now_ms)
double dirbridge_now_ms(void);

/* Fills `dst` with `len` cryptographically secure random bytes. */
DIRBRIDGE_IMPORT(random_bytes)
void dirbridge_random_bytes(uint8_t* dst, uint32_t len);

/* Writes a log line. level: 0 debug, 1 info, 2 warn, 3 error. Callers redact secrets. */
DIRBRIDGE_IMPORT(log)
void dirbridge_log(int32_t level, const char* message, uint32_t message_len);

/* A deployment setting (e.g. "DIRBRIDGE_ADMIN_TOKEN") into the result slot: rc its
 * length, -1 if unset, <= -2 failure. */
DIRBRIDGE_IMPORT(config_get)
int32_t dirbridge_config_get(const char* name, uint32_t name_len);

/* Seals `plaintext` with AES-256-GCM under the deployment's secret key
 * (DIRBRIDGE_SECRET_KEY, held by the host only; the module never sees it), with
 * `associated` as the AEAD's associated data. The result slot receives the sealed
 * text: "dbs1." followed by base64url (no padding) of nonce (12 random bytes),
 * ciphertext and tag (16 bytes); printable, so it can be stored as is. rc its length,
 * <= -2 failure (e.g. no key: the reason says so). */
DIRBRIDGE_IMPORT(secret_seal)
int32_t dirbridge_secret_seal(const uint8_t* plaintext, uint32_t plaintext_len, const uint8_t* associated,
                              uint32_t associated_len);

/* Opens text made by secret_seal: rc the plaintext's length (in the slot); -1 when it
 * does not authenticate (other associated data, another key, altered or malformed
 * text); <= -2 failure (e.g. no key). */
DIRBRIDGE_IMPORT(secret_open)
int32_t dirbridge_secret_open(const char* sealed, uint32_t sealed_len, const uint8_t* associated,
                              uint32_t associated_len);

/* Signs `data` with the RSA private key sealed in `sealed`, without the key ever
 * reaching the module: the host opens `sealed` with `associated` as secret_open does,
 * reads the plaintext as a Google service-account key file (a JSON object with a
 * string "private_key") or as a PEM private key itself, and signs `data` with
 * RSASSA-PKCS1-v1_5 over SHA-256 (RS256 of RFC 7518 §3.3). The result slot receives
 * the raw signature (as many bytes as the modulus): rc its length; -1 when `sealed`
 * does not open (as secret_open); <= -2 failure: when the plaintext is not such a key,
 * or its key is not RSA or has fewer than 2048 bits, the reason starts with
 * DIRBRIDGE_UNUSABLE_KEY_REASON; any other failure is the host's (e.g. no key: the
 * reason says so, as for secret_seal). No reason ever holds the plaintext or key. */
DIRBRIDGE_IMPORT(secret_sign_rs256)
int32_t dirbridge_secret_sign_rs256(const char* sealed, uint32_t sealed_len, const uint8_t* associated,
                                    uint32_t associated_len, const uint8_t* data, uint32_t data_len);
/* The start of secret_sign_rs256's reason when the sealed secret holds no usable key. */
#define DIRBRIDGE_UNUSABLE_KEY_REASON "secret_sign_rs256: unusable key: "

/* Verifies a JWS signature (RFC 7515 §5.2) with a public key given as a JWK (RFC 7517),
 * so that a module can check an OpenID Connect ID token without RSA or EC of its own.
 * `alg` is "RS256" (RSASSA-PKCS1-v1_5 with SHA-256; `jwk` an RSA key, kty "RSA" with
 * "n" and "e", of 2048 to 8192 bits) or "ES256" (ECDSA P-256 with SHA-256; kty "EC",
 * crv "P-256", "x" and "y"; the signature the 64-byte R||S of RFC 7518 §3.4). `jwk` is
 * the JWK's JSON text (at most 16 KiB), `data` the signing input ("header.payload"),
 * `sig` the raw (base64url-decoded) signature. The host needs no secret for it. The
 * result slot receives one byte: 1 when the signature verifies, 0 when it does not (a
 * signature of the wrong length included); rc 1. rc <= -2 failure: when `alg` is
 * neither, or `jwk` is no usable key for it (not a JSON object, another kty or curve,
 * a private member such as "d", an "alg" other than `alg`, a "use" other than "sig",
 * a "key_ops" without "verify", key material that is malformed, off the curve or of
 * the wrong size), the reason starts with DIRBRIDGE_UNUSABLE_JWK_REASON and says what
 * is wrong; any other failure is the host's. No reason ever quotes `alg` or `jwk`. */
DIRBRIDGE_IMPORT(jws_verify)
int32_t dirbridge_jws_verify(const char* alg, uint32_t alg_len, const char* jwk, uint32_t jwk_len, const uint8_t* data,
                             uint32_t data_len, const uint8_t* sig, uint32_t sig_len);
/* The start of jws_verify's reason when `alg` or `jwk` is not usable. */
#define DIRBRIDGE_UNUSABLE_JWK_REASON "jws_verify: unusable key: "

#ifdef __cplusplus
}
#endif

#endif /* DIRBRIDGE_WASM_HOST_IMPORTS_H_ */
