/* What every dirbridge module exports to its host.
 *
 *   dirbridge_alloc(n)            -> pointer to n writable bytes (the host copies a request in)
 *   dirbridge_free(p)             releases a pointer from dirbridge_alloc or dirbridge_handle
 *   dirbridge_handle(p, n)        -> pointer to an answer
 *   dirbridge_route(p, n)         -> pointer to an answer
 *
 * An answer is [u32 head_len][u32 body_len][head: JSON][body: bytes], little-endian.
 * For dirbridge_handle the head is {"status":201,"headers":{...}} and the body is
 * the response body, carried as raw bytes so a large page is not escaped into a
 * JSON string and parsed back out. For dirbridge_route the head is the decision
 * ({"response": {...}} or {"tenant": ..., "request": {...}}) and the body is empty.
 *
 * The request is a JSON envelope:
 *   {"method":"POST","path":"/t/acme/scim/v2/Users","query":"filter=...",
 *    "headers":{"authorization":"Bearer ...", ...}   (names lower-case),
 *    "body":"...", "origin":"http://127.0.0.1:8787"}
 * The host frees the answer pointer after reading it.
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
