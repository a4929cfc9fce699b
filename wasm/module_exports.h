/* What dirbridge modules export to their host.
 *
 * Every module:
 *   dirbridge_alloc(n)            -> pointer to n writable bytes (the host copies a request in)
 *   dirbridge_free(p)             releases a pointer from dirbridge_alloc or an answer
 *   dirbridge_max_body_bytes()    -> the request body limit (kMaxRequestBodyBytes); hosts
 *                                    read it at load and answer 413 above it
 *   dirbridge_max_url_bytes()     -> the request target limit (kMaxUrlBytes: path + query);
 *                                    the router answers 414 above it, hosts only need it
 *                                    to let such targets reach the router
 * An edge module (functions/router), stateless:
 *   dirbridge_route(p, n)         -> pointer to an answer: the route decision
 * A tenant module (functions/scim, functions/admin), run with one tenant's storage:
 *   dirbridge_handle(p, n)        -> pointer to an answer: the response
 *
 * An answer is [u32 head_len][u32 body_len][head: JSON][body: bytes], little-endian.
 * For dirbridge_handle the head is {"status":201,"headers":{...}} and the body is
 * the response body, carried as raw bytes so a large page is not escaped into a
 * JSON string and parsed back out. For dirbridge_route the head is the decision and
 * the body is empty; the decision is either
 *   {"response": {"status":404, "headers":{...}, "body":"..."}}      answer this, or
 *   {"module":"scim", "tenant":"acme", "request": {...}}             run `request` with
 *        dirbridge_handle of module `module`, against the storage of tenant `tenant`.
 *
 * A request is a JSON envelope:
 *   {"method":"POST","path":"/t/acme/scim/v2/Users","query":"filter=...",
 *    "headers":{"authorization":"Bearer ...", ...}   (names lower-case),
 *    "body":"...", "origin":"http://127.0.0.1:8787"}
 * to which the router adds "tenant":"acme" and "route":["Users"], the decoded path
 * segments after the module's mount point (/t/{tenant}/scim/v2 for scim, /admin/v1
 * for admin). Hosts pass a routed request on as is.
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
uint32_t dirbridge_max_body_bytes(void);
uint32_t dirbridge_max_url_bytes(void);
uint8_t* dirbridge_route(const uint8_t* request, uint32_t request_len);
uint8_t* dirbridge_handle(const uint8_t* request, uint32_t request_len);

#ifdef __cplusplus
}
#endif

#endif /* DIRBRIDGE_WASM_MODULE_EXPORTS_H_ */
