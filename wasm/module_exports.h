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
 *   dirbridge_tick(p, n)          -> the tenant's due outbox work (effects/outbox.h)
 *   dirbridge_resume(p, n)        -> what became of one claimed entry's outcome
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
 *    "body":"...", "origin":"http://127.0.0.1:8787", "clientAddress":"203.0.113.7"}
 * ("clientAddress": the client's IP as the host knows it, never from a header the
 * client chose on node; "" when unknown)
 * to which the router adds "tenant":"acme" and "route":["Users"], the decoded path
 * segments after the module's mount point (/t/{tenant}/scim/v2 for scim, /admin/v1
 * for admin). Hosts pass a routed request on as is.
 * The host frees the answer pointer after reading it.
 *
 * Effects, timers and the outbox (shared/effects/outbox.h; host_contract.md,
 * "Effects and timers"). A handle answer to a request that staged an outbox entry
 * adds "wake" to its head: the earliest due time (ms since the epoch) of the tenant's
 * outbox, or null when nothing is pending (no "wake": it did not change). The host keeps one wake-up
 * per tenant at that time (workerd: the Durable Object's alarm; node:wasi: a timer).
 * When it fires, the host runs, each in its own storage transaction:
 *   dirbridge_tick({"tenant":"acme", "limit":16})   in any tenant module; answers
 *     {"status":200, "claimed":n, "work":[{"id","module","request":{"method","url",
 *      "headers","body"}} | {"id","module","timer":true}, ...], "wake": ms|null}
 *   then, for each item, after sending its request (a timer is not sent),
 *   dirbridge_resume({"tenant","id","outcome": {"status","headers","body"} |
 *      {"error":"why the request got no answer"} | {"timer":true}})   in module `module`;
 *     answers {"status":200, "result":"delivered"|"retry"|"parked", "nextAttempt"?,
 *      "error"?, "wake": ms|null}
 * A tick or resume that fails answers {"status": 4xx|5xx, "error": code, "detail"};
 * a 4xx changed nothing, a 5xx is rolled back by the host like any failed call.
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
uint8_t* dirbridge_tick(const uint8_t* envelope, uint32_t envelope_len);
uint8_t* dirbridge_resume(const uint8_t* envelope, uint32_t envelope_len);

#ifdef __cplusplus
}
#endif

#endif /* DIRBRIDGE_WASM_MODULE_EXPORTS_H_ */
