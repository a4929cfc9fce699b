// The module's exports (module_exports.h), identical for every function and every
// host: copy the envelope in, call the function's C++ entry point, hand the
// answer back as [u32 head_len][u32 body_len][head][body].
#include "module_exports.h"

#include <cstdlib>
#include <cstring>
#include <string>

#include "function_entry.h"
#include "imported_host.h"
#include "request_envelope.h"

namespace {

void PutU32(uint8_t* out, std::size_t value) {
  const auto n = static_cast<uint32_t>(value);
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>((n >> (8 * i)) & 0xff);
}

// [u32 head_len][u32 body_len][head][body] (module_exports.h).
uint8_t* Answer(const std::string& head, const std::string& body) {
  auto* out = static_cast<uint8_t*>(std::malloc(8 + head.size() + body.size()));
  if (out == nullptr) return nullptr;
  PutU32(out, head.size());
  PutU32(out + 4, body.size());
  std::memcpy(out + 8, head.data(), head.size());
  std::memcpy(out + 8 + head.size(), body.data(), body.size());
  return out;
}

// The host sent an envelope the module cannot read: the host's bug, logged by the
// caller with its reason; the client sees a plain 500.
dirbridge::HttpResponse EnvelopeRejected() {
  dirbridge::HttpResponse r;
  r.status = 500;
  r.headers["content-type"] = "application/json";
  r.body = R"({"error":"internal: the host sent a malformed request envelope"})";
  return r;
}

}  // namespace

extern "C" {

__attribute__((export_name("dirbridge_alloc"))) uint8_t* dirbridge_alloc(uint32_t size) {
  return static_cast<uint8_t*>(std::malloc(size == 0 ? 1 : size));
}

__attribute__((export_name("dirbridge_free"))) void dirbridge_free(uint8_t* ptr) { std::free(ptr); }

__attribute__((export_name("dirbridge_route"))) uint8_t* dirbridge_route(const uint8_t* request, uint32_t len) {
  dirbridge::ImportedEnv env;
  auto parsed = dirbridge::RequestFromEnvelope(std::string_view(reinterpret_cast<const char*>(request), len));
  dirbridge::RouteDecision decision;
  if (!parsed.ok()) {
    env.Log(dirbridge::LogLevel::kError, parsed.error().detail);
    decision.response = EnvelopeRejected();
  } else {
    decision = dirbridge::FunctionRoute(*parsed, env);
  }
  return Answer(dirbridge::RouteDecisionToEnvelope(decision), std::string());
}

__attribute__((export_name("dirbridge_handle"))) uint8_t* dirbridge_handle(const uint8_t* request, uint32_t len) {
  dirbridge::ImportedEnv env;
  dirbridge::ImportedKvStore store;
  auto parsed = dirbridge::RequestFromEnvelope(std::string_view(reinterpret_cast<const char*>(request), len));
  dirbridge::HttpResponse response;
  if (!parsed.ok()) {
    env.Log(dirbridge::LogLevel::kError, parsed.error().detail);
    response = EnvelopeRejected();
  } else {
    response = dirbridge::FunctionHandle(*parsed, store, env);
  }
  return Answer(dirbridge::ResponseHeadToEnvelope(response), response.body);
}

}  // extern "C"
