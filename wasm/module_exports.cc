// The module's exports (module_exports.h), identical for every function and every
// host: copy the envelope in, call the function's C++ entry point, hand the
// response envelope back as [u32 length][bytes].
#include "module_exports.h"

#include <cstdlib>
#include <cstring>
#include <string>

#include "function_entry.h"
#include "imported_host.h"
#include "request_envelope.h"

namespace {

uint8_t* LengthPrefixed(const std::string& bytes) {
  auto* out = static_cast<uint8_t*>(std::malloc(bytes.size() + 4));
  if (out == nullptr) return nullptr;
  const auto n = static_cast<uint32_t>(bytes.size());
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>((n >> (8 * i)) & 0xff);
  std::memcpy(out + 4, bytes.data(), bytes.size());
  return out;
}

dirbridge::HttpResponse HostError(const dirbridge::Error& error) {
  dirbridge::HttpResponse r;
  r.status = 500;
  r.headers["content-type"] = "application/json";
  r.body = std::string("{\"error\":\"") + "internal: host envelope rejected" + "\"}";
  (void)error;
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
    decision.response = HostError(parsed.error());
  } else {
    decision = dirbridge::FunctionRoute(*parsed, env);
  }
  return LengthPrefixed(dirbridge::RouteDecisionToEnvelope(decision));
}

__attribute__((export_name("dirbridge_handle"))) uint8_t* dirbridge_handle(const uint8_t* request, uint32_t len) {
  dirbridge::ImportedEnv env;
  dirbridge::ImportedKvStore store;
  auto parsed = dirbridge::RequestFromEnvelope(std::string_view(reinterpret_cast<const char*>(request), len));
  dirbridge::HttpResponse response;
  if (!parsed.ok()) {
    env.Log(dirbridge::LogLevel::kError, parsed.error().detail);
    response = HostError(parsed.error());
  } else {
    response = dirbridge::FunctionHandle(*parsed, store, env);
  }
  return LengthPrefixed(dirbridge::ResponseToEnvelope(response));
}

}  // extern "C"
