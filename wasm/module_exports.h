/* What every dirbridge module exports to its host.
 *
 *   dirbridge_alloc(n)            -> pointer to n writable bytes (the host copies a request in)
 *   dirbridge_free(p)             releases a pointer from dirbridge_alloc or dirbridge_handle
 *   dirbridge_handle(p, n)        -> pointer to [u32 length][response bytes]
 *
 * The request is a JSON envelope:
 *   {"method":"POST","path":"/t/acme/scim/v2/Users","query":"filter=...",
 *    "headers":{"authorization":"Bearer ...", ...}   (names lower-case),
 *    "body":"...", "origin":"http://127.0.0.1:8787"}
 * and the response is
 *   {"status":201,"headers":{"content-type":"application/scim+json", ...},"body":"..."}.
 * The host frees the response pointer after reading it.
 */
#ifndef DIRBRIDGE_WASM_MODULE_EXPORTS_H_
#define DIRBRIDGE_WASM_MODULE_EXPORTS_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

uint8_t* dirbridge_alloc(uint32_t size);
void dirbridge_free(uint8_t* ptr);
uint8_t* dirbridge_handle(const uint8_t* request, uint32_t request_len);

#ifdef __cplusplus
}
#endif

#endif /* DIRBRIDGE_WASM_MODULE_EXPORTS_H_ */
